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

/** A message's source longer than this (characters) is cut there; its text beyond this is not kept. */
export const MAX_MESSAGE_CHARS = 8 << 20;
/** Text kept per field of a message, in characters. */
const MAX_FIELD_CHARS = 1 << 20;
/** Source not yet tokenized (one endless tag or attribute) beyond this stops the page. */
const MAX_PENDING_CHARS = 16 << 20;

type Capture = 'text' | 'from' | 'fwdFrom' | 'service' | 'title' | 'description' | 'status' | 'poll' | 'chatName' | null;

/** An open element: its classes, the text it captures itself (own) or inherits (eff), and inherited flags. */
interface Frame { cls: string; own: Capture; eff: Capture; skip: boolean; fwd: boolean; header: boolean }

/** True when the padded class list (" a b c ") has the class. */
function hasClass(cls: string, c: string): boolean {
  return cls.includes(` ${c} `);
}

const ROOT: Frame = { cls: '', own: null, eff: null, skip: false, fwd: false, header: false };

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
    }, { decodeEntities: true, lowerCaseTags: false, lowerCaseAttributeNames: false });
  }

  /** Messages cut at MAX_MESSAGE_CHARS so far. */
  oversized = 0;

  write(chunk: string): void {
    this.buf += chunk;
    this.parser.write(chunk);
    const end = this.bufStart + this.buf.length;
    if (this.cur && end - this.cur.start > MAX_MESSAGE_CHARS) {
      this.oversized++;
      this.finish(this.cur.start + MAX_MESSAGE_CHARS);
    }
    if (end - (this.parser.endIndex + 1) > MAX_PENDING_CHARS) {
      throw new Error(`an HTML tag runs on for more than ${MAX_PENDING_CHARS} characters`);
    }
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

  private get top(): Frame {
    return this.stack[this.stack.length - 1] ?? ROOT;
  }

  private capture(): Capture {
    return this.top.eff;
  }

  private open(name: string, attrs: Record<string, string>): void {
    const raw = attrs.class;
    const parent = this.top;
    if (name === 'br') {
      if (parent.eff && !parent.skip) this.append(BR);
      return; // void element: its close event is ignored too
    }
    if (raw === undefined) {
      // Most tags without a class change nothing: inherit.
      this.stack.push(parent.own === null ? parent : { ...parent, own: null, cls: '' });
      return;
    }
    const cls = ` ${raw.includes('\t') ? raw.replace(/\s+/g, ' ') : raw} `;
    if (attrs.id !== undefined && name === 'div' && hasClass(cls, 'message') && /^message-?\d+$/.test(attrs.id)) {
      if (this.cur) this.finish(this.parser.startIndex);
      const id = Number(attrs.id!.slice(7));
      const start = this.parser.startIndex;
      const byteOffset = this.bytesAt(start);
      this.cur = {
        id, kind: hasClass(cls, 'service') ? 'service' : hasClass(cls, 'joined') ? 'joined' : 'default', dateTitle: null, fromName: null, userpic: null,
        forwarded: false, forwardedFrom: null, text: '', media: null, extra: [], raw: '', charOffset: start, byteOffset,
        depth: this.stack.length, start,
      };
      this.captured = {};
      this.stack.push({ cls, own: null, eff: null, skip: false, fwd: false, header: false });
      return;
    }
    let capture: Capture = null;
    let skip = parent.skip;
    let fwd = parent.fwd;
    const header = parent.header || hasClass(cls, 'page_header');
    const m = this.cur;
    if (!m) {
      if (header && name === 'div' && hasClass(cls, 'text') && hasClass(cls, 'bold')) capture = 'chatName';
    } else if (skip) {
      // inside a reply, reactions, buttons …: nothing to read
    } else if (hasClass(cls, 'userpic')) {
      // The message's own userpic comes first; a forward's (drawn after it) does not count.
      const k = /\buserpic(\d+)\b/.exec(cls);
      if (k && m.userpic === null) m.userpic = Number(k[1]);
    } else if (name === 'div' && hasClass(cls, 'date') && hasClass(cls, 'details') && hasClass(cls, 'pull_right') && !fwd) {
      if (m.dateTitle === null && attrs.title) m.dateTitle = attrs.title;
    } else if (hasClass(cls, 'from_name')) {
      capture = fwd ? 'fwdFrom' : 'from';
    } else if (name === 'span' && hasClass(cls, 'date') && hasClass(cls, 'details') && parent.eff === 'fwdFrom') {
      skip = true; // the forwarded name's own date
    } else if (hasClass(cls, 'forwarded') && hasClass(cls, 'body')) {
      m.forwarded = true;
      fwd = true;
    } else if (hasClass(cls, 'reply_to') || hasClass(cls, 'signature') || hasClass(cls, 'reactions') || hasClass(cls, 'bot_buttons_table') || hasClass(cls, 'initials') || hasClass(cls, 'video_duration') || hasClass(cls, 'gif_play')) {
      skip = true;
    } else if (hasClass(cls, 'text') && !parent.eff) {
      capture = 'text';
    } else if (m.kind === 'service' && hasClass(cls, 'body') && hasClass(cls, 'details')) {
      capture = 'service';
    } else if (name === 'a' && (hasClass(cls, 'photo_wrap') || hasClass(cls, 'video_file_wrap') || hasClass(cls, 'animated_wrap') || hasClass(cls, 'sticker_wrap'))) {
      m.media = { block: ['photo_wrap', 'video_file_wrap', 'animated_wrap', 'sticker_wrap'].find((c) => hasClass(cls, c))!, href: attrs.href ?? null, title: '', description: '', status: '' };
    } else if (hasClass(cls, 'media') && cls.includes(' media_')) {
      m.media = { block: /\b(media_\w+)/.exec(cls)![1], href: name === 'a' ? attrs.href ?? null : null, title: '', description: '', status: '' };
    } else if (m.media && hasClass(cls, 'title') && hasClass(cls, 'bold')) {
      capture = 'title';
    } else if (m.media && hasClass(cls, 'description')) {
      capture = 'description';
    } else if (m.media && hasClass(cls, 'status') && hasClass(cls, 'details')) {
      capture = 'status';
    } else if (hasClass(cls, 'media_poll')) {
      m.media = null;
    } else if ((hasClass(cls, 'question') || hasClass(cls, 'answer')) && !parent.eff) {
      capture = 'poll';
    }
    this.stack.push({ cls, own: capture, eff: capture ?? parent.eff, skip, fwd, header });
  }

  private close(name: string): void {
    if (name === 'br') return;
    if (this.ending) return;
    if (name === 'html' || name === 'body') this.sawEnd = true;
    const f = this.stack.pop();
    if (!f) return;
    if (f.own) this.flush(f.own);
    if (this.cur && this.stack.length === this.cur.depth) this.finish(this.parser.endIndex + 1);
  }

  private text(t: string): void {
    const f = this.top;
    if (f.eff && !f.skip) this.append(t);
  }

  private append(t: string): void {
    const c = this.capture()!;
    const had = this.captured[c] ?? '';
    if (had.length < MAX_FIELD_CHARS) this.captured[c] = (had + t).slice(0, MAX_FIELD_CHARS);
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
    // Close what is still open inside the message (a table never closed by old versions, a message cut at the
    // limit), keeping the text read so far.
    for (let i = this.stack.length - 1; i >= m.depth; i--) if (this.stack[i].own) this.flush(this.stack[i].own!);
    this.cur = null;
    this.stack.length = Math.min(this.stack.length, m.depth);
    m.raw = this.buf.slice(m.start - this.bufStart, endChar - this.bufStart);
    const { depth: _d, start: _s, ...rec } = m;
    this.onMessage(rec);
  }
}
