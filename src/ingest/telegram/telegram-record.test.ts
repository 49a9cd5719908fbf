import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../chat-source.js';
import { mediaClass } from '../chat-source.js';
import { markedChatId, telegramMessageLink } from './message-link.js';
import { flattenText, normaliseFromId, parseTelegramRecord, type RecordContext } from './telegram-record.js';

const ctx = (type = 'private_supergroup'): RecordContext => ({
  chat: { source: 'telegram_export', id: '1987654321', name: 'Voorbeeld', type: type as never }, file: 'result.json', index: 0, offset: 0, rawSha256: 'x', now: 1_760_000_000,
});
const parse = (o: unknown, type?: string) => parseTelegramRecord(o, ctx(type)) as ChatMessage;

describe('parseTelegramRecord', () => {
  it('reads the reference note\'s example messages', () => {
    const video = parse({ id: 4, type: 'message', date: '2025-03-05T21:31:47', date_unixtime: '1741206707', from: 'B', from_id: 'user5550002', file: '(File not included. Change data exporting settings to download.)', file_name: 'clip.mp4', file_size: 18874368, media_type: 'video_file', mime_type: 'video/mp4', duration_seconds: 14, width: 720, height: 1280, text: '', text_entities: [] });
    expect(video.media).toEqual({ kind: 'video', path: null, missing: 'not_included', mime: 'video/mp4', width: 720, height: 1280, durationSeconds: 14, fileSize: 18874368, fileName: 'clip.mp4' });
    expect(mediaClass(video.media)).toBe('video');
    expect(video.unixTime).toBe(1741206707);
    expect(video.link).toBe('https://t.me/c/1987654321/4');
    const reply = parse({ id: 5, type: 'message', date_unixtime: '1741206730', from_id: 'user5550001', text: ['bel ', { type: 'phone', text: '+44 7700 900123' }, ' of kijk bij ', { type: 'mention', text: '@voorbeeld_kanaal' }] });
    expect(reply.text).toBe('bel +44 7700 900123 of kijk bij @voorbeeld_kanaal');
    const fwd = parse({ id: 6, type: 'message', date_unixtime: '1741208700', from_id: 'user5550001', forwarded_from: 'Ander Kanaal', text: 'doorgestuurd' });
    expect([fwd.forwarded, fwd.forwardedFrom]).toEqual([true, 'Ander Kanaal']);
    expect(parse({ id: 7, type: 'message', date_unixtime: '1741208700', forwarded_from: null, text: '' }).forwarded).toBe(true);
    const svc = parse({ id: 2, type: 'service', date_unixtime: '1741205402', actor: 'Admin', actor_id: 'user5550001', action: 'invite_members', members: ['B'], text: '' });
    expect([svc.type, svc.senderId, svc.media]).toEqual(['service', 'user5550001', null]);
  });

  it('reads photos, placeholders, contacts and stickers', () => {
    const photo = parse({ id: 3, type: 'message', date_unixtime: '1741205649', photo: 'photos/photo_1@05-03-2025_21-14-09.jpg', photo_file_size: 84213, width: 960, height: 1280, text: '' });
    expect(photo.media).toMatchObject({ kind: 'photo', path: 'photos/photo_1@05-03-2025_21-14-09.jpg', missing: null, fileSize: 84213 });
    expect(parse({ id: 1, type: 'message', date_unixtime: '1741205649', photo: '(File exceeds maximum size. Change data exporting settings to download.)', text: '' }).media!.missing).toBe('too_large');
    expect(parse({ id: 1, type: 'message', date_unixtime: '1741205649', photo: '(File unavailable, please try again later)', text: '' }).media!.missing).toBe('unavailable');
    expect(parse({ id: 1, type: 'message', date_unixtime: '1741205649', file: '(Something new.)', text: '' }).media!.missing).toBe('placeholder');
    const contact = parse({ id: 1, type: 'message', date_unixtime: '1741205649', contact_information: { first_name: 'A', last_name: 'B', phone_number: '+31 6 12345678' }, text: '' });
    expect([contact.media!.kind, contact.contactPhone]).toEqual(['contact', '+31 6 12345678']);
    const sticker = parse({ id: 1, type: 'message', date_unixtime: '1741205649', file: 'stickers/sticker.webp', media_type: 'sticker', mime_type: 'image/webp', text: '' });
    expect([sticker.media!.kind, mediaClass(sticker.media)]).toEqual(['sticker', 'other']);
    const asFile = parse({ id: 1, type: 'message', date_unixtime: '1741205649', file: 'files/x.jpg', mime_type: 'image/jpeg', file_name: 'bel 0612345678.jpg', text: '' });
    expect([asFile.media!.kind, mediaClass(asFile.media), asFile.extraText]).toEqual(['document', 'photo', ['bel 0612345678.jpg']]);
  });

  it('flags sizes that cannot be right and leaves them out', () => {
    const m = parse({ id: 1, type: 'message', date_unixtime: '1741205649', file: 'video_files/v.mp4', media_type: 'video_file', width: 5_000_000, height: 720, duration_seconds: -3, file_size: 2 ** 40, text: '' });
    expect([m.media!.width, m.media!.height, m.media!.durationSeconds, m.media!.fileSize]).toEqual([null, 720, null, null]);
    expect(m.flags.map((f) => `${f.field}: ${f.why}`)).toEqual(['width: over 100000', 'duration_seconds: negative size', 'file_size: over 8589934592']);
  });

  it('falls back to the local date, flagged, for exports without date_unixtime', () => {
    const m = parse({ id: 1, type: 'message', date: '2020-01-02T03:04:05', text: '' });
    expect(m.unixTime).toBe(Date.UTC(2020, 0, 2, 3, 4, 5) / 1000);
    expect(m.flags[0].why).toMatch(/no date_unixtime: local time/);
  });

  it('returns why a record is not a message', () => {
    expect(parseTelegramRecord({ type: 'message' }, ctx())).toBe('no numeric "id"');
    expect(parseTelegramRecord({ id: 1, type: 'other' }, ctx())).toMatch(/unknown "type"/);
    expect(parseTelegramRecord([1], ctx())).toBe('not an object');
  });

  it('property: text parts always join to the text of every part, in order', () => {
    const part = fc.oneof(fc.string(), fc.record({ type: fc.constantFrom('bold', 'phone', 'link', 'mention'), text: fc.string() }));
    fc.assert(fc.property(fc.array(part, { minLength: 1 }), (parts) => {
      const expected = parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');
      expect(flattenText(parts)).toBe(expected);
      expect(flattenText('', parts.map((p) => (typeof p === 'string' ? { type: 'plain', text: p } : p)))).toBe(expected);
    }));
  });
});

describe('sender ids and links', () => {
  it('normalises old numeric from_id values', () => {
    expect(normaliseFromId('user123')).toBe('user123');
    expect(normaliseFromId(123)).toBe('user123');
    expect(normaliseFromId(2 ** 32 + 55)).toBe('chat55');
    expect(normaliseFromId(2 * 2 ** 32 + 77)).toBe('channel77');
    expect(normaliseFromId(2 * 2 ** 48 + 1234567890)).toBe('channel1234567890');
    expect(normaliseFromId(null)).toBeNull();
  });

  it('links only supergroups and channels, never migrated ids', () => {
    expect(telegramMessageLink('public_channel', '1987654321', 5)).toBe('https://t.me/c/1987654321/5');
    for (const t of ['private_group', 'personal_chat', 'bot_chat', 'saved_messages', null]) expect(telegramMessageLink(t, '1', 5)).toBeNull();
    expect(telegramMessageLink('private_supergroup', '1', -999_999_990)).toBeNull();
    expect(markedChatId('private_supergroup', '1987654321')).toBe('-1001987654321');
    expect(markedChatId('private_channel', '777')).toBe('-1000000000777');
    expect(markedChatId('private_group', '55')).toBe('-55');
  });
});

describe('real-world Telegram JSON quirks', () => {
  it('reads dates in other shapes without date_unixtime, and flags what it cannot read', () => {
    expect(parse({ id: 1, type: 'message', date: '2017-01-01T06:20:09.248Z', from_id: 'user1', text: '' }).unixTime).toBe(1483251609);
    expect(parse({ id: 1, type: 'message', date: '2017-01-01T06:20:09+02:00', from_id: 'user1', text: '' }).unixTime).toBe(1483244409);
    expect(parse({ id: 1, type: 'message', date: '2017-01-01 06:20:09', from_id: 'user1', text: '' }).unixTime).toBe(1483251609);
    expect(parse({ id: 1, type: 'message', date: 1483251609, from_id: 'user1', text: '' }).unixTime).toBe(1483251609);
    const local = parseTelegramRecord({ id: 1, type: 'message', date: '2017-07-01T12:00:00', from_id: 'user1', text: '' }, { ...ctx(), timeZone: 'Europe/Amsterdam' }) as ChatMessage;
    expect(local.unixTime).toBe(Date.UTC(2017, 6, 1, 10) / 1000);
    const odd = parse({ id: 1, type: 'message', date: 'yesterday', from_id: 'user1', text: '' });
    expect(odd.unixTime).toBeNull();
    expect(odd.flags).toEqual([expect.objectContaining({ field: 'date_shape' })]);
  });

  it('falls back to the sender name when there is no from_id', () => {
    expect(parse({ id: 1, type: 'message', date_unixtime: '1741205649', from: 'Anna', text: 'x' }).senderId).toBe('name:Anna');
    expect(parse({ id: 1, type: 'service', date_unixtime: '1741205649', actor: 'Bob', action: 'pin_message', text: '' }).senderId).toBe('name:Bob');
    expect(parse({ id: 1, type: 'message', date_unixtime: '1741205649', from: null, text: 'x' }).senderId).toBeNull();
  });

  it('classifies documents by what they are: an SVG or a PDF is not a photo', () => {
    const doc = (o: Record<string, unknown>) => mediaClass(parse({ id: 1, type: 'message', date_unixtime: '1741205649', text: '', ...o }).media);
    expect(doc({ file: 'files/logo.svg', mime_type: 'image/svg+xml', file_name: 'logo.svg' })).toBe('other');
    expect(doc({ file: 'files/a.pdf', mime_type: 'application/pdf' })).toBe('other');
    expect(doc({ file: 'files/a.png', file_name: 'a.png' })).toBe('photo');
    expect(doc({ file: 'files/a.svg', file_name: 'a.svg' })).toBe('other');
    expect(doc({ file: 'files/a.mov' })).toBe('video');
    expect(doc({ file: 'files/a.gif', mime_type: 'image/gif' })).toBe('video');
  });
});
