/**
 * `unexpose match` end to end on generated images and a temporary SQLite bank: photos by PDQ (a re-encoded copy
 * still matches), files by MD5, hashes as text and on standard input, CSV output, negative banks, removal,
 * flood quarantine, and a bad query that is named while the rest are answered.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../support/run-cli.js';
import { syntheticImage } from '../support/synthetic-images.js';

interface Answer {
  query: string;
  matches: { bank: string; signalType: string; signal: string; distance: number; quality: number | null; sourceRef: string | null; labels: string[] }[];
  suppressedBy?: { bank: string }[];
  quarantined?: { bank: string; matches_this_run: number }[];
  error?: string;
}

let dir: string;
let db: string;
let photo: { pdq: string; md5: string; quality: number };
const cli = (args: string[], input?: string) => runCli([...args, '--db', db], { input });
const match = async (args: string[], input?: string) => {
  const r = await cli(['match', '--format', 'jsonl', ...args], input);
  return { ...r, answers: jsonLines<Answer>(r.stdout) };
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-match-'));
  db = join(dir, 'm.db');
  const a = await syntheticImage(640, 480, 11, 'jpeg');
  await writeFile(join(dir, 'a.jpg'), a);
  await writeFile(join(dir, 'a-copy.jpg'), await sharp(a).resize(500).jpeg({ quality: 70 }).toBuffer());
  await writeFile(join(dir, 'other.png'), await syntheticImage(400, 400, 12, 'png'));
  const hashed = jsonLines<{ pdq: string; md5: string; quality: number }>((await runCli(['hash', '--format', 'jsonl', join(dir, 'a.jpg')])).stdout)[0];
  photo = hashed;
  await cli(['bank', 'create', 'case-7', '--source', 'case:7', '--label', 'victim']);
  await writeFile(join(dir, 'case-7.csv'), `signal_type,signal,quality,labels,source_ref\npdq,${hashed.pdq},${hashed.quality},upload,msg-1\nmd5,${hashed.md5},,,msg-1\n`);
  const imported = await cli(['bank', 'import', 'case-7', join(dir, 'case-7.csv'), '--format', 'jsonl']);
  expect(jsonLines(imported.stdout)[0]).toMatchObject({ added: 2, skipped: 0 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('unexpose match', () => {
  it('finds a re-encoded copy of a banked photo by PDQ, the photo itself by MD5 too, and nothing for another photo', async () => {
    const r = await match([join(dir, 'a-copy.jpg'), join(dir, 'a.jpg'), join(dir, 'other.png')]);
    expect(r.code).toBe(0);
    const [copy, same, other] = r.answers;
    expect(copy.query).toBe(join(dir, 'a-copy.jpg'));
    expect(copy.matches).toEqual([expect.objectContaining({ bank: 'case-7', signalType: 'pdq', signal: photo.pdq, sourceRef: 'msg-1', labels: ['victim', 'upload'] })]);
    expect(copy.matches[0].distance).toBeGreaterThan(0);
    expect(copy.matches[0].distance).toBeLessThanOrEqual(31);
    // Both at distance 0: ties are listed by entry id, which a bulk import assigns in value order, not line order.
    expect(same.matches.map((m) => [m.signalType, m.distance]).sort()).toEqual([['md5', 0], ['pdq', 0]]);
    expect(other).toEqual({ query: join(dir, 'other.png'), matches: [] });
  });

  it('takes hashes as text and one per line on standard input, and prints CSV', async () => {
    const near = (parseInt(photo.pdq[0], 16) ^ 1).toString(16) + photo.pdq.slice(1);
    const r = await cli(['match', '--format', 'csv', near, '-'], `${photo.md5}\n${'0'.repeat(64)}\n`);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toBe('query,bank,signal_type,signal,distance,quality,source_ref,labels,note');
    expect(rows.slice(1)).toEqual([
      `${near},case-7,pdq,${photo.pdq},1,${photo.quality},msg-1,victim;upload,`,
      `${photo.md5},case-7,md5,${photo.md5},0,,msg-1,victim,`,
      `${'0'.repeat(64)},,,,,,,,`,
    ]);
  });

  it('names a bad query, answers the rest and exits 1', async () => {
    const r = await match(['abc123abc123abc123', photo.pdq, join(dir, 'missing.jpg')]);
    expect(r.code).toBe(1);
    expect(r.answers.map((a) => a.error ?? a.matches.length)).toEqual([expect.stringMatching(/not a hash: 18 hex digits/), 1, expect.stringMatching(/no such file/)]);
    expect((await match(['--bank', 'nope', photo.pdq])).stderr).toMatch(/no bank named "nope"/);
  });

  it('lets a negative bank suppress a known false positive, and --bank narrow the answer', async () => {
    await cli(['bank', 'create', 'other-case']);
    await writeFile(join(dir, 'one.txt'), `${photo.pdq}\n`);
    await cli(['bank', 'import', 'other-case', join(dir, 'one.txt')]);
    expect((await match(['--bank', 'other-case', photo.pdq])).answers[0].matches.map((m) => m.bank)).toEqual(['other-case']);
    await cli(['bank', 'create', 'known-fp', '--negative', '--threshold', '4']);
    const near3 = photo.pdq.slice(0, 62) + ((parseInt(photo.pdq.slice(62), 16) ^ 0x07).toString(16).padStart(2, '0'));
    await writeFile(join(dir, 'fp.txt'), `${near3}\n`);
    await cli(['bank', 'import', 'known-fp', join(dir, 'fp.txt')]);
    const blocked = (await match([photo.pdq])).answers[0];
    expect(blocked.matches).toEqual([]);
    expect(blocked.suppressedBy?.map((s) => s.bank)).toEqual(['known-fp']);
    await cli(['bank', 'withdraw', 'known-fp']);
    expect((await match([photo.pdq])).answers[0].matches.map((m) => m.bank).sort()).toEqual(['case-7', 'other-case']);
  });

  it('never quarantines from a one-off run: sixty queries of one banked hash all match, and nothing is stored', async () => {
    await cli(['bank', 'create', 'flood']);
    const blank = 'e'.repeat(64);
    await writeFile(join(dir, 'blank.txt'), `${blank}\n`);
    await cli(['bank', 'import', 'flood', join(dir, 'blank.txt')]);
    const r = await match(['-'], `${blank}\n`.repeat(60));
    expect(r.answers.map((a) => a.matches.length)).toEqual(Array(60).fill(1));
    expect(r.answers.some((a) => a.quarantined)).toBe(false);
    expect(jsonLines((await cli(['bank', 'show', 'flood', '--format', 'jsonl'])).stdout)[0]).toMatchObject({ quarantined: 0 });
    expect((await cli(['bank', 'release', 'flood', blank])).stdout).toMatch(/released 0/);
  });

  it('forgets a removed hash at once', async () => {
    await cli(['bank', 'remove', 'case-7', photo.pdq]);
    await cli(['bank', 'remove', 'other-case', photo.pdq]);
    const r = await match([join(dir, 'a-copy.jpg')]);
    expect(r.answers[0].matches).toEqual([]);
  });
});
