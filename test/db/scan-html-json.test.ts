/**
 * Acceptance for the Telegram HTML source: one generated chat written both as Telegram Desktop JSON and as HTML
 * in the app's structure gives the same scan summary. HTML cannot carry message links, sender ids or the chat id
 * (said in a 'format_limits' notice): participants are told apart by name and userpic colour, which for this chat
 * (distinct names) gives the same count.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './each-dialect.js';
import { generateTelegramExport } from '../fixtures/telegram/generate-telegram-export.js';
import { writeTelegramHtml } from '../fixtures/telegram/write-telegram-html.js';
import { scanExports } from '../../src/services/scan/scan-exports.js';
import { identifierKeyFromBytes } from '../../src/io/crypto/identifier-key.js';
import { testStore } from './test-store.js';

let dir: string;
const key = identifierKeyFromBytes(new Uint8Array(32).fill(9), 'test');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-html-json-'));
  const json = join(dir, 'json');
  await generateTelegramExport({ dir: json, seed: 21, messages: 2200, photos: 40, distinctPhotos: 25, videos: 15, phoneNumbers: 9, participants: 12 });
  const html = join(dir, 'html');
  await mkdir(join(html, 'photos'), { recursive: true });
  for (const f of await readdir(join(json, 'photos'))) await copyFile(join(json, 'photos', f), join(html, 'photos', f));
  await writeTelegramHtml(html, join(json, 'result.json'));
}, 120_000);

afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describeEachDialect('scan_html_json', (open) => {
  it('scans the same chat as JSON and as HTML to the same summary', async () => {
    const a = await open();
    const b = await open();
    try {
      const fromJson = await scanExports({ ...testStore(a), key }, [join(dir, 'json')]);
      const fromHtml = await scanExports({ ...testStore(b), key }, [join(dir, 'html')]);
      expect(fromHtml.summary).toEqual(fromJson.summary);
      expect(fromHtml.summary.photos).toBe(40);
      expect(fromHtml.summary.mediaClusters).toBeGreaterThan(0);
      expect(fromHtml.chats[0]).toMatchObject({ source: 'telegram_html', name: null });
      expect(fromHtml.notices.find((n) => n.code === 'format_limits')?.message).toMatch(/message links.*sender ids.*chat id/);
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);
});
