import { mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateWhatsAppExport } from '../../../test/fixtures/whatsapp/generate-whatsapp-export.js';
import { findIdentifiers } from '../../core/identifiers/index.js';
import { folderExportFiles } from '../../io/fs/export-files.js';
import { useTempDirs } from '../../../test/support/temp-dirs.js';
import { runChatSourceCases } from '../chat-source.case.js';
import { identifierTexts, type ChatMessage, type IngestNotice } from '../chat-source.js';
import { MAX_LINE_BYTES, MAX_MESSAGE_BYTES, whatsappChatId, whatsappChatName, whatsappSource } from './whatsapp-source.js';


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

async function read(dir: string): Promise<{ messages: ChatMessage[]; notices: IngestNotice[] }> {
  const files = folderExportFiles(dir);
  const exp = whatsappSource.open(files, await whatsappSource.detect(files));
  const messages: ChatMessage[] = [];
  const notices: IngestNotice[] = [];
  for await (const b of exp.stream()) { messages.push(...b.messages); notices.push(...b.notices); }
  return { messages, notices };
}

describe('whatsapp source on generated exports', () => {
  for (const [platform, clock, dateOrder, withMedia] of [['android', '24h', 'dmy', true], ['ios', '12h', 'mdy', false], ['android', '12h', 'mdy', false], ['ios', '24h', 'dmy', true]] as const) {
    it(`${platform} ${clock} ${dateOrder} ${withMedia ? 'with' : 'without'} media: counts, times, media and identifiers`, async () => {
      const dir = await tempDir('unexpose-wa-');
      const m = await generateWhatsAppExport({ dir, seed: 9, platform, clock, dateOrder, withMedia, messages: 200, photos: 15, videos: 5, phoneNumbers: 6, handles: 3 });
      const { messages, notices } = await read(dir);
      expect(notices).toEqual([]);
      expect(messages.filter((x) => x.type === 'message')).toHaveLength(m.counts.messages);
      expect(messages.filter((x) => x.type === 'service')).toHaveLength(m.counts.serviceMessages);
      expect(messages.map((x) => x.unixTime)).toEqual(m.times);
      const photos = messages.filter((x) => x.media?.kind === 'photo' || (x.media?.kind === 'unknown' && !withMedia));
      expect(photos.length).toBeGreaterThanOrEqual(m.counts.photos);
      if (withMedia) {
        expect(messages.filter((x) => x.media?.kind === 'photo').map((x) => x.media!.path)).toEqual(m.photoFiles);
        const files = folderExportFiles(dir);
        const exp = whatsappSource.open(files, [m.chatFile]);
        const r = await exp.resolveMedia(messages.find((x) => x.media?.kind === 'photo')!);
        expect(r.localPath).toMatch(/\.jpg$/);
      } else {
        expect(messages.every((x) => !x.media || x.media.missing === 'omitted')).toBe(true);
      }
      expect(messages.filter((x) => x.text.includes('\n')).length).toBeGreaterThanOrEqual(m.counts.multiline);
      const found = messages.flatMap((x) => identifierTexts(x).flatMap((t) => findIdentifiers(t)));
      expect([...new Set(found.filter((f) => f.kind === 'phone').map((f) => f.value))].sort()).toEqual(m.phones);
      expect([...new Set(found.filter((f) => f.kind === 'handle').map((f) => `${f.platform}:${f.value}`))].sort()).toEqual(m.handles);
      expect(messages[0].chat).toMatchObject({ type: 'whatsapp_chat', name: platform === 'ios' ? expect.any(String) : 'Synthetische groep' });
    });
  }

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
    expect(notices).toEqual([expect.objectContaining({ code: 'absurd_value', count: 3 })]);
  });

  it('does not take a random text file for a chat', async () => {
    const dir = await tempDir('unexpose-wa-no-');
    await writeFile(join(dir, 'notes.txt'), 'boodschappen\nmelk\n');
    expect(await whatsappSource.detect(folderExportFiles(dir))).toEqual([]);
  });
});

describe('WhatsApp bounds', () => {
  it('cuts an endless line and a message of very many lines, keeps every message, and says so by file', async () => {
    const dir = await tempDir('unexpose-wa-bounds-');
    const file = 'WhatsApp Chat with Groep.txt';
    const endless = 'ab'.repeat(MAX_LINE_BYTES);
    const manyLines = 'x\n'.repeat(MAX_MESSAGE_BYTES);
    await writeFile(join(dir, file), `01/01/2026, 10:00 - A: hallo\n01/01/2026, 10:01 - A: ${endless}\n01/01/2026, 10:02 - B: ${manyLines}01/01/2026, 10:03 - A: 06 12345678\n`);
    const messages: ChatMessage[] = [];
    const notices: IngestNotice[] = [];
    for await (const b of whatsappSource.open(folderExportFiles(dir), [file]).stream({ now: 1_800_000_000 })) {
      messages.push(...b.messages);
      notices.push(...b.notices);
    }
    expect(messages.map((m) => m.id)).toEqual([1, 2, 3, 4]);
    expect(messages[1].text.length).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(Buffer.byteLength(messages[2].text)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(messages[3].text).toBe('06 12345678');
    expect(notices.find((n) => n.code === 'input_cut')).toMatchObject({ count: 2, file: expect.stringContaining(file) });
  });
});
