/**
 * Streams the messages out of one Telegram Desktop HTML page (messages.html, messages2.html, …) with
 * htmlparser2's SAX parser: no DOM, only the message being read and its source text are held. Messages are taken
 * as a flat sequence in document order (exports from v4.15.1 to v5.8 never close the bot-button table, so later
 * messages nest inside earlier ones): a message ends at its closing tag or where the next one starts.
 * What comes out is the raw record of one message (see HtmlRecord); html-record.ts makes it a ChatMessage.
 */
import { Parser } from 'htmlparser2';

export interface HtmlMedia {
  /** How the block is drawn: photo_wrap, video_file_wrap, animated_wrap, sticker_wrap, or a media_* class. */
  block: string;
  href: string | null;
  title: string;
  description: string;
  status: string;
}

export interface HtmlRecord {
  id: number;
  kind: 'default' | 'joined' | 'service';
  /** The date's title attribute ("12.07.2021 22:35:22 UTC+01:00"). */
  dateTitle: string | null;
  fromName: string | null;
  /** The userpic colour class number K (userpicK): the only trace of the sender's id. */
  userpic: number | null;
  forwarded: boolean;
  forwardedFrom: string | null;
  text: string;
  media: HtmlMedia | null;
  /** Other texts that can hold identifiers: poll question and answers. */
  extra: string[];
  /** The message's source, exactly as in the file, and where it starts (characters and bytes). */
  raw: string;
  charOffset: number;
  byteOffset: number;
}

const BR = '\uE000';

type Capture = 'text' | 'from' | 'fwdFrom' | 'service' | 'title' | 'description' | 'status' | 'poll' | 'chatName' | null;

interface Frame { cls: string; capture: Capture; skip: boolean; }

/** Whitespace the writer adds around block content (raw newlines never occur inside content). */
const clean = (s: string) => s.replace(/\n[ \t]*/g, '').split(BR).join('\n').trim();

/**
 * Reads one HTML page chunk by chunk. Push strings (decoded UTF-8) in file order; each finished message is given to
 * onMessage. Call end() after the last chunk.
 * @example const r = new HtmlMessageReader((m) => out.push(m)); r.write(html); r.end();
 */
export class HtmlMessageReader {
  /** The chat's name from the page header (null until read). */
  chatName: string | null = null;
  private parser: Parser;
  private stack: Frame[] = [];
  private cur: (HtmlRecord & { depth: number; start: number }) | null = null;
  private buf = '';
  private bufStart = 0;
  /** A char position in the page (at or after bufStart) and its byte offset: bytes are counted once, forward. */
  private markChar = 0;
  private markBytes = 0;
  private captured: Record<string, string> = {};
  private chatNameText = '';
  private sawEnd = false;
  private ending = false;

  constructor(private readonly onMessage: (m: HtmlRecord) => void) {
    this.parser = new Parser({
      onopentag: (name, attrs) => this.open(name, attrs),
      onclosetag: (name) => this.close(name),
      ontext: (t) => this.text(t),
    }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  }

  write(chunk: string): void {
    this.buf += chunk;
    this.parser.write(chunk);
    this.trim();
  }

  /**
   * Ends the page. Returns true when it was cut off (no closing </html>): a message still open then is incomplete
   * and is not given out.
   */
  end(): boolean {
    const cut = !this.sawEnd;
    if (cut) this.cur = null;
    this.ending = true;
    this.parser.end();
    if (this.cur) this.finish(this.bufStart + this.buf.length);
    return cut;
  }

  /** Byte offset of a char position at or after the mark. */
  private bytesAt(char: number): number {
    this.markBytes += Buffer.byteLength(this.buf.slice(this.markChar - this.bufStart, char - this.bufStart), 'utf8');
    this.markChar = char;
    return this.markBytes;
  }

  /** Drops source text before the message being read (keeps memory flat). */
  private trim(): void {
    const keepFrom = Math.min(this.cur ? this.cur.start : this.parser.endIndex + 1, this.bufStart + this.buf.length);
    const cut = keepFrom - this.bufStart;
    if (cut > 1 << 14) {
      if (keepFrom > this.markChar) this.bytesAt(keepFrom);
      this.buf = this.buf.slice(cut);
      this.bufStart = keepFrom;
    }
  }

  private capture(): Capture {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i].capture) return this.stack[i].capture;
    return null;
  }

  private skipping(): boolean {
    return this.stack.some((f) => f.skip);
  }

  private open(name: string, attrs: Record<string, string>): void {
    const cls = ` ${(attrs.class ?? '').replace(/\s+/g, ' ')} `;
    const has = (c: string) => cls.includes(` ${c} `);
    if (name === 'div' && has('message') && /^message-?\d+$/.test(attrs.id ?? '')) {
      if (this.cur) this.finish(this.parser.startIndex);
      const id = Number(attrs.id!.slice(7));
      const start = this.parser.startIndex;
      const byteOffset = this.bytesAt(start);
      this.cur = {
        id, kind: has('service') ? 'service' : has('joined') ? 'joined' : 'default', dateTitle: null, fromName: null, userpic: null,
        forwarded: false, forwardedFrom: null, text: '', media: null, extra: [], raw: '', charOffset: start, byteOffset,
        depth: this.stack.length, start,
      };
      this.captured = {};
      this.stack.push({ cls, capture: null, skip: false });
      return;
    }
    let capture: Capture = null;
    let skip = false;
    const m = this.cur;
    if (name === 'br') {
      if (this.capture()) this.append(BR);
      return; // void element: no close event worth tracking
    }
    if (!m) {
      if (name === 'div' && has('text') && has('bold') && this.stack.some((f) => f.cls.includes(' page_header '))) capture = 'chatName';
    } else if (this.skipping()) {
      skip = true;
    } else if (has('userpic')) {
      // The message's own userpic comes first; a forward's (drawn after it) does not count.
      const k = /\buserpic(\d+)\b/.exec(cls);
      if (k && m.userpic === null) m.userpic = Number(k[1]);
    } else if (name === 'div' && has('date') && has('details') && has('pull_right') && !this.inForward()) {
      if (m.dateTitle === null && attrs.title) m.dateTitle = attrs.title;
    } else if (has('from_name')) {
      capture = this.inForward() ? 'fwdFrom' : 'from';
    } else if (name === 'span' && has('date') && has('details') && this.capture() === 'fwdFrom') {
      skip = true; // the forwarded name's own date
    } else if (has('forwarded') && has('body')) {
      m.forwarded = true;
    } else if (has('reply_to') || has('signature') || has('reactions') || has('bot_buttons_table') || has('initials') || has('video_duration') || has('gif_play')) {
      skip = true;
    } else if (has('text') && !this.capture()) {
      capture = 'text';
    } else if (m.kind === 'service' && has('body') && has('details')) {
      capture = 'service';
    } else if (name === 'a' && (has('photo_wrap') || has('video_file_wrap') || has('animated_wrap') || has('sticker_wrap'))) {
      m.media = { block: ['photo_wrap', 'video_file_wrap', 'animated_wrap', 'sticker_wrap'].find(has)!, href: attrs.href ?? null, title: '', description: '', status: '' };
    } else if (has('media') && /\bmedia_\w+/.test(cls)) {
      m.media = { block: /\b(media_\w+)/.exec(cls)![1], href: name === 'a' ? attrs.href ?? null : null, title: '', description: '', status: '' };
    } else if (m.media && has('title') && has('bold')) {
      capture = 'title';
    } else if (m.media && has('description')) {
      capture = 'description';
    } else if (m.media && has('status') && has('details')) {
      capture = 'status';
    } else if (has('media_poll')) {
      m.media = null;
    } else if ((has('question') || has('answer')) && !this.capture()) {
      capture = 'poll';
    }
    this.stack.push({ cls, capture, skip });
  }

  private inForward(): boolean {
    return this.stack.some((f) => f.cls.includes(' forwarded ') && f.cls.includes(' body '));
  }

  private close(name: string): void {
    if (name === 'br') return;
    if (this.ending) return;
    if (name === 'html' || name === 'body') this.sawEnd = true;
    const f = this.stack.pop();
    if (!f) return;
    if (f.capture) this.flush(f.capture);
    if (this.cur && this.stack.length === this.cur.depth) this.finish(this.parser.endIndex + 1);
  }

  private text(t: string): void {
    const c = this.capture();
    if (c && !this.skipping()) this.append(t);
  }

  private append(t: string): void {
    const c = this.capture()!;
    this.captured[c] = (this.captured[c] ?? '') + t;
  }

  private flush(c: Exclude<Capture, null>): void {
    const value = clean(this.captured[c] ?? '');
    this.captured[c] = '';
    const m = this.cur;
    if (c === 'chatName') { this.chatName = value; return; }
    if (!m) return;
    if (c === 'text') m.text = m.text ? `${m.text}\n${value}` : value;
    else if (c === 'service') m.text = value;
    else if (c === 'from') m.fromName = value;
    else if (c === 'fwdFrom') m.forwardedFrom = value.replace(/ via @\w+$/, '');
    else if (c === 'poll') { if (value) m.extra.push(value.replace(/^- /, '').replace(/\s*\d+ votes?.*$/, '')); }
    else if (m.media) m.media[c] = value;
  }

  private finish(endChar: number): void {
    const m = this.cur!;
    this.cur = null;
    // Close what is still open inside the message (a table never closed by old versions).
    this.stack.length = Math.min(this.stack.length, m.depth);
    m.raw = this.buf.slice(m.start - this.bufStart, endChar - this.bufStart);
    const { depth: _d, start: _s, ...rec } = m;
    this.onMessage(rec);
  }
}
