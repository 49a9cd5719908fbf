/**
 * What the CLI prints is safe and says what happened (issue 8 §6, §7): terminal controls from untrusted names are
 * shown escaped, CSV meant for people neutralises formulas while `bank export` stays verbatim, a scan that could
 * read nothing exits 3, and `unexpose hash … | head` ends quietly.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../fixtures/synthetic-random.js';
import { cliPath, runCli } from '../support/run-cli.js';
import { useTempDirs } from '../support/temp-dirs.js';
import { EXIT_NO_INPUT } from '../../src/cli/exit-codes.js';

const tempDir = useTempDirs();
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('exit codes', () => {
  it('a scan whose only input is a corrupt result.json exits 3 and says nothing was read', async () => {
    const dir = await tempDir('unexpose-exit-');
    await mkdir(join(dir, 'export'));
    await writeFile(join(dir, 'export/result.json'), '{"name": "x", "type": "private_group", "id": 1, "messages": [ {"id": 1, "type": "mess');
    const run = await runCli(['scan', join(dir, 'export'), '--db', join(dir, 'u.db')]);
    expect(run.code).toBe(EXIT_NO_INPUT);
    expect(run.stderr).toMatch(/no input could be read/);
    const other = await runCli(['scan', join(dir, 'nothing-here'), '--db', join(dir, 'u.db')]);
    expect(other.code).toBe(EXIT_NO_INPUT);
  });

  it('`unexpose hash DIR | head -1` ends quietly, without an EPIPE stack', async () => {
    const dir = await tempDir('unexpose-pipe-');
    const jpeg = await makeJpeg(64, 64, 3);
    for (let i = 0; i < 60; i++) await writeFile(join(dir, `p${String(i).padStart(3, '0')}.jpg`), jpeg);
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      const sh = spawn('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${cliPath}" hash --format text "${dir}" | head -1`]);
      let stdout = '';
      let stderr = '';
      sh.stdout.on('data', (d) => (stdout += d));
      sh.stderr.on('data', (d) => (stderr += d));
      sh.on('error', reject);
      sh.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.code).toBe(0);
  }, 60_000);
});

describe('terminal safety', () => {
  it('shows ESC/BEL sequences and bidi overrides from a media path escaped in the notices', async () => {
    const dir = await tempDir('unexpose-term-');
    await mkdir(join(dir, 'export'));
    const evil = 'photos/\u001b[2K\u001b]0;owned\u0007x\u202Egpj.jpg';
    // The file is there but is no picture: its failure is a notice that names the path.
    await mkdir(join(dir, 'export/photos'));
    await writeFile(join(dir, 'export', evil), 'not an image');
    await writeFile(join(dir, 'export/result.json'), JSON.stringify({
      name: 'Groep \u001b[31mrood\u001b[0m', type: 'private_supergroup', id: 9,
      messages: [{ id: 1, type: 'message', date: '2026-01-01T10:00:00', date_unixtime: '1767261600', from: 'A', from_id: 'user1', photo: evil, text: '' }],
    }));
    const run = await runCli(['scan', join(dir, 'export'), '--db', join(dir, 'u.db')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('\\u001b[2K');
    expect(run.stderr).toContain('\\u202e');
    expect(run.stderr).not.toMatch(RAW_CONTROL);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
  });
});

describe('CSV for people, exchange formats verbatim', () => {
  it('neutralises formula cells in bank list, match and hash CSV; bank export writes them verbatim', async () => {
    const dir = await tempDir('unexpose-csv-');
    const db = join(dir, 'b.db');
    expect((await runCli(['bank', 'create', 'case-1', '--description', '=HYPERLINK("http://x.invalid","click")', '--source', '@SUM(1)', '--db', db])).code).toBe(0);
    const list = await runCli(['bank', 'list', '--format', 'csv', '--db', db]);
    expect(list.stdout).toContain(`"'=HYPERLINK(""http://x.invalid"",""click"")"`);
    expect(list.stdout).toContain("'@SUM(1)");

    const pdq = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
    await writeFile(join(dir, 'in.csv'), `signal_type,signal,quality,labels,source_ref\npdq,${pdq},90,x,=1+2\n`);
    expect((await runCli(['bank', 'import', 'case-1', join(dir, 'in.csv'), '--db', db])).code).toBe(0);
    const exported = await runCli(['bank', 'export', 'case-1', '--format', 'csv', '--db', db]);
    expect(exported.stdout).toContain(',=1+2');

    const match = await runCli(['match', '--format', 'csv', '--db', db, pdq, '=cmd']);
    const rows = match.stdout.trim().split('\n');
    expect(rows.some((r) => r.startsWith("'=cmd,"))).toBe(true);
    expect(rows.find((r) => r.startsWith(pdq))).toContain("'=1+2");

    await writeFile(join(dir, '=cmd.jpg'), await makeJpeg(64, 64, 1));
    const hash = await runCli(['hash', '--format', 'csv', '=cmd.jpg'], { cwd: dir });
    expect(hash.stdout.split('\n')[1]).toMatch(/^'=cmd\.jpg,photo,/);
  }, 60_000);
});
