/**
 * Issue 12 end to end: `unexpose hash --format jsonl | unexpose bank import NAME -` banks PDQ, region_dct and region_mag, and
 * `unexpose match` of re-posted copies that PDQ misses (crop, screenshot, frames, tilt, EXIF orientation) names the
 * original's entry, the signal that matched and its distance. PDQ values stay the reference's.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../support/run-cli.js';
import { syntheticImage } from '../support/synthetic-images.js';
import { PICTURE_EDITS } from '../support/picture-edits.js';
import { pdqDistance } from '../../src/core/signals/pdq/pdq-hex.js';
import { REGION_MAG_THRESHOLD } from '../../src/core/signals/region_mag/region-mag.js';

interface Answer {
  query: string;
  matches: { bank: string; signalType: string; distance: number; sourceRef: string | null }[];
  error?: string;
}

const EDITS = ['crop-centre 20%', 'crop-offcentre 10%', 'screenshot story dark 1/2', 'frame red 5% + white 2%', 'rotate 7° white', 'EXIF orientation 6', 'bars black 9:16', 'sticker 15%', 'caption 15%'];
let dir: string;
let db: string;
let original: { pdq: string; sha256: string; regionDct: unknown[]; regionMag: unknown[] };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-robust-'));
  db = join(dir, 'r.db');
  const src = await syntheticImage(900, 700, 4242, 'jpeg', 92);
  await writeFile(join(dir, 'original.jpg'), src);
  for (const name of EDITS) {
    const edit = PICTURE_EDITS.find((e) => e.name === name)!;
    await writeFile(join(dir, `${name.replace(/[^a-z0-9]+/gi, '_')}.jpg`), await edit.apply(src, 5));
  }
  await writeFile(join(dir, 'unrelated.jpg'), await syntheticImage(900, 700, 777, 'jpeg'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('robust re-post matching (region_dct, region_mag)', () => {
  it('hash output imports as a bank: PDQ, region_dct, region_mag, MD5, SHA-256', async () => {
    const hashed = await runCli(['hash', '--format', 'jsonl', join(dir, 'original.jpg')]);
    expect(hashed.code).toBe(0);
    original = jsonLines<typeof original>(hashed.stdout)[0];
    // region_dct: the whole picture, two central regions and four quadrants (flat ones left out); region_mag: two.
    expect(original.regionDct.length).toBeGreaterThanOrEqual(5);
    expect(original.regionMag).toHaveLength(2);
    const regions = original.regionDct.length + original.regionMag.length;
    expect((await runCli(['bank', 'create', 'case-12', '--db', db])).code).toBe(0);
    const imported = await runCli(['bank', 'import', 'case-12', '-', '--db', db, '--format', 'jsonl'], { input: hashed.stdout });
    expect(imported.code, imported.stderr).toBe(0);
    const report = JSON.parse(imported.stdout) as { added: number; skipped: number };
    expect(report).toMatchObject({ added: 3 + regions, skipped: 0 });
  });

  it('finds every edited copy PDQ misses, naming the signal and its distance', async () => {
    const files = EDITS.map((n) => join(dir, `${n.replace(/[^a-z0-9]+/gi, '_')}.jpg`));
    const r = await runCli(['match', '--format', 'jsonl', '--db', db, ...files, join(dir, 'unrelated.jpg')]);
    expect(r.code, r.stderr).toBe(0);
    const answers = jsonLines<Answer>(r.stdout);
    expect(answers).toHaveLength(EDITS.length + 1);
    for (const a of answers.slice(0, EDITS.length)) {
      const robust = a.matches.filter((m) => m.signalType === 'region_dct' || m.signalType === 'region_mag');
      expect(robust.length, a.query).toBeGreaterThan(0);
      expect(robust[0].distance).toBeLessThanOrEqual(robust[0].signalType === 'region_dct' ? 32 : REGION_MAG_THRESHOLD);
      expect(robust[0].sourceRef).toBe(`sha256:${original.sha256.slice(0, 16)}`);
    }
    expect(answers[EDITS.length].matches).toEqual([]);
  });

  it('a scan of a chat export finds a screenshot of the banked picture by region_dct', async () => {
    const exportDir = join(dir, 'export');
    await mkdir(join(exportDir, 'photos'), { recursive: true });
    const shot = await readFile(join(dir, 'screenshot_story_dark_1_2.jpg'));
    await writeFile(join(exportDir, 'photos', 'photo_1.jpg'), shot);
    await writeFile(join(exportDir, 'result.json'), JSON.stringify({
      name: 'Synthetic group', type: 'private_supergroup', id: 1001,
      messages: [{ id: 1, type: 'message', date: '2026-01-02T10:00:00', date_unixtime: '1767348000', from: 'Sender A', from_id: 'user1',
        photo: 'photos/photo_1.jpg', width: 540, height: 1170, text: '' }],
    }));
    const json = join(dir, 'scan.json');
    const run = await runCli(['scan', exportDir, '--db', db, '--json', json, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(await readFile(json, 'utf8')) as { summary: { bankMatches: number }; matches: { signalType: string; distance: number }[] };
    expect(report.summary.bankMatches).toBe(1);
    expect(report.matches[0].signalType).toBe('region_dct');
    expect(report.matches[0].distance).toBeLessThanOrEqual(32);
  });

  it('leaves PDQ as the reference computes it: the hash output PDQ of a tagged photo is that of its stored pixels', async () => {
    const tagged = jsonLines<{ pdq: string }>((await runCli(['hash', '--format', 'jsonl', join(dir, 'EXIF_orientation_6.jpg')])).stdout)[0];
    // Stored turned a quarter: PDQ (no EXIF applied, as the reference) is far from the original's.
    expect(pdqDistance(tagged.pdq, original.pdq)).toBeGreaterThan(31);
  });
});
