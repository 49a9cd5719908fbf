/**
 * Issue 12 in the victim's browser: the page's worker (headless Chromium, the real page against the real server
 * on SQLite) hashes conformance JPEGs and generated JPEGs with an EXIF orientation tag (6 and 8), and every signal
 * it sends — PDQ, each region_dct and each region_mag value — equals what `unexpose hash --format jsonl` computes
 * for the same file (PDQ with the full-resolution pipeline, the one the page runs). The case banks them all; then
 * `unexpose match` of the picture re-posted with the rotation baked in, and of a phone screenshot of it, finds her
 * case. No request carries media bytes. Worker times (all signals vs PDQ alone) go to test-results/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServerSqlite } from './page-server.js';
import { chromiumMissing, openBrowser } from './chromium.js';
import { syntheticImage } from '../support/synthetic-images.js';
import { PICTURE_EDITS } from '../support/picture-edits.js';
import { jsonLines, runCli } from '../support/run-cli.js';

const CONFORMANCE = resolve('../shared/conformance/pdq/repo/pdq/data');
const CONFORMANCE_FILES = ['bridge-mods/aaa-orig.jpg', 'bridge-mods/high-contrast.jpg', 'reg-test-input/labelme-subset/q0003.jpg', 'misc-images/wee.jpg'];
const MAGIC = [Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('\x89PNG', 'latin1'), Buffer.from('Exif')];

interface Region { value: string; quality: number }
interface SentPhoto { pdq: string; quality: number; regionDct: Region[]; regionMag: Region[] }
interface Hashed { path: string; pdq: string; quality: number; regionDct?: Region[]; regionMag?: Region[] }
interface Answer { query: string; matches: { bank: string; signalType: string; distance: number; sourceRef: string | null }[] }

if (chromiumMissing) console.warn(`robust signals browser test skipped: ${chromiumMissing}`);
if (!existsSync(CONFORMANCE)) console.warn(`robust signals browser test: ${CONFORMANCE} is absent, only generated JPEGs are hashed`);

/** Chooses the files on the page, waits for the worker, sends the case; answers what was sent and the worker times. */
async function bankOnPage(page: Page, url: string, files: string[]) {
  const bodies: Buffer[] = [];
  page.on('request', (r) => { const b = r.postDataBuffer(); if (b) bodies.push(b); });
  await page.goto(url + '/');
  await page.getByRole('button', { name: 'Start' }).click();
  await page.setInputFiles('#files', files);
  await expect.poll(() => page.locator('.item.ready').count(), { timeout: 120_000 }).toBe(files.length);
  const times = await page.locator('.item.ready').evaluateAll((els) => els.map((e) => ({ all: Number(e.getAttribute('data-ms')), pdq: Number(e.getAttribute('data-pdq-ms')) })));
  await page.getByRole('button', { name: 'Send fingerprints' }).click();
  await page.getByTestId('case-number').waitFor();
  const caseNumber = (await page.getByTestId('case-number').textContent())!;
  const created = bodies.find((b) => b.toString('utf8').includes('"photos"'))!;
  return { caseNumber, sent: JSON.parse(created.toString('utf8')) as { photos: SentPhoto[] }, bodies, times };
}

describe.skipIf(!!chromiumMissing)('robust signals in the victim page', () => {
  let server: Awaited<ReturnType<typeof startTestServerSqlite>>;
  let dir: string;
  let dbPath: string;
  const files: string[] = [];
  let original: Buffer;

  beforeAll(async () => {
    if (!existsSync('web/dist/index.html')) execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'unexpose-robust-page-'));
    original = await syntheticImage(900, 700, 4242, 'jpeg', 92);
    // Phone-style photos: stored turned, with the EXIF orientation that turns them upright (6 and 8).
    for (const t of [6, 8]) {
      const f = join(dir, `tagged-${t}.jpg`);
      writeFileSync(f, await PICTURE_EDITS.find((e) => e.name === `EXIF orientation ${t}`)!.apply(original, 1));
      expect((await sharp(f).metadata()).orientation).toBe(t);
      files.push(f);
    }
    const grey = join(dir, 'grey-tagged-6.jpg');
    writeFileSync(grey, await sharp(await syntheticImage(640, 480, 99, 'jpeg')).greyscale().jpeg({ quality: 85 }).withMetadata({ orientation: 6 }).toBuffer());
    files.push(grey);
    if (existsSync(CONFORMANCE)) files.push(...CONFORMANCE_FILES.map((f) => join(CONFORMANCE, f)));
    dbPath = join(dir, 'page.db');
    server = await startTestServerSqlite(dbPath);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('computes every signal the server banks, equal to `unexpose hash`, and the case banks them; a re-post is found', async () => {
    const b = await openBrowser({ width: 1280, height: 900 });
    let banked: Awaited<ReturnType<typeof bankOnPage>>;
    try {
      banked = await bankOnPage(await b.context.newPage(), server.url, files);
    } finally {
      await b.close();
    }
    for (const body of banked.bodies) for (const m of MAGIC) expect(body.includes(m), 'a request carries media bytes').toBe(false);

    const hashed = await runCli(['hash', '--format', 'jsonl', '--pipeline', 'full', ...files]);
    expect(hashed.code, hashed.stderr).toBe(0);
    const cli = jsonLines<Hashed>(hashed.stdout);
    expect(banked.sent.photos).toHaveLength(files.length);
    for (const [i, f] of files.entries()) {
      const want = cli.find((h) => h.path.endsWith(f.split('/').pop()!))!;
      const got = banked.sent.photos[i];
      expect({ file: f.split('/').pop(), ...got }).toEqual({
        file: f.split('/').pop(), pdq: want.pdq, quality: want.quality, regionDct: want.regionDct ?? [], regionMag: want.regionMag ?? [],
      });
      // The generated photos have texture everywhere: each region gives a value (a small or flat conformance image may give none).
      if (!f.startsWith(CONFORMANCE)) expect(got.regionDct.length, f).toBeGreaterThan(4);
    }

    // The case holds them all: PDQ, region_dct and region_mag of each photo.
    const rows = await server.db().selectFrom('bank_entry').select(['signal_type', 'signal_key as signal']).execute();
    const want = banked.sent.photos.flatMap((p) => [['pdq', p.pdq], ...p.regionDct.map((r) => ['region_dct', r.value]), ...p.regionMag.map((r) => ['region_mag', r.value])]);
    // (tagged-6 and tagged-8 are one picture stored turned two ways: some upright region values agree, banked once.)
    const key = (t: string, v: string) => `${t}:${v.toLowerCase()}`;
    expect(rows.map((r) => key(r.signal_type, r.signal)).sort()).toEqual([...new Set(want.map(([t, v]) => key(t, v)))].sort());

    // Re-posts: the tagged photo with the rotation baked in (what a platform re-encodes), and a phone screenshot of it.
    const baked = join(dir, 'baked.jpg');
    writeFileSync(baked, await sharp(files[0]).rotate().jpeg({ quality: 80 }).toBuffer());
    const shot = join(dir, 'screenshot.jpg');
    writeFileSync(shot, await PICTURE_EDITS.find((e) => e.name === 'screenshot story dark 1/2')!.apply(readFileSync(files[0]), 3));
    const unrelated = join(dir, 'unrelated.jpg');
    writeFileSync(unrelated, await syntheticImage(900, 700, 777, 'jpeg'));
    const m = await runCli(['match', '--format', 'jsonl', '--db', dbPath, baked, shot, unrelated]);
    expect(m.code, m.stderr).toBe(0);
    const answers = jsonLines<Answer>(m.stdout);
    // PDQ alone (no EXIF applied, as the reference) misses the baked re-post: the region signals find it.
    expect(answers[0].matches.filter((x) => x.signalType === 'pdq')).toEqual([]);
    for (const a of answers.slice(0, 2)) {
      const hit = a.matches.find((x) => x.bank === `case-${banked.caseNumber}` && (x.signalType === 'region_dct' || x.signalType === 'region_mag'));
      expect(hit, `${a.query} finds her case`).toBeDefined();
      expect(hit!.sourceRef).toBe('photo 1');
    }
    expect(answers[2].matches).toEqual([]);

    const figures = {
      photos: files.map((f) => f.split('/').pop()),
      workerMsAllSignals: banked.times.map((t) => t.all),
      workerMsPdqAlone: banked.times.map((t) => t.pdq),
    };
    mkdirSync(resolve('test-results'), { recursive: true });
    writeFileSync(resolve('test-results/browser-robust-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  }, 300_000);
});
