/**
 * `unexpose bank` end to end on a temporary SQLite file: create, import with bad lines named by number and no
 * duplicates on re-import, export round trip, remove and withdraw that leave nothing behind in the files.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../support/run-cli.js';

let dir: string;
let db: string;
const pdqA = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);
const pdqB = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
const md5 = 'd41d8cd98f00b204e9800998ecf8427e';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-bank-'));
  db = join(dir, 'banks.db');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bank = (...args: string[]) => runCli(['bank', ...args, '--db', db]);

describe('unexpose bank', () => {
  it('creates a bank with its settings and lists it', async () => {
    const made = await bank('create', 'case-1', '--source', 'case:2026-0012', '--threshold', '40', '--label', 'victim-upload', '--format', 'jsonl');
    expect(made.code).toBe(0);
    expect(jsonLines(made.stdout)[0]).toMatchObject({ name: 'case-1', source: 'case:2026-0012', thresholds: { pdq: 40, vpdq: 20 }, minQuality: 50, labels: ['victim-upload'], enabled: true });
    expect((await bank('create', 'case-1')).stderr).toMatch(/bank "case-1" exists already/);
    expect((await bank('create', 'x', '--threshold', '64')).stderr).toMatch(/pdq threshold must be an integer 0..63/);
    const list = await bank('list', '--format', 'jsonl');
    expect(jsonLines(list.stdout).map((b) => b.name)).toEqual(['case-1']);
  });

  it('imports good lines, names each bad line by number, and adds nothing twice', async () => {
    const file = join(dir, 'hashes.txt');
    await writeFile(file, [pdqA, 'not-a-hash', '', pdqB.toUpperCase(), md5, 'abc'.repeat(21) + 'z'].join('\n'));
    const first = await bank('import', 'case-1', file, '--format', 'jsonl');
    expect(first.code).toBe(0);
    expect(jsonLines(first.stdout)[0]).toMatchObject({
      added: 3, duplicates: 0, skipped: 2,
      badLines: [{ line: 2, reason: expect.stringMatching(/not a PDQ hash: "not-a-hash"/) }, { line: 6, reason: expect.stringMatching(/not hex digits/) }],
    });
    expect(first.stderr).toMatch(/added 3, already in the bank 0, skipped 2 bad line/);
    const again = await bank('import', 'case-1', file, '--format', 'jsonl');
    expect(jsonLines(again.stdout)[0]).toMatchObject({ added: 0, duplicates: 3, skipped: 2 });
    const show = await bank('show', 'case-1', '--format', 'jsonl');
    expect(jsonLines(show.stdout)[0]).toMatchObject({ entries: { pdq: 2, md5: 1 }, total: 3 });
  });

  it('exports CSV and JSON lines that import into another bank unchanged', async () => {
    const csvRows = [
      'signal_type,signal,quality,labels,source_ref',
      `pdq,${pdqA},88,a;b,msg-17`,
      `sha256,${'c'.repeat(64)},,,`,
    ];
    await writeFile(join(dir, 'in.csv'), csvRows.join('\n'));
    await bank('create', 'csv-bank');
    expect(jsonLines((await bank('import', 'csv-bank', join(dir, 'in.csv'), '--format', 'jsonl')).stdout)[0]).toMatchObject({ added: 2, skipped: 0 });
    const csv = await bank('export', 'csv-bank');
    expect(csv.stdout.trim().split('\n')).toEqual(csvRows);
    const jsonl = await bank('export', 'csv-bank', '--format', 'jsonl');
    await bank('create', 'copy');
    const viaStdin = await runCli(['bank', 'import', 'copy', '-', '--db', db, '--format', 'jsonl'], { input: jsonl.stdout });
    expect(jsonLines(viaStdin.stdout)[0]).toMatchObject({ added: 2 });
    expect((await bank('export', 'copy')).stdout).toBe(csv.stdout);
  });

  it('removes a value and withdraws a bank so that the hashes are gone from the database files', async () => {
    const secret = '5eca1e7' + '0'.repeat(50) + '5eca1e7';
    await writeFile(join(dir, 'secret.txt'), `${secret}\n`);
    await bank('create', 'withdrawn-case');
    await bank('import', 'withdrawn-case', join(dir, 'secret.txt'));
    const removed = await bank('remove', 'case-1', pdqB, '--format', 'jsonl');
    expect(jsonLines(removed.stdout)[0]).toMatchObject({ bank: 'case-1', removed: 1, signalTypes: ['pdq'] });
    expect(jsonLines((await bank('remove', 'case-1', pdqB, '--format', 'jsonl')).stdout)[0]).toMatchObject({ removed: 0 });
    const gone = await bank('withdraw', 'withdrawn-case', '--format', 'jsonl');
    expect(jsonLines(gone.stdout)[0]).toEqual({ bank: 'withdrawn-case', removed: 1 });
    expect((await bank('show', 'withdrawn-case')).stderr).toMatch(/no bank named "withdrawn-case"/);
    for (const f of (await readdir(dir)).filter((f) => f.startsWith('banks.db'))) {
      const bytes = await readFile(join(dir, f), 'latin1');
      expect(bytes, f).not.toContain(secret);
      expect(bytes, f).not.toContain(pdqB);
    }
  });

  it('exits 1 naming an unknown bank, and 2 on bad usage', async () => {
    const r = await bank('import', 'nope', join(dir, 'hashes.txt'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no bank named "nope"/);
    expect((await bank('create', 'bad name!')).code).toBe(2);
  });
});
