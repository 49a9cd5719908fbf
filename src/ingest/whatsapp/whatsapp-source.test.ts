import { mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateWhatsAppExport } from '../../../test/fixtures/whatsapp/generate-whatsapp-export.js';
import { WHATSAPP_LOCALES } from '../../../test/fixtures/whatsapp/whatsapp-locales.js';
import { findIdentifiers } from '../../core/identifiers/index.js';
import { folderExportFiles } from '../../io/fs/export-files.js';
import { useTempDirs } from '../../../test/support/temp-dirs.js';
import { runChatSourceCases } from '../chat-source.case.js';
import { identifierTexts, type ChatMessage, type IngestNotice, type StreamOptions } from '../chat-source.js';
import { whatsappChatId, whatsappChatName, whatsappSource } from './whatsapp-source.js';

const tempDir = useTempDirs();

runChatSourceCases({
  source: whatsappSource,
  async make(dir) {
    const m = await generateWhatsAppExport({ dir, seed: 3, platform: 'android', messages: 120, photos: 10, withMedia: true, phoneNumbers: 4 });
    return { total: m.times.length };
  },
  async makeTruncated(dir) {
    const m = await generateWhatsAppExport({ dir, seed: 4, platform: 'ios', messages: 30, photos: 0, withMedia: false, phoneNumbers: 0 });
    const path = join(dir, m.chatFile);
    await writeFile(path, `${(await readFile(path, 'utf8')).trimEnd()}\n[01/04/2025, 10:00:00] A: laatste 😂`);
    const bytes = (await readFile(path)).length;
    await truncate(path, bytes - 2); // inside the emoji
    return { file: m.chatFile, kept: m.times.length + 1 };
  },
  async makeWithMediaPaths(dir, hostile) {
    await mkdir(dir, { recursive: true });
    const lines = ['01/03/2025, 10:00 - A: hallo', ...hostile.map((p, i) => `01/03/2025, 10:0${i + 1} - A: ${p} (file attached)`)];
    await writeFile(join(dir, 'WhatsApp Chat with H.txt'), `${lines.join('\n')}\n`);
  },
});

async function read(dir: string, opts: StreamOptions = {}): Promise<{ messages: ChatMessage[]; notices: IngestNotice[] }> {
  const files = folderExportFiles(dir);
  const exp = whatsappSource.open(files, await whatsappSource.detect(files));
  const messages: ChatMessage[] = [];
  const notices: IngestNotice[] = [];
  for await (const b of exp.stream({ timeZone: 'UTC', ...opts })) { messages.push(...b.messages); notices.push(...b.notices); }
  return { messages, notices };
}

const serious = (ns: IngestNotice[]) => ns.filter((n) => n.code !== 'local_time');

describe('whatsapp source on generated exports in every locale', () => {
  for (const locale of WHATSAPP_LOCALES) {
    for (const platform of ['android', 'ios'] as const) {
      const withMedia = platform === 'android' ? locale.length === 2 : locale.length !== 2;
      it(`${locale} ${platform} ${withMedia ? 'with' : 'without'} media: counts, times, media, service lines and identifiers`, async () => {
        const dir = await tempDir('unexpose-wa-');
        const m = await generateWhatsAppExport({ dir, seed: 9, platform, locale, withMedia, messages: 200, photos: 15, videos: 5, contacts: 2, phoneNumbers: 6, handles: 3 });
        const { messages, notices } = await read(dir);
        expect(serious(notices)).toEqual([]);
        const msgs = messages.filter((x) => x.type === 'message');
        expect(msgs).toHaveLength(m.counts.messages);
        expect(messages.filter((x) => x.type === 'service')).toHaveLength(m.counts.serviceMessages);
        expect(new Set(msgs.map((x) => x.senderId)).size).toBe(m.counts.participants);
        expect(messages.map((x) => x.unixTime)).toEqual(m.times);
        expect(messages.filter((x) => x.media?.kind === 'contact')).toHaveLength(2);
        if (withMedia) {
          expect(messages.filter((x) => x.media?.kind === 'photo').map((x) => x.media!.path)).toEqual(m.photoFiles);
          const exp = whatsappSource.open(folderExportFiles(dir), [m.chatFile]);
          expect((await exp.resolveMedia(messages.find((x) => x.media?.kind === 'photo')!)).localPath).toMatch(/\.jpg$/);
        } else {
          const omitted = messages.filter((x) => x.media?.missing === 'omitted');
          expect(omitted).toHaveLength(m.counts.photos + m.counts.videos);
          if (platform === 'ios') expect(omitted.filter((x) => x.media!.kind === 'photo')).toHaveLength(m.counts.photos);
        }
        expect(messages.filter((x) => x.text.includes('\n')).length).toBeGreaterThanOrEqual(m.counts.multiline);
        const found = messages.flatMap((x) => identifierTexts(x).flatMap((t) => findIdentifiers(t)));
        expect([...new Set(found.filter((f) => f.kind === 'phone').map((f) => f.value))].sort()).toEqual(m.phones);
        expect([...new Set(found.filter((f) => f.kind === 'handle').map((f) => `${f.platform}:${f.value}`))].sort()).toEqual(m.handles);
        expect(messages[0].chat).toMatchObject({ type: 'whatsapp_group', name: platform === 'ios' ? expect.any(String) : 'Synthetische groep' });
      });
    }
  }

  it('an iOS group: system lines under the group\'s name are service messages and the group is no participant', async () => {
    const dir = await tempDir('unexpose-wa-ios-');
    await writeFile(join(dir, '_chat.txt'), [
      '[29.11.18, 10:50:12] Family: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.',
      '[29.11.18, 10:50:12] Josh: \u200eJosh created this group', '[29.11.18, 10:50:13] Family: \u200eJosh added Mia', '[29.11.18, 10:51:00] Josh: hoi',
      '[29.11.18, 10:52:00] Mia: hallo', '[29.11.18, 10:53:00] Sam: \u200eimage omitted', '[29.11.18, 10:54:00] Josh: Josh left'].join('\r\n'));
    const { messages } = await read(dir);
    expect(messages.map((x) => x.type)).toEqual(['service', 'service', 'service', 'message', 'message', 'message', 'service']);
    expect(new Set(messages.filter((x) => x.type === 'message').map((x) => x.senderId))).toEqual(new Set(['wa:Josh', 'wa:Mia', 'wa:Sam']));
    expect(messages[0].chat.type).toBe('whatsapp_group');
  });

  it('a personal chat loses its name (it is a person\'s)', async () => {
    const dir = await tempDir('unexpose-wa-personal-');
    const m = await generateWhatsAppExport({ dir, seed: 2, platform: 'android', locale: 'de', group: false, chatName: 'Anna Beispiel', messages: 40, photos: 0, withMedia: false, phoneNumbers: 0 });
    const { messages, notices } = await read(dir);
    expect(messages).toHaveLength(m.times.length);
    expect(messages[0].chat).toMatchObject({ type: 'whatsapp_personal', name: null });
    expect(notices.length).toBeGreaterThan(0);
    for (const n of notices) expect(`${n.file} ${n.message}`).not.toMatch(/Anna|Beispiel/);
  });

  it('reads local times in the given zone and stores UTC; says which zone', async () => {
    const dir = await tempDir('unexpose-wa-tz-');
    const m = await generateWhatsAppExport({ dir, seed: 5, platform: 'ios', locale: 'nl', timeZone: 'Europe/Amsterdam', startUnix: Date.UTC(2025, 2, 20) / 1000, messages: 300, photos: 0, withMedia: false, phoneNumbers: 0 });
    const { messages, notices } = await read(dir, { timeZone: 'Europe/Amsterdam' });
    expect(messages.map((x) => x.unixTime)).toEqual(m.times); // across the switch to summer time
    expect(notices.find((n) => n.code === 'local_time')?.message).toMatch(/Europe\/Amsterdam/);
    await expect(read(dir, { timeZone: 'Mars/Olympus' })).rejects.toThrow(/unknown time zone/);
  });

  it('accepts a chat whose head is a preamble, a captioned attachment and a long message', async () => {
    const dir = await tempDir('unexpose-wa-head-');
    const long = Array.from({ length: 40 }, (_, i) => `regel ${i}`);
    await writeFile(join(dir, 'WhatsApp Chat with Q.txt'), ['Kopie van de chat', '12/03/2025, 10:00 - A: IMG-20250312-WA0001.jpg (file attached)', 'onderschrift', '12/03/2025, 10:01 - B: begin', ...long, '12/03/2025, 10:02 - A: einde'].join('\n'));
    const { messages, notices } = await read(dir);
    expect(messages).toHaveLength(3);
    expect(messages[0].media).toMatchObject({ kind: 'photo' });
    expect(notices.find((n) => n.code === 'invalid_message')?.count).toBe(1);
  });

  it('reports header-like lines in another format, and an ambiguous date order', async () => {
    const dir = await tempDir('unexpose-wa-odd-');
    await writeFile(join(dir, 'WhatsApp Chat with O.txt'), ['01/02/2025, 10:00 - A: een', '2025-02-01 10:05 - log regel', '01/02/2025, 10:06 - B: twee', '02/02/2025, 10:07 - A: drie'].join('\n'));
    const { messages, notices } = await read(dir);
    expect(messages).toHaveLength(3);
    expect(messages[0].text).toContain('log regel');
    expect(notices.find((n) => n.code === 'unparsed_header')).toMatchObject({ count: 1, message: expect.stringContaining('line 2') });
    expect(notices.find((n) => n.code === 'ambiguous_date_order')).toBeDefined();
  });

  it('names chats from the file name', () => {
    expect(whatsappChatName('WhatsApp Chat with Groep X.txt')).toBe('Groep X');
    expect(whatsappChatName('export/WhatsApp Chat - Groep Y.txt')).toBe('Groep Y');
    expect(whatsappChatName('Kanaal Z/_chat.txt')).toBe('Kanaal Z');
    expect(whatsappChatName('_chat.txt', '/exports/WhatsApp Chat - Groep Q.zip')).toBe('Groep Q');
    expect(whatsappChatId('_chat.txt', '/a/WhatsApp Chat - Groep Q.zip')).toBe(whatsappChatId('x/WhatsApp Chat - Groep Q/_chat.txt'));
    expect(whatsappChatId('_chat.txt', '/a/WhatsApp Chat - Groep Q.zip')).not.toBe(whatsappChatId('_chat.txt', '/a/WhatsApp Chat - Groep R.zip'));
    expect(whatsappChatName('WhatsApp Chat with +31 6 12345678.txt')).toBe('+31 6 •••• ••78');
    expect(whatsappChatId('WhatsApp Chat with +31 6 12345678.txt')).toMatch(/^wa:[0-9a-f]{16}$/);
  });

  it('keeps messages with impossible dates, without a time, and counts them in one notice', async () => {
    const dir = await tempDir('unexpose-wa-dates-');
    await writeFile(join(dir, 'WhatsApp Chat with D.txt'), '01/03/2025, 10:00 - A: goed\n01/01/1970, 10:00 - A: oud\n01/01/2100, 10:00 - A: toekomst\n31/02/2025, 10:00 - A: bestaat niet\n');
    const { messages, notices } = await read(dir);
    expect(messages.map((m) => m.unixTime === null)).toEqual([false, true, true, true]);
    expect(serious(notices)).toEqual([expect.objectContaining({ code: 'absurd_value', count: 3 })]);
  });

  it('does not take a random text file for a chat', async () => {
    const dir = await tempDir('unexpose-wa-no-');
    await writeFile(join(dir, 'notes.txt'), 'boodschappen\nmelk\n12-05-2024 10:00 tandarts\n');
    expect(await whatsappSource.detect(folderExportFiles(dir))).toEqual([]);
  });
});

describe('whatsapp source on hostile input', () => {
  it('stays bounded on a file without line breaks and on one endless message', async () => {
    const dir = await tempDir('unexpose-wa-big-');
    const endless = `01/03/2025, 10:00 - A: begin\n${'x'.repeat(3 * 2 ** 20)}\n${'regel\n'.repeat(300_000)}01/03/2025, 10:05 - B: einde\n`;
    await writeFile(join(dir, 'WhatsApp Chat with Big.txt'), endless);
    const { messages, notices } = await read(dir);
    expect(messages).toHaveLength(2);
    expect(messages[0].text.length).toBeLessThanOrEqual(2 ** 20 + 100);
    expect(notices.find((n) => n.code === 'absurd_value')?.message).toMatch(/longer than/);
    await writeFile(join(dir, 'notes.txt'), 'y'.repeat(5 * 2 ** 20));
    expect(await whatsappSource.detect(folderExportFiles(dir))).toEqual(['WhatsApp Chat with Big.txt']);
  });
});
