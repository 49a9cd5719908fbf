import { mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTelegramExport } from '../../../test/fixtures/telegram/generate-telegram-export.js';
import { folderExportFiles } from '../../io/fs/export-files.js';
import { useTempDirs } from '../../../test/support/temp-dirs.js';
import { runChatSourceCases } from '../chat-source.case.js';
import { mediaClass, type ChatMessage, type IngestNotice } from '../chat-source.js';
import { sniffTelegramExport, telegramSource } from './telegram-source.js';


const tempDir = useTempDirs();

runChatSourceCases({
  source: telegramSource,
  async make(dir) {
    const m = await generateTelegramExport({ dir, seed: 11, messages: 150, photos: 12, videos: 8, phoneNumbers: 6, hexEscapes: 2 });
    return { total: m.counts.messages + m.counts.serviceMessages };
  },
  async makeTruncated(dir) {
    const m = await generateTelegramExport({ dir, seed: 12, messages: 60, photos: 0, videos: 0, phoneNumbers: 0, serviceMessages: 0, writePhotos: false });
    const text = await readFile(m.resultJson, 'utf8');
    // Cut in the middle of the 41st message: 40 complete messages survive.
    let at = 0;
    for (let k = 0; k < 41; k++) at = text.indexOf('\n  {', at + 1);
    await truncate(m.resultJson, Buffer.byteLength(text.slice(0, at + 30)));
    return { file: 'result.json', kept: 40 };
  },
  async makeWithMediaPaths(dir, hostile) {
    await mkdir(dir, { recursive: true });
    const messages = hostile.map((p, i) => ({ id: i + 1, type: 'message', date: '2025-03-01T10:00:00', date_unixtime: String(1740823200 + i), from: 'A', from_id: 'user1', photo: p, width: 10, height: 10, text: '', text_entities: [] }));
    await writeFile(join(dir, 'result.json'), JSON.stringify({ name: 'H', type: 'private_supergroup', id: 42, messages }, null, 1));
  },
});

async function read(dir: string): Promise<{ messages: ChatMessage[]; notices: IngestNotice[] }> {
  const files = folderExportFiles(dir);
  const exp = telegramSource.open(files, await telegramSource.detect(files));
  const messages: ChatMessage[] = [];
  const notices: IngestNotice[] = [];
  for await (const b of exp.stream({ now: 1_760_000_000 })) { messages.push(...b.messages); notices.push(...b.notices); }
  return { messages, notices };
}

describe('telegram source on generated exports', () => {
  it('gives the generator\'s true counts for a single-chat export, repairs \\xHH and says so', async () => {
    const dir = await tempDir('unexpose-tg-');
    const m = await generateTelegramExport({ dir, seed: 5, messages: 400, photos: 30, videos: 20, phoneNumbers: 10, hexEscapes: 3 });
    const { messages, notices } = await read(dir);
    const msgs = messages.filter((x) => x.type === 'message');
    expect(msgs).toHaveLength(m.counts.messages);
    expect(messages.filter((x) => x.type === 'service')).toHaveLength(m.counts.serviceMessages);
    expect(msgs.filter((x) => mediaClass(x.media) === 'photo' && x.media!.path)).toHaveLength(m.counts.photos);
    expect(msgs.filter((x) => x.media?.kind === 'video' && x.media.missing === 'not_included')).toHaveLength(m.counts.videos);
    expect(msgs.filter((x) => x.media?.missing)).toHaveLength(m.counts.mediaNotDownloaded);
    expect(msgs.filter((x) => x.forwarded)).toHaveLength(m.counts.forwards);
    expect(new Set(msgs.map((x) => x.senderId)).size).toBe(m.counts.participants);
    expect(msgs.filter((x) => x.text.includes('\u0007'))).toHaveLength(3);
    const rep = notices.find((n) => n.code === 'escape_repaired')!;
    expect(rep.count).toBe(6); // text and text_entities of each of the 3 messages
    expect(rep.message).toMatch(/repaired 6 invalid \\xHH escape\(s\).*first at byte \d+/);
    expect(msgs.every((x) => x.link === `https://t.me/c/${m.chats[0].id}/${x.id}`)).toBe(true);
    // Every photo resolves to the file the generator wrote.
    const files = folderExportFiles(dir);
    const exp = telegramSource.open(files, ['result.json']);
    const photo = msgs.find((x) => x.media?.kind === 'photo')!;
    const resolved = await exp.resolveMedia(photo);
    expect(resolved.size).toBe(photo.media!.fileSize);
  });

  it('reads a full account export with several chats, their types and their media prefixes', async () => {
    const dir = await tempDir('unexpose-tgfull-');
    const m = await generateTelegramExport({ dir, seed: 6, messages: 300, photos: 20, videos: 5, phoneNumbers: 4, chats: 4 });
    expect(sniffTelegramExport(new TextEncoder().encode(await readFile(m.resultJson, 'utf8')))).toEqual({ ok: true, layout: 'full' });
    const { messages } = await read(dir);
    for (const c of m.chats) {
      const inChat = messages.filter((x) => x.chat.id === String(c.id));
      expect(inChat.filter((x) => x.type === 'message')).toHaveLength(c.messages);
      expect(inChat.every((x) => x.chat.type === c.type && x.chat.name === c.name)).toBe(true);
      const linked = ['private_supergroup', 'public_supergroup', 'public_channel', 'private_channel'].includes(c.type);
      expect(inChat.every((x) => (x.link !== null) === linked)).toBe(true);
    }
    const photos = messages.filter((x) => x.media?.kind === 'photo');
    expect(photos.every((x) => /^chats\/chat_\d\/photos\//.test(x.media!.path!))).toBe(true);
    expect(messages.some((x) => x.text.includes('12345000'))).toBe(false); // the exporter's own number is not a message
  });

  it('says clearly that a JSON file is not an export, and that an empty file is empty', async () => {
    const dir = await tempDir('unexpose-tgbad-');
    await writeFile(join(dir, 'result.json'), JSON.stringify({ name: 'x', type: 'private_group', id: 1, members: [] }));
    const files = folderExportFiles(dir);
    const exp = telegramSource.open(files, ['result.json']);
    const notices: IngestNotice[] = [];
    for await (const b of exp.stream()) notices.push(...b.notices);
    expect(notices).toEqual([expect.objectContaining({ code: 'not_an_export', level: 'error', message: expect.stringMatching(/result\.json is not a Telegram export: it has no "messages" list \(top-level keys: "name", "type", "id", "members"\)/) })]);
    expect(sniffTelegramExport(new TextEncoder().encode('{"foo": 1}'))).toEqual({ ok: false, reason: 'its first key is "foo", which no Telegram export starts with' });
    expect(sniffTelegramExport(new TextEncoder().encode('[1,2]'))).toMatchObject({ ok: false });
    await writeFile(join(dir, 'result.json'), '');
    const notices2: IngestNotice[] = [];
    for await (const b of telegramSource.open(files, ['result.json']).stream()) notices2.push(...b.notices);
    expect(notices2.map((n) => n.code)).toEqual(['empty_export']);
  });

  it('reads an old export (numeric from_id, no date_unixtime) and says its times are local', async () => {
    const dir = await tempDir('unexpose-tgold-');
    const messages = [1, 2].map((id) => ({ id, type: 'message', date: '2020-05-01T12:00:0' + id, from: 'A', from_id: 5550001, text: 'x' }));
    await writeFile(join(dir, 'result.json'), JSON.stringify({ name: 'Oud', type: 'private_group', id: 9, messages }, null, 1));
    const { messages: got, notices } = await read(dir);
    expect(got.map((m) => [m.senderId, m.unixTime])).toEqual([['user5550001', Date.UTC(2020, 4, 1, 12, 0, 1) / 1000], ['user5550001', Date.UTC(2020, 4, 1, 12, 0, 2) / 1000]]);
    expect(notices).toEqual([expect.objectContaining({ code: 'local_time', count: 2, message: expect.stringMatching(/2 message\(s\) have no date_unixtime/) })]);
  });

  it('flags absurd values without failing, and skips a broken message while keeping the rest', async () => {
    const dir = await tempDir('unexpose-tgabs-');
    const msg = (id: number, extra: Record<string, unknown>) => JSON.stringify({ id, type: 'message', date_unixtime: '1740823200', from_id: 'user1', text: 'x', ...extra });
    const body = `{"name":"A","type":"private_group","id":7,"messages":[${msg(1, { date_unixtime: '0' })},${msg(2, { date_unixtime: '4102444800' })},${msg(3, { photo: 'photos/a.jpg', photo_file_size: -5 })},{"id": 4, "type": "message", "text": "bad \\q escape"},${msg(5, {})}]}`;
    await writeFile(join(dir, 'result.json'), body);
    const { messages, notices } = await read(dir);
    expect(messages.map((x) => x.id)).toEqual([1, 2, 3, 5]);
    expect(messages[0].unixTime).toBeNull();
    expect(messages[0].flags[0]).toMatchObject({ field: 'date_unixtime', why: 'before Telegram existed' });
    expect(messages[1].flags[0]).toMatchObject({ why: 'in the future' });
    expect(messages[2].media!.fileSize).toBeNull();
    expect(messages[2].flags[0]).toMatchObject({ field: 'photo_file_size', why: 'negative size' });
    expect(messages.every((x) => x.link === null)).toBe(true);
    expect(notices.map((n) => n.code).sort()).toEqual(['absurd_value', 'invalid_message']);
    expect(notices.find((n) => n.code === 'absurd_value')!.count).toBe(3);
    expect(notices.find((n) => n.code === 'invalid_message')!.message).toMatch(/message 4 at byte \d+ of .*result\.json cannot be read/);
  });
});
