/**
 * Hostile input, end to end through the built CLI (issue 8 §4): each input of the generated hostile corpus is
 * refused or cut with a notice that names it, the rest of the scan is saved, and the command ends with the exit
 * code that says what happened. Memory and time are measured by `npm run bench:hostile`, not here.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chatNameOfEscapes, deepNesting, folderHugeCanvasGif, folderHugeJpeg, whatsappEndlessLines, zipEntryReferencedManyTimes,
  zipManyEntriesUnderRatioCheck,
} from '../fixtures/hostile/hostile-inputs.js';
import { runCli } from '../support/run-cli.js';
import { useTempDirs } from '../support/temp-dirs.js';

const tempDir = useTempDirs();

interface Report {
  summary: { messages: number; photos: number; videos: number };
  run: { mediaHashed: number; mediaFailed: number };
  chats: { name: string | null }[];
  notices: { level: string; code: string; file: string; message: string }[];
}

async function scan(args: string[], dir: string): Promise<{ code: number; stderr: string; report: Report | null }> {
  const json = join(dir, 'summary.json');
  const run = await runCli([...args, '--db', join(dir, 'u.db'), '--json', json]);
  const report = await readFile(json, 'utf8').then((t) => JSON.parse(t) as Report, () => null);
  return { code: run.code, stderr: run.stderr, report };
}

describe('hostile input stays bounded, named, and the rest is saved', () => {
  it('hashes a zip entry referenced by many messages once per batch, every message getting its hash', async () => {
    const dir = await tempDir('unexpose-hostile-');
    const input = await zipEntryReferencedManyTimes(dir, 40, 8 * 2 ** 20);
    const r = await scan(input.args, dir);
    expect(r.code).toBe(0);
    expect(r.report!.summary).toMatchObject({ messages: 40, photos: 40 });
    expect(r.report!.run).toMatchObject({ mediaHashed: 40, mediaFailed: 0 });
  }, 120_000);

  it('refuses a 700 MB file named .jpg in a folder export by its size, names it, and keeps the other messages', async () => {
    const dir = await tempDir('unexpose-hostile-');
    const input = await folderHugeJpeg(dir);
    const r = await scan(input.args, dir);
    expect(r.code).toBe(0);
    expect(r.report!.summary.messages).toBe(2);
    const n = r.report!.notices.find((x) => x.message.includes('huge.jpg'));
    expect(n?.message).toMatch(/over the limit of 128 MiB for a photo file/);
    expect(r.stderr).toMatch(/huge\.jpg: refused/);
  }, 60_000);

  it('refuses a GIF whose canvas is over the frame limit, by name, before decoding', async () => {
    const dir = await tempDir('unexpose-hostile-');
    const input = await folderHugeCanvasGif(dir, 180);
    const r = await scan(input.args, dir);
    expect(r.code).toBe(0);
    expect(r.report!.notices.some((x) => /canvas\.gif/.test(x.message) && /frame size 7680x4320 is over the limit/.test(x.message))).toBe(true);
    expect(r.report!.summary.videos).toBe(1);
  }, 60_000);

  it('cuts a chat name of millions of escapes at the kept-string limit and says so', async () => {
    const dir = await tempDir('unexpose-hostile-');
    const input = await chatNameOfEscapes(dir, 2_000_000);
    const r = await scan(input.args, dir);
    expect(r.code).toBe(0);
    expect(r.report!.summary.messages).toBe(1);
    expect(r.report!.chats[0].name!.length).toBeLessThanOrEqual(64 * 1024);
    expect(r.report!.notices.some((x) => x.code === 'input_cut' && x.file.endsWith('result.json'))).toBe(true);
  }, 60_000);

  it('refuses the entries of a zip of many entries just under 1 MiB of zeros, and scans its export', async () => {
    const dir = await tempDir('unexpose-hostile-');
    const input = await zipManyEntriesUnderRatioCheck(dir, 300);
    const r = await scan(input.args, dir);
    expect(r.code).toBe(0);
    expect(r.report!.summary.messages).toBe(1);
    expect(r.report!.notices.filter((x) => x.code === 'zip_entry_refused' && /zip bomb/.test(x.message)).length).toBe(300);
  }, 60_000);

  it('skips a message nested too deep to parse and refuses a file nested too deep outside messages, naming both', async () => {
    const dir = await tempDir('unexpose-hostile-');
    const input = await deepNesting(dir, 600_000);
    const r = await scan(input.args, dir);
    expect(r.code).toBe(0);
    expect(r.report!.summary.messages).toBe(1); // "after", in a/result.json
    expect(r.report!.notices.some((x) => x.file.endsWith('a/result.json') && /message 1 .*over the limit of 1 MiB/.test(x.message))).toBe(true);
    expect(r.report!.notices.some((x) => x.file.endsWith('b/result.json') && /nesting deeper than 64 levels/.test(x.message))).toBe(true);
  }, 60_000);

  it('cuts an endless WhatsApp line and a message of a million lines, keeping every message', async () => {
    const dir = await tempDir('unexpose-hostile-');
    const input = await whatsappEndlessLines(dir, 8 * 2 ** 20, 200_000);
    const r = await scan(input.args, dir);
    expect(r.code).toBe(0);
    expect(r.report!.summary.messages).toBe(4);
    expect(r.report!.notices.some((x) => x.code === 'input_cut' && /2 message\(s\) longer than 256 KiB/.test(x.message))).toBe(true);
  }, 60_000);
});
