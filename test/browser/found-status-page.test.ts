/**
 * Issue 12 as the victim sees it, in a real browser (Debian's chromium via playwright-core) against the real server
 * on SQLite: she banks two generated pictures on the page (hashed in the page; no request carries image bytes);
 * later a caseworker scans a synthetic Telegram export in which one picture was re-posted cropped and as a phone
 * screenshot (edits PDQ misses) and the other only re-compressed; her status step then lists each picture with the
 * signals that recognised it ("Recognised by": part of the photo / whole photo), in English and in Dutch, at phone
 * and desktop width, with screenshots in test-results/screenshots/{phone,desktop}-found-{en,nl}.png.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServerSqlite } from './page-server.js';
import { chromiumMissing, openBrowser } from './chromium.js';
import { axeSerious } from './axe.js';
import { syntheticImage } from '../support/synthetic-images.js';
import { PICTURE_EDITS } from '../support/picture-edits.js';

const SHOTS = resolve('test-results/screenshots');
const MAGIC = [Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('\x89PNG', 'latin1')];
const CHAT_NAME = 'Expose <b>groep</b> "synthetisch"';

if (chromiumMissing) console.warn(`found-status page test skipped: ${chromiumMissing}`);

/** The picture cropped to its middle `keep` share each way, re-compressed: what a re-post after a crop looks like. */
async function cropped(src: Buffer, keep: number): Promise<Buffer> {
  const { width, height } = await sharp(src).metadata();
  const w = Math.round(width! * keep);
  const h = Math.round(height! * keep);
  return sharp(src).extract({ left: Math.round((width! - w) / 2), top: Math.round((height! - h) / 2), width: w, height: h }).jpeg({ quality: 75 }).toBuffer();
}

/**
 * A single-chat Telegram Desktop export (result.json + photos/) of a group where `posts` are re-posted between
 * ordinary messages; returns its folder.
 */
function writeExport(root: string, chatId: number, posts: { file: string; bytes: Buffer; width: number; height: number }[]): string {
  const dir = join(root, 'Telegram export');
  mkdirSync(join(dir, 'photos'), { recursive: true });
  const t0 = 1_740_830_400; // 2025-03-01T12:00:00Z
  const messages: Record<string, unknown>[] = [];
  let id = 1;
  const at = (n: number) => ({ date: new Date((t0 + n * 86_400) * 1000).toISOString().slice(0, 19), date_unixtime: String(t0 + n * 86_400) });
  messages.push({ id: id++, type: 'message', ...at(0), from: 'Deelnemer 1', from_id: 'user5550000101', text: 'hoi', text_entities: [] });
  for (const [k, p] of posts.entries()) {
    writeFileSync(join(dir, 'photos', p.file), p.bytes);
    messages.push({
      id: id++, type: 'message', ...at(k + 1), from: `Deelnemer ${k + 2}`, from_id: `user55500001${String(k + 2).padStart(2, '0')}`,
      photo: `photos/${p.file}`, photo_file_size: p.bytes.length, width: p.width, height: p.height, text: '', text_entities: [],
    });
  }
  writeFileSync(join(dir, 'result.json'), JSON.stringify({ name: CHAT_NAME, type: 'private_supergroup', id: chatId, messages }, null, 1));
  return dir;
}

/** The rendered status table as a user reads it: one object per row, keyed by the column headers' text. */
async function readTable(page: Page): Promise<Record<string, string>[]> {
  const table = page.getByRole('table');
  const headers = (await table.getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
  const rows = await table.locator('tbody').getByRole('row').all();
  return Promise.all(rows.map(async (r) => {
    const cells = (await r.getByRole('cell').allInnerTexts()).map((c) => c.trim());
    return Object.fromEntries(headers.map((h, i) => [h, cells[i]]));
  }));
}

/** Horizontal overflow: how far the page is wider than the viewport, and the table wider than its box. */
async function overflow(page: Page): Promise<{ page: number; table: number }> {
  return page.evaluate(() => {
    const t = document.querySelector('table');
    const box = t?.parentElement;
    return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth, table: t && box ? Math.max(0, t.scrollWidth - box.clientWidth) : 0 };
  });
}

describe.skipIf(!!chromiumMissing)('the victim\'s status shows what was found and what recognised it', () => {
  let server: Awaited<ReturnType<typeof startTestServerSqlite>>;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync('web/dist/index.html')) execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { stdio: 'inherit' });
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'unexpose-found-page-'));
    server = await startTestServerSqlite(join(dir, 'page.db'));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [n, [label, viewport]] of ([['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const).entries()) {
    it(`at ${label} width: her cropped and screenshotted picture is listed, recognised by part of the photo`, async () => {
      const own = join(dir, label);
      mkdirSync(own);
      // Her two pictures (different per width, so each case is found only by its own scan).
      const first = await syntheticImage(960, 720, 3100 + n, 'jpeg', 92);
      const second = await syntheticImage(800, 600, 3200 + n, 'jpeg', 92);
      writeFileSync(join(own, 'beach.jpg'), first);
      writeFileSync(join(own, 'party.jpg'), second);

      const b = await openBrowser(viewport);
      try {
        const page = await b.context.newPage();
        const problems: string[] = [];
        page.on('request', (r) => {
          const body = r.postDataBuffer();
          if (body) for (const m of MAGIC) if (body.includes(m)) problems.push(`${r.method()} ${r.url()} carries image bytes`);
        });
        const shot = (step: string) => page.screenshot({ path: join(SHOTS, `${label}-${step}.png`), fullPage: true });

        // She banks both pictures on the page: only their fingerprints are sent.
        await page.goto(server.url + '/');
        await page.getByRole('button', { name: 'Start' }).click();
        await page.setInputFiles('#files', [join(own, 'beach.jpg'), join(own, 'party.jpg')]);
        await expect.poll(() => page.locator('.item.ready').count(), { timeout: 120_000 }).toBe(2);
        await page.getByRole('button', { name: 'Send fingerprints' }).click();
        await page.getByTestId('case-number').waitFor();
        const pin = (await page.getByTestId('pin').textContent())!;
        await page.getByLabel('I have saved my case number and PIN').check();
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.getByLabel('PIN').fill(pin);
        await page.getByRole('button', { name: 'Show' }).click();
        await expect.poll(() => page.getByTestId('items-found').textContent()).toBe('0');
        await expect(page.getByText('Nothing found yet. We keep looking.').isVisible()).resolves.toBe(true);

        // Later, in a chat export: the first picture cropped to its middle 75% and as a phone screenshot, the second
        // re-compressed smaller, and an unrelated picture.
        const crop = await cropped(first, 0.75);
        const screenshot = await PICTURE_EDITS.find((e) => e.name === 'screenshot story dark 1/2')!.apply(first, 11);
        const smaller = await sharp(second).resize(560).jpeg({ quality: 70 }).toBuffer();
        const unrelated = await syntheticImage(900, 700, 3900 + n, 'jpeg');
        const posts = await Promise.all([['crop.jpg', crop], ['story.jpg', screenshot], ['smaller.jpg', smaller], ['other.jpg', unrelated]].map(async ([file, bytes]) => {
          const m = await sharp(bytes as Buffer).metadata();
          return { file: file as string, bytes: bytes as Buffer, width: m.width!, height: m.height! };
        }));
        const exported = writeExport(own, 1900000042 + n, posts);
        const admin = await server.key('admin');
        const started = await fetch(`${server.url}/v1/scans/path`, {
          method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ path: exported }),
        });
        expect(started.status, await started.clone().text()).toBe(202);
        const self = (await started.json() as { links: { self: string } }).links.self;
        await expect.poll(async () => (await (await fetch(server.url + self, { headers: { authorization: `Bearer ${admin}` } })).json() as { status: string }).status, { timeout: 120_000 }).toBe('done');

        // She looks again: both pictures are listed, each with what recognised it.
        await page.getByRole('button', { name: 'Show' }).click();
        await expect.poll(() => page.getByTestId('items-found').textContent()).toBe('2');
        const en = await readTable(page);
        expect(Object.keys(en[0])).toEqual(['Where', 'Chats', 'Times posted', 'First seen', 'Last seen', 'Recognised by']);
        // Which of her photos, where (in words, never the chat's name).
        expect(en.map((r) => r.Where).sort()).toEqual(['Photo 1 · Telegram group', 'Photo 2 · Telegram group']);
        const beach = en.find((r) => r.Where.startsWith('Photo 1 '));
        const party = en.find((r) => r.Where.startsWith('Photo 2 '));
        // The crop and the screenshot: PDQ of the whole photo misses both, a part of the photo recognises them.
        expect(beach).toMatchObject({ 'Times posted': '2', Chats: '1', 'Recognised by': 'part of the photo' });
        // The re-compressed copy: the whole photo's PDQ recognises it (its parts may too).
        expect(party!['Recognised by'].split(', ')).toContain('whole photo');
        expect(party!['Times posted']).toBe('1');
        expect(await page.locator('main').innerText()).not.toContain('Expose');
        await shot('found-en');
        expect(await overflow(page)).toEqual({ page: 0, table: 0 });
        expect(await axeSerious(page)).toEqual([]);

        // The same in Dutch.
        await page.getByRole('button', { name: 'Nederlands' }).click();
        const nl = await readTable(page);
        expect(Object.keys(nl[0])).toEqual(['Waar', 'Chats', 'Keer geplaatst', 'Eerst gezien', 'Laatst gezien', 'Herkend aan']);
        expect(nl.map((r) => r.Waar).sort()).toEqual(['Foto 1 · Telegram groep', 'Foto 2 · Telegram groep']);
        expect(nl.find((r) => r.Waar.startsWith('Foto 1 '))).toMatchObject({ 'Keer geplaatst': '2', 'Herkend aan': 'deel van de foto' });
        expect(nl.find((r) => r.Waar.startsWith('Foto 2 '))!['Herkend aan'].split(', ')).toContain('hele foto');
        await shot('found-nl');
        expect(await overflow(page)).toEqual({ page: 0, table: 0 });
        expect(problems).toEqual([]);
      } finally {
        await b.close();
      }
    }, 300_000);
  }
});
