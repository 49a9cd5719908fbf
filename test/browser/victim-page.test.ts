/**
 * The victim page in a real browser (Debian's chromium via playwright-core) against the real server on SQLite:
 * the whole flow at phone and desktop width (intro → choose photos, a video and an undecodable HEIC → leave one
 * out → number and handle → case number + PIN → status → withdraw), with screenshots of each step in
 * test-results/screenshots/; no request carries image or video bytes; axe-core finds no serious violation;
 * withdrawal leaves no row; and the browser's PDQ of the conformance images equals the server's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticNlMobile } from '../../src/core/identifiers/synthetic-phones.js';
import { hashPhotoBytes } from '../../src/services/hash-photo.js';
import { startTestServerSqlite } from './page-server.js';
import { chromiumMissing, openBrowser } from './chromium.js';
import { axeSerious } from './axe.js';
import { syntheticImage } from '../support/synthetic-images.js';
import { hasFfmpeg, lavfiVideo } from '../e2e/video-fixtures.js';

const SHOTS = resolve('test-results/screenshots');
const CONFORMANCE = resolve('../shared/conformance/pdq/repo/pdq/data/bridge-mods');
const MAGIC: [string, Buffer][] = [
  ['JPEG', Buffer.from([0xff, 0xd8, 0xff])], ['PNG', Buffer.from('\x89PNG', 'latin1')], ['WebM/Matroska', Buffer.from([0x1a, 0x45, 0xdf, 0xa3])],
  ['MP4', Buffer.from('ftyp')], ['GIF', Buffer.from('GIF8')], ['RIFF', Buffer.from('RIFF')],
];
/** A request body larger than this would be suspect: the case body holds hashes only. */
const MAX_BODY = 64 * 1024;

if (chromiumMissing) console.warn(`victim page browser tests skipped: ${chromiumMissing}`);

function watchRequests(page: Page): { bodies: { url: string; body: Buffer }[]; problems: string[] } {
  const seen = { bodies: [] as { url: string; body: Buffer }[], problems: [] as string[] };
  page.on('request', (r: Request) => {
    const body = r.postDataBuffer();
    if (!body) return;
    seen.bodies.push({ url: r.url(), body });
    if (body.length > MAX_BODY) seen.problems.push(`${r.method()} ${r.url()} carries ${body.length} bytes`);
    for (const [name, m] of MAGIC) if (body.includes(m)) seen.problems.push(`${r.method()} ${r.url()} carries ${name} bytes`);
    if (!r.url().startsWith('http://127.0.0.1')) seen.problems.push(`request to another origin: ${r.url()}`);
  });
  return seen;
}

describe.skipIf(!!chromiumMissing)('the victim page in chromium', () => {
  let server: Awaited<ReturnType<typeof startTestServerSqlite>>;
  let dir: string;
  const files: string[] = [];
  let video: string | undefined;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    if (!existsSync('web/dist/index.html')) execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { stdio: 'inherit' });
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'unexpose-page-'));
    for (let i = 0; i < 6; i++) {
      const f = join(dir, `photo-${i}.${i % 2 ? 'png' : 'jpg'}`);
      writeFileSync(f, await syntheticImage(640 + i * 37, 480 + i * 23, 100 + i, i % 2 ? 'png' : 'jpeg'));
      files.push(f);
    }
    writeFileSync(join(dir, 'holiday.heic'), Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(64, 7)]));
    if (hasFfmpeg) {
      video = join(dir, 'clip.webm');
      await lavfiVideo(video, 'testsrc2=size=320x240:rate=25:duration=12', ['-c:v', 'libvpx', '-b:v', '300k']);
    } else console.warn('victim page: ffmpeg is absent, the video case is skipped');
    server = await startTestServerSqlite(join(dir, 'page.db'));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    writeFileSync(resolve('test-results/browser-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  });

  for (const [label, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const) {
    it(`runs the whole flow at ${label} width, sends only hashes, and withdrawal leaves nothing`, async () => {
      const b = await openBrowser(viewport);
      try {
        const page = await b.context.newPage();
        const seen = watchRequests(page);
        const shot = (step: string) => page.screenshot({ path: join(SHOTS, `${label}-${step}.png`), fullPage: true });
        await page.goto(server.url + '/');
        await page.getByRole('heading', { level: 1 }).waitFor();
        await shot('1-intro');
        expect(await axeSerious(page)).toEqual([]);
        await page.getByRole('button', { name: 'Start' }).click();

        const chosen = [...files, join(dir, 'holiday.heic'), ...(video ? [video] : [])];
        const t0 = Date.now();
        await page.setInputFiles('#files', chosen);
        await page.locator('.item.hashing').first().waitFor({ state: 'detached', timeout: 120_000 }).catch(() => undefined);
        await expect.poll(() => page.locator('.item.hashing').count(), { timeout: 120_000 }).toBe(0);
        figures[`${label}.msAllFiles`] = Date.now() - t0;
        await expect.poll(() => page.locator('.item.ready').count()).toBe(files.length + (video ? 1 : 0));
        await expect(page.locator('.item.undecodable').getByText(/HEIC/).count()).resolves.toBe(1);
        const videoMs = video ? Number(await page.locator('.item.ready', { hasText: 'clip.webm' }).getAttribute('data-ms')) : 0;
        await shot('2-chosen');
        expect(await axeSerious(page)).toEqual([]);
        // Leave out the HEIC and one photo.
        await page.getByRole('button', { name: 'Leave out: holiday.heic' }).click();
        await page.getByRole('button', { name: 'Leave out: photo-5.png' }).click();

        await page.getByLabel('Phone number').fill(syntheticNlMobile(7));
        await page.getByLabel('Phone number').press('Enter');
        await page.getByLabel('Platform').selectOption('snapchat');
        await page.getByLabel('User name').fill('@synth.person');
        await page.getByLabel('User name').press('Enter');
        await expect.poll(() => page.locator('.ids li').count()).toBe(2);
        await shot('3-identifiers');
        await page.getByRole('button', { name: 'Send fingerprints' }).click();

        await page.getByTestId('case-number').waitFor();
        const caseNumber = (await page.getByTestId('case-number').textContent())!;
        const pin = (await page.getByTestId('pin').textContent())!;
        await shot('4-case-number');
        expect(await axeSerious(page)).toEqual([]);
        expect(await page.getByRole('button', { name: 'Continue' }).isDisabled()).toBe(true);
        await page.getByLabel('I have saved my case number and PIN').check();
        await page.getByRole('button', { name: 'Continue' }).click();

        await page.getByLabel('PIN').fill(pin);
        await page.getByRole('button', { name: 'Show' }).click();
        await page.getByTestId('items-found').waitFor();
        await shot('5-status');
        expect(await axeSerious(page)).toEqual([]);

        const db = server.db();
        const before = await db.selectFrom('bank_entry').select('signal_type').execute();
        const robust = ['region_dct', 'region_mag'];
        expect(before.map((r) => r.signal_type).filter((t) => !robust.includes(t)).sort()).toEqual(['handle', 'pdq', 'pdq', 'pdq', 'pdq', 'pdq', 'phone', ...(video ? ['md5', 'vpdq'] : [])].sort());
        // Each photo also banks its region_dct and region_mag values, computed in the page.
        for (const t of robust) expect(before.filter((r) => r.signal_type === t).length, t).toBeGreaterThanOrEqual(5);

        await page.getByRole('button', { name: 'Withdraw' }).click();
        await page.getByRole('button', { name: 'Yes, delete everything of my case' }).click();
        await page.getByRole('status').waitFor();
        await shot('6-withdrawn');

        for (const table of ['victim_case', 'bank', 'bank_entry', 'bank_match'] as const) {
          expect(Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0].n), table).toBe(0);
        }
        expect(seen.problems).toEqual([]);
        const created = seen.bodies.find((x) => x.url.endsWith('/v1/cases'));
        expect(created, 'the case was sent').toBeDefined();
        const sent = JSON.parse(created!.body.toString('utf8'));
        expect(Object.keys(sent).sort()).toEqual(['identifiers', 'language', 'photos', 'videos']);
        // Normalised in the browser (E.164, platform:name); the server keeps only their keyed hashes.
        expect(sent.identifiers).toEqual([syntheticNlMobile(7).replace(/\s/g, ''), 'snapchat:synth.person']);
        expect(caseNumber).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
        if (video) {
          figures[`${label}.videoFrames`] = JSON.parse(sent.videos[0].vpdq).length;
          figures[`${label}.videoMs`] = videoMs;
          figures[`${label}.videoFramesPerSecond`] = Math.round((figures[`${label}.videoFrames`] as number) / (videoMs / 1000) * 10) / 10;
        }
      } finally {
        await b.close();
      }
    }, 300_000);
  }

  it.skipIf(!existsSync(CONFORMANCE))('computes the same PDQ as the server for the conformance images', async () => {
    const names = ['aaa-orig.jpg', 'blur-a-lot.jpg', 'high-contrast.jpg', 'square-128x128.jpg', 'shrink-a-lot.jpg'];
    const paths = names.map((n) => join(CONFORMANCE, n));
    const b = await openBrowser({ width: 1280, height: 900 });
    try {
      const page = await b.context.newPage();
      const seen = watchRequests(page);
      await page.goto(server.url + '/');
      await page.getByRole('button', { name: 'Start' }).click();
      const t0 = Date.now();
      await page.setInputFiles('#files', paths);
      await expect.poll(() => page.locator('.item.ready').count(), { timeout: 120_000 }).toBe(names.length);
      figures['conformance.msPerPhoto1600x1004'] = Math.round((Date.now() - t0) / names.length);
      figures['conformance.workerMsPerPhoto'] = await page.locator('.item.ready').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-ms'))));
      // The WebAssembly SIMD engine of the core (Chromium has SIMD), loaded under the page's CSP.
      expect(await page.locator('.item.ready').evaluateAll((els) => els.map((e) => e.getAttribute('data-engine')))).toEqual(names.map(() => 'wasm-simd'));
      await page.getByRole('button', { name: 'Send fingerprints' }).click();
      await page.getByTestId('case-number').waitFor();
      const sent = JSON.parse(seen.bodies.find((x) => x.url.endsWith('/v1/cases'))!.body.toString('utf8'));
      const browser = sent.photos.map((p: { pdq: string }) => p.pdq);
      const serverSide = await Promise.all(paths.map(async (p) => (await hashPhotoBytes(readFileSync(p), 'full')).hash));
      expect(browser).toEqual(serverSide);
      expect(seen.problems).toEqual([]);
    } finally {
      await b.close();
    }
  }, 300_000);
});
if (!existsSync(CONFORMANCE)) console.warn(`victim page: ${CONFORMANCE} is absent, the conformance case is skipped`);
