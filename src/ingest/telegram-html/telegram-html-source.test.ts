import { mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTelegramExport } from '../../../test/fixtures/telegram/generate-telegram-export.js';
import { escapeHtml, writeTelegramHtml } from '../../../test/fixtures/telegram/write-telegram-html.js';
import { useTempDirs } from '../../../test/support/temp-dirs.js';
import { folderExportFiles } from '../../io/fs/export-files.js';
import { runChatSourceCases } from '../chat-source.case.js';
import { mediaClass, type ChatMessage, type IngestNotice } from '../chat-source.js';
import { telegramSource } from '../telegram/telegram-source.js';
import { readDateTitle } from './html-record.js';
import { orderPages, telegramHtmlSource, withinPageFolder } from './telegram-html-source.js';

const tempDir = useTempDirs();

/** A generated chat written as JSON, then as HTML beside it; the JSON is removed so only HTML is read. */
async function htmlExport(dir: string, messages: number, seed = 11) {
  const m = await generateTelegramExport({ dir, seed, messages, photos: 12, videos: 6, phoneNumbers: 5, participants: 6 });
  const pages = await writeTelegramHtml(dir);
  await rm(join(dir, 'result.json'));
  return { m, pages };
}

const page = (body: string) => `<!DOCTYPE html>\n<html>\n <body>\n  <div class="page_wrap">\n   <div class="page_body chat_page">\n    <div class="history">\n${body}\n    </div>\n   </div>\n  </div>\n </body>\n</html>\n`;

runChatSourceCases({
  source: telegramHtmlSource,
  async make(dir) {
    const { m } = await htmlExport(dir, 250);
    return { total: m.counts.messages + m.counts.serviceMessages };
  },
  async makeTruncated(dir) {
    const { m } = await htmlExport(dir, 300);
    const path = join(dir, 'messages.html');
    const text = await readFile(path, 'utf8');
    const at = text.lastIndexOf('<div class="message default');
    const cutAt = Buffer.byteLength(text.slice(0, at + 60));
    await truncate(path, cutAt);
    return { file: 'messages.html', kept: m.counts.messages + m.counts.serviceMessages - 1 };
  },
  async makeWithMediaPaths(dir, hostile) {
    await mkdir(dir, { recursive: true });
    const msgs = ['<div class="message default clearfix" id="message1"><div class="body"><div class="from_name">A</div><div class="text">hallo</div></div></div>',
      ...hostile.map((p, i) => `<div class="message default clearfix joined" id="message${i + 2}"><div class="body"><div class="media_wrap clearfix"><a class="photo_wrap clearfix pull_left" href="${escapeHtml(p)}"><img class="photo" src="x"/></a></div></div></div>`)];
    await writeFile(join(dir, 'messages.html'), page(msgs.join('\n')));
  },
});

async function readAll(dir: string, source = telegramHtmlSource) {
  const files = folderExportFiles(dir);
  const exp = source.open(files, await source.detect(files));
  const messages: ChatMessage[] = [];
  const notices: IngestNotice[] = [];
  for await (const b of exp.stream()) { messages.push(...b.messages); notices.push(...b.notices); }
  return { messages, notices, exp };
}

describe('telegram html source', () => {
  it('reads the same messages as the JSON of the same chat, except what HTML cannot carry', async () => {
    const dir = await tempDir('unexpose-tghtml-');
    const m = await generateTelegramExport({ dir, seed: 5, messages: 2500, photos: 40, videos: 20, phoneNumbers: 12, participants: 9 });
    const htmlDir = join(dir, 'html');
    await mkdir(htmlDir);
    const pages = await writeTelegramHtml(htmlDir, join(dir, 'result.json'));
    expect(pages).toEqual(['messages.html', 'messages2.html', 'messages3.html']);
    const json = (await readAll(dir, telegramSource)).messages;
    const { messages: html, notices } = await readAll(htmlDir);
    expect(html.map((x) => [x.id, x.type, x.unixTime, x.text, x.forwarded, mediaClass(x.media), x.media?.path ?? null, x.media?.missing ?? null, x.contactPhone]))
      .toEqual(json.map((x) => [x.id, x.type, x.type === 'service' ? expect.anything() : x.unixTime, x.text, x.forwarded, mediaClass(x.media), x.media?.path ?? null, x.media?.missing ?? null, x.contactPhone]));
    // One sender per JSON sender id, carried over to joined messages.
    const pairs = new Set(html.map((x, i) => (x.type === 'message' ? `${json[i].senderId}=${x.senderId}` : '')).filter(Boolean));
    expect(new Set([...pairs].map((p) => p.split('=')[0])).size).toBe(pairs.size);
    expect(new Set([...pairs].map((p) => p.split('=')[1])).size).toBe(pairs.size);
    expect(html.every((x) => x.link === null && x.chat.name === null)).toBe(true);
    expect(notices.filter((n) => n.code === 'format_limits')).toHaveLength(1);
    expect(notices.find((n) => n.code === 'format_limits')!.message).toMatch(/message links/);
    expect(m.counts.messages).toBeGreaterThan(0);
  });

  it('carries the sender of joined messages, reads forwards, services, unclosed tables and separators', async () => {
    const dir = await tempDir('unexpose-tghtml-small-');
    await writeFile(join(dir, 'messages.html'), page([
      '<div class="message service" id="message-1"><div class="body details">12 July 2021</div></div>',
      '<div class="message default clearfix" id="message101"><div class="pull_left userpic_wrap"><div class="userpic userpic5"><div class="initials">AJ</div></div></div>',
      '<div class="body"><div class="pull_right date details" title="12.07.2021 22:35:22 UTC+01:00">22:35</div><div class="from_name">Anna Jansen </div>',
      '<div class="text">Hi &amp; welcome<br>call <a href="tel:+31 6 00000000">+31 6 00000000</a></div>',
      '<table class="bot_buttons_table"><tr><td>button</td></tr>',
      '<div class="message default clearfix joined" id="message102"><div class="body"><div class="pull_right date details" title="12.07.2021 22:36:05 UTC+01:00">22:36</div>',
      '<div class="reply_to details">In reply to <a href="#go_to_message101">this message</a></div><div class="text">Same sender</div></div></div>',
      '</table></div></div>',
      '<div class="message default clearfix" id="message103"><div class="pull_left userpic_wrap"><div class="userpic userpic2"></div></div><div class="body"><div class="pull_right date details" title="12.07.2021 22:40:00 UTC+01:00">22:40</div><div class="from_name">Bram</div>',
      '<div class="pull_left forwarded userpic_wrap"></div><div class="forwarded body"><div class="from_name">Nieuws <span class="date details" title="11.07.2021 09:00:00 UTC+01:00"> 11.07.2021 09:00:00</span></div>',
      '<div class="media_wrap clearfix"><div class="media clearfix pull_left media_file"><div class="fill pull_left"></div><div class="body"><div class="title bold">logo.svg</div><div class="description">Not included, change data exporting settings to download.</div><div class="status details">2.1 KB</div></div></div></div>',
      '<div class="text">Caption</div></div></div></div>',
      '<div class="message service" id="message105"><div class="body details">Anna Jansen invited Chris and Dana</div></div>',
    ].join('\n')));
    const { messages } = await readAll(dir);
    expect(messages.map((x) => [x.id, x.type, x.senderId, x.text])).toEqual([
      [101, 'message', 'html:Anna Jansen#5', 'Hi & welcome\ncall +31 6 00000000'],
      [102, 'message', 'html:Anna Jansen#5', 'Same sender'],
      [103, 'message', 'html:Bram#2', 'Caption'],
      [105, 'service', null, ''],
    ]);
    expect(messages[3].extraText).toEqual(['Anna Jansen invited Chris and Dana']);
    expect(messages[0].unixTime).toBe(Date.UTC(2021, 6, 12, 21, 35, 22) / 1000);
    expect(messages[2]).toMatchObject({ forwarded: true, forwardedFrom: 'Nieuws', media: { kind: 'document', missing: 'not_included', fileName: 'logo.svg' } });
    expect(mediaClass(messages[2].media)).toBe('other');
    expect(messages[3].unixTime).toBe(messages[2].unixTime);
  });

  it('orders pages numerically and reads date titles with and without an offset', () => {
    expect(orderPages(['messages10.html', 'messages2.html', 'messages.html'])).toEqual(['messages.html', 'messages2.html', 'messages10.html']);
    expect(withinPageFolder('chats/chat_1/messages.html', '../../chats/chat_1/photos/a.jpg')).toBe('photos/a.jpg');
    expect(withinPageFolder('chats/chat_1/messages.html', '../../chats/chat_2/photos/a.jpg')).toBe('../../chats/chat_2/photos/a.jpg');
    expect(withinPageFolder('messages.html', '../outside.jpg')).toBe('../outside.jpg');
    expect(readDateTitle('12.07.2021 22:35:22 UTC-03:30', 'UTC')).toEqual({ unix: Date.UTC(2021, 6, 13, 2, 5, 22) / 1000, local: false });
    expect(readDateTitle('12.07.2021 22:35:22', 'Europe/Amsterdam')).toEqual({ unix: Date.UTC(2021, 6, 12, 20, 35, 22) / 1000, local: true });
  });

  it('leaves the HTML of an "HTML and JSON" export to the JSON source', async () => {
    const dir = await tempDir('unexpose-tghtml-both-');
    await generateTelegramExport({ dir, seed: 3, messages: 50, photos: 2, videos: 1, phoneNumbers: 1 });
    await writeTelegramHtml(dir);
    const files = folderExportFiles(dir);
    expect(await telegramHtmlSource.detect(files)).toEqual([]);
    expect(await telegramSource.detect(files)).toEqual(['result.json']);
  });

  it('does not take another HTML file for an export', async () => {
    const dir = await tempDir('unexpose-tghtml-no-');
    await writeFile(join(dir, 'messages.html'), '<html><body><p>hello</p></body></html>');
    expect(await telegramHtmlSource.detect(folderExportFiles(dir))).toEqual([]);
  });
});

describe('telegram html source on hostile input', () => {
  it('cuts an endless message and stops at an endless tag, keeping what came before', async () => {
    const dir = await tempDir('unexpose-tghtml-big-');
    const ok = '<div class="message default clearfix" id="message1"><div class="body"><div class="from_name">A</div><div class="text">hoi 0612345678</div></div></div>';
    await writeFile(join(dir, 'messages.html'), page(`${ok}\n<div class="message default clearfix" id="message2"><div class="body"><div class="from_name">B</div><div class="text">${'x '.repeat(5 << 20)}</div></div></div>\n${ok.replace('message1', 'message3')}`));
    const { messages, notices } = await readAll(dir);
    expect(messages.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(messages[1].text.length).toBeLessThanOrEqual((1 << 20) + 10);
    expect(notices.find((n) => n.code === 'absurd_value')?.message).toMatch(/longer than the limit/);
    await writeFile(join(dir, 'messages.html'), page(`${ok}\n<div class="message default clearfix" id="message2" title="${'y'.repeat(20 << 20)}`));
    const cut = await readAll(dir);
    expect(cut.messages.map((m) => m.id)).toEqual([1]);
    expect(cut.notices.find((n) => n.code === 'unreadable')?.message).toMatch(/runs on/);
  }, 60_000);
});
