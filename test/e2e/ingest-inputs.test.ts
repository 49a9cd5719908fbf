/**
 * The input side of `unexpose scan`, end to end through the built CLI: the same Telegram export read from a
 * folder, from a zip and from its result.json gives the same figures; a zip with entries that escape it and a
 * zip bomb entry is scanned with those entries named and refused; WhatsApp exports (Android folder with media,
 * iOS zip without) give the generator's counts and phone numbers; Telegram's invalid \xHH escapes are repaired
 * and reported.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTelegramExport, type TelegramExportManifest } from '../fixtures/telegram/generate-telegram-export.js';
import { generateWhatsAppExport } from '../fixtures/whatsapp/generate-whatsapp-export.js';
import { writeZip, type ZipInput } from '../fixtures/zip-writer.js';
import { runCli } from '../support/run-cli.js';

let dir: string;
let tg: TelegramExportManifest;

async function filesOf(root: string, prefix = ''): Promise<ZipInput[]> {
  const out: ZipInput[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else out.push({ name: prefix + relative(root, join(d, e.name)).split(/[\\/]/).join('/'), data: await readFile(join(d, e.name)) });
    }
  };
  await walk(root);
  return out;
}

interface Report { summary: Record<string, number>; notices: { code: string; level: string; message: string }[] }
async function scan(inputs: string[], name: string, extra: string[] = []): Promise<{ code: number; stderr: string; report: Report }> {
  const json = join(dir, `${name}.json`);
  const run = await runCli(['scan', ...inputs, '--db', join(dir, `${name}.db`), '--json', json, '--quiet', ...extra]);
  expect(run.code, run.stderr).toBe(0);
  return { code: run.code, stderr: run.stderr, report: JSON.parse(await readFile(json, 'utf8')) as Report };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-ingest-e2e-'));
  tg = await generateTelegramExport({ dir: join(dir, 'tg'), seed: 21, messages: 800, photos: 30, videos: 12, phoneNumbers: 5, hexEscapes: 2 });
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('scan inputs', () => {
  it('reads a Telegram export the same from its folder, a zip and its result.json, and reports repaired escapes', async () => {
    const zipPath = await writeZip(join(dir, 'tg.zip'), await filesOf(join(dir, 'tg'), 'ChatExport_2025-03-31/'));
    const folder = await scan([join(dir, 'tg')], 'folder');
    const zipped = await scan([zipPath], 'zip');
    const single = await scan([tg.resultJson], 'single');
    const c = tg.counts;
    expect(folder.report.summary).toMatchObject({ messages: c.messages, serviceMessages: c.serviceMessages, photos: c.photos, videos: c.videos, phoneNumbers: c.phoneNumbers, handles: c.handles });
    expect(zipped.report.summary).toEqual(folder.report.summary);
    expect(single.report.summary).toEqual(folder.report.summary);
    for (const r of [folder, zipped]) {
      const repaired = r.report.notices.find((n) => n.code === 'escape_repaired');
      expect(repaired?.message).toMatch(/result\.json: repaired 4 invalid \\xHH escape\(s\).*first at byte \d+/);
    }
  });

  it('refuses zip entries that escape the archive and a zip bomb entry, naming them, and scans the rest', async () => {
    const entries = await filesOf(join(dir, 'tg'));
    entries.push({ name: '../../evil.jpg', data: new Uint8Array([0xff, 0xd8, 0xff]) });
    entries.push({ name: 'photos/bomb.bin', data: new Uint8Array(24 * 2 ** 20) });
    const zipPath = await writeZip(join(dir, 'hostile.zip'), entries);
    const { report } = await scan([zipPath], 'hostile');
    expect(report.summary.messages).toBe(tg.counts.messages);
    expect(report.summary.photos).toBe(tg.counts.photos);
    const text = report.notices.map((n) => n.message).join('\n');
    expect(text).toMatch(/unsafe path "\.\.\/\.\.\/evil\.jpg" in zip .*hostile\.zip: it climbs out with "\.\."; not read/);
    expect(text).toMatch(/zip entry "photos\/bomb\.bin" in .*hostile\.zip would grow from \d+ to 25165824 bytes .*zip bomb; not read/);
  });

  it('reads WhatsApp exports: an Android folder with media and an iOS zip without', async () => {
    const android = await generateWhatsAppExport({ dir: join(dir, 'wa-android'), seed: 5, platform: 'android', messages: 300, photos: 20, videos: 4, withMedia: true, phoneNumbers: 6, handles: 2 });
    const ios = await generateWhatsAppExport({ dir: join(dir, 'wa-ios'), seed: 6, platform: 'ios', messages: 250, photos: 10, videos: 3, withMedia: false, phoneNumbers: 4, clock: '12h' });
    const iosZip = await writeZip(join(dir, 'wa-ios.zip'), await filesOf(join(dir, 'wa-ios')));
    const a = await scan([join(dir, 'wa-android')], 'wa-android');
    expect(a.report.summary).toMatchObject({ messages: android.counts.messages, serviceMessages: android.counts.serviceMessages, photos: android.counts.photos, phoneNumbers: 6, handles: 2 });
    const i = await scan([iosZip], 'wa-ios');
    expect(i.report.summary).toMatchObject({ messages: ios.counts.messages, serviceMessages: ios.counts.serviceMessages, phoneNumbers: 4, mediaNotDownloaded: ios.counts.photos + ios.counts.videos });
  });

  it('reads a German iOS group chat in its phone\'s zone (--timezone) and a personal Android chat, dropping its name', async () => {
    const de = await generateWhatsAppExport({ dir: join(dir, 'wa-de'), seed: 8, platform: 'ios', locale: 'de', timeZone: 'Europe/Berlin', messages: 120, photos: 6, withMedia: false, phoneNumbers: 2 });
    const r = await scan([join(dir, 'wa-de')], 'wa-de', ['--timezone', 'Europe/Berlin']);
    expect(r.report.summary).toMatchObject({ messages: de.counts.messages, serviceMessages: de.counts.serviceMessages, participants: de.counts.participants, mediaNotDownloaded: 6 });
    expect((r.report as unknown as { run: { firstMessage: string } }).run.firstMessage).toBe(new Date(de.times[0] * 1000).toISOString());
    expect(r.report.notices.find((n) => n.code === 'local_time')?.message).toMatch(/Europe\/Berlin/);
    await generateWhatsAppExport({ dir: join(dir, 'wa-personal'), seed: 9, platform: 'android', locale: 'fr', group: false, chatName: 'Camille Exemple', messages: 30, photos: 0, withMedia: false, phoneNumbers: 0 });
    const p = await scan([join(dir, 'wa-personal')], 'wa-personal', ['--timezone', 'Europe/Paris']);
    expect(JSON.stringify(p.report)).not.toMatch(/Camille|Exemple/);
    const bad = await runCli(['scan', join(dir, 'wa-de'), '--db', join(dir, 'bad-tz.db'), '--timezone', 'Mars/Olympus']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown time zone "Mars\/Olympus"/);
  });

  it('names a JSON file that is not an export', async () => {
    await writeFile(join(dir, 'notes.json'), '{"hello": "world"}');
    const run = await runCli(['scan', join(dir, 'notes.json'), '--db', join(dir, 'n.db')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/notes\.json/);
  });
});
