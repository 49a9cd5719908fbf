/**
 * Streams the messages out of one Telegram Desktop HTML page (messages.html, messages2.html, …) with
 * htmlparser2's tokenizer (its SAX layer, without building attribute objects for every tag): no DOM, only the
 * message being read and its source text are held. Messages are taken
 * as a flat sequence in document order (exports from v4.15.1 to v5.8 never close the bot-button table, so later
 * messages nest inside earlier ones): a message ends at its closing tag or where the next one starts.
 * What comes out is the raw record of one message (see HtmlRecord); html-record.ts makes it a ChatMessage.
 */
import { Tokenizer } from 'htmlparser2';

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
interface Frame { name: string; cls: string; own: Capture; eff: Capture; skip: boolean; fwd: boolean; header: boolean }

/** Attributes the reader uses; others are not even sliced out. */
const WANTED_ATTRS = new Set(['class', 'id', 'title', 'href']);
/** Elements that never have content or a closing tag. */
const VOID_TAGS = new Set(['br', 'img', 'meta', 'link', 'input', 'hr', 'area', 'base', 'col', 'embed', 'source', 'track', 'wbr']);

/** What a class attribute says to the reader, worked out once per distinct class string. */
interface ClassFacts {
  cls: string;
  message: boolean; service: boolean; joined: boolean; pageHeader: boolean; textBold: boolean;
  /** undefined: not a userpic; null: a userpic without a colour class. */
  userpic: number | null | undefined;
  dateDiv: boolean; dateDetails: boolean; fromName: boolean; forwardedBody: boolean; skip: boolean; text: boolean;
  bodyDetails: boolean; wrapBlock: string | null; mediaBlock: string | null; titleBold: boolean; description: boolean;
  statusDetails: boolean; poll: boolean; question: boolean;
}

const facts = new Map<string, ClassFacts>();
const WRAPS = ['photo_wrap', 'video_file_wrap', 'animated_wrap', 'sticker_wrap'];

function factsOf(raw: string): ClassFacts {
  const known = facts.get(raw);
  if (known) return known;
  const cls = ` ${raw.replace(/\s+/g, ' ')} `;
  const has = (c: string) => cls.includes(` ${c} `);
  const f: ClassFacts = {
    cls, message: has('message'), service: has('service'), joined: has('joined'), pageHeader: has('page_header'), textBold: has('text') && has('bold'),
    userpic: has('userpic') ? (/\buserpic(\d+)\b/.exec(cls) ? Number(/\buserpic(\d+)\b/.exec(cls)![1]) : null) : undefined,
    dateDiv: has('date') && has('details') && has('pull_right'), dateDetails: has('date') && has('details'), fromName: has('from_name'),
    forwardedBody: has('forwarded') && has('body'),
    skip: ['reply_to', 'signature', 'reactions', 'bot_buttons_table', 'initials', 'video_duration', 'gif_play'].some(has),
    text: has('text'), bodyDetails: has('body') && has('details'), wrapBlock: WRAPS.find(has) ?? null,
    mediaBlock: has('media') && cls.includes(' media_') ? /\b(media_\w+)/.exec(cls)![1] : null,
    titleBold: has('title') && has('bold'), description: has('description'), statusDetails: has('status') && has('details'),
    poll: has('media_poll'), question: has('question') || has('answer'),
  };
  // Hostile pages with endless distinct classes are not cached.
  if (facts.size < 4096) facts.set(raw, f);
  return f;
}

const ROOT: Frame = { name: '', cls: '', own: null, eff: null, skip: false, fwd: false, header: false };

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
  private tokenizer: Tokenizer;
  /** The furthest position the tokenizer has reported. */
  private seen = 0;
  private tagName = '';
  private tagStart = 0;
  private attrs: Record<string, string> = {};
  private attrName = '';
  private attrValue = '';
  private stack: Frame[] = [];
  private cur: (HtmlRecord & { depth: number; start: number }) | null = null;
  private buf = '';
  private bufStart = 0;
  /** A char position in the page (at or after bufStart) and its byte offset: bytes are counted once, forward. */
  private markChar = 0;
  private markBytes = 0;
  private captured: Record<string, string> = {};
  private sawEnd = false;
  private ending = false;

  constructor(private readonly onMessage: (m: HtmlRecord) => void) {
    this.tokenizer = new Tokenizer({ decodeEntities: true }, {
      onopentagname: (start, end) => {
        this.tagName = this.slice(start, end);
        this.tagStart = start - 1;
        this.attrs = {};
        this.seen = end;
      },
      onattribname: (start, end) => { this.attrName = this.slice(start, end); this.attrValue = ''; },
      onattribdata: (start, end) => { if (WANTED_ATTRS.has(this.attrName)) this.attrValue += this.slice(start, end); },
      onattribentity: (cp) => { if (WANTED_ATTRS.has(this.attrName)) this.attrValue += String.fromCodePoint(cp); },
      onattribend: (_q, end) => { if (WANTED_ATTRS.has(this.attrName)) this.attrs[this.attrName] = this.attrValue; this.seen = end; },
      onopentagend: (end) => this.tagEnd(end),
      onselfclosingtag: (end) => this.tagEnd(end),
      onclosetag: (start, end) => {
        this.seen = end;
        const gt = this.buf.indexOf('>', end - this.bufStart);
        this.close(this.slice(start, end), gt >= 0 ? this.bufStart + gt + 1 : end);
      },
      ontext: (start, end) => {
        this.seen = end;
        const f = this.top;
        if (f.eff && !f.skip) this.append(this.slice(start, end));
      },
      ontextentity: (cp, end) => { this.seen = end; this.text(String.fromCodePoint(cp)); },
      oncdata: () => {}, oncomment: (_s, end) => { this.seen = end; }, ondeclaration: () => {}, onprocessinginstruction: () => {}, onend: () => {},
    });
  }

  private slice(start: number, end: number): string {
    return this.buf.slice(start - this.bufStart, end - this.bufStart);
  }

  private tagEnd(end: number): void {
    this.seen = end;
    this.open(this.tagName, this.attrs, this.tagStart);
    if (VOID_TAGS.has(this.tagName) && this.tagName !== 'br') this.close(this.tagName, end + 1);
  }

  /** Messages cut at MAX_MESSAGE_CHARS so far. */
  oversized = 0;

  write(chunk: string): void {
    this.buf += chunk;
    this.tokenizer.write(chunk);
    const end = this.bufStart + this.buf.length;
    if (this.cur && end - this.cur.start > MAX_MESSAGE_CHARS) {
      this.oversized++;
      this.finish(this.cur.start + MAX_MESSAGE_CHARS);
    }
    if (end - this.seen > MAX_PENDING_CHARS) {
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
    this.tokenizer.end();
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
    // A section still being tokenized starts at or after the last position reported (minus its '<').
    const keepFrom = Math.min(this.cur ? this.cur.start : this.seen - 1, this.seen - 1, this.bufStart + this.buf.length);
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

  private open(name: string, attrs: Record<string, string>, tagStart: number): void {
    const raw = attrs.class;
    const parent = this.top;
    if (name === 'br') {
      if (parent.eff && !parent.skip) this.append(BR);
      return; // void element: its close event is ignored too
    }
    if (raw === undefined) {
      // Most tags without a class change nothing: inherit.
      this.stack.push({ ...parent, name, own: null, cls: '' });
      return;
    }
    const f = factsOf(raw);
    const cls = f.cls;
    if (f.message && attrs.id !== undefined && name === 'div' && /^message-?\d+$/.test(attrs.id)) {
      if (this.cur) this.finish(tagStart);
      const id = Number(attrs.id.slice(7));
      const start = tagStart;
      const byteOffset = this.bytesAt(start);
      this.cur = {
        id, kind: f.service ? 'service' : f.joined ? 'joined' : 'default', dateTitle: null, fromName: null, userpic: null,
        forwarded: false, forwardedFrom: null, text: '', media: null, extra: [], raw: '', charOffset: start, byteOffset,
        depth: this.stack.length, start,
      };
      this.captured = {};
      this.stack.push({ name, cls, own: null, eff: null, skip: false, fwd: false, header: false });
      return;
    }
    let capture: Capture = null;
    let skip = parent.skip;
    let fwd = parent.fwd;
    const header = parent.header || f.pageHeader;
    const m = this.cur;
    if (!m) {
      if (header && name === 'div' && f.textBold) capture = 'chatName';
    } else if (skip) {
      // inside a reply, reactions, buttons …: nothing to read
    } else if (f.userpic !== undefined) {
      // The message's own userpic comes first; a forward's (drawn after it) does not count.
      if (f.userpic !== null && m.userpic === null) m.userpic = f.userpic;
    } else if (name === 'div' && f.dateDiv && !fwd) {
      if (m.dateTitle === null && attrs.title) m.dateTitle = attrs.title;
    } else if (f.fromName) {
      capture = fwd ? 'fwdFrom' : 'from';
    } else if (name === 'span' && f.dateDetails && parent.eff === 'fwdFrom') {
      skip = true; // the forwarded name's own date
    } else if (f.forwardedBody) {
      m.forwarded = true;
      fwd = true;
    } else if (f.skip) {
      skip = true;
    } else if (f.text && !parent.eff) {
      capture = 'text';
    } else if (m.kind === 'service' && f.bodyDetails) {
      capture = 'service';
    } else if (name === 'a' && f.wrapBlock) {
      m.media = { block: f.wrapBlock, href: attrs.href ?? null, title: '', description: '', status: '' };
    } else if (f.mediaBlock) {
      m.media = { block: f.mediaBlock, href: name === 'a' ? attrs.href ?? null : null, title: '', description: '', status: '' };
    } else if (m.media && f.titleBold) {
      capture = 'title';
    } else if (m.media && f.description) {
      capture = 'description';
    } else if (m.media && f.statusDetails) {
      capture = 'status';
    } else if (f.poll) {
      m.media = null;
    } else if (f.question && !parent.eff) {
      capture = 'poll';
    }
    this.stack.push({ name, cls, own: capture, eff: capture ?? parent.eff, skip, fwd, header });
  }

  private close(name: string, after: number): void {
    if (VOID_TAGS.has(name) && name === 'br') return;
    if (this.ending) return;
    if (name === 'html' || name === 'body') this.sawEnd = true;
    // Close up to the matching open element (what HTML leaves implied); a stray close tag closes nothing.
    let i = this.stack.length - 1;
    while (i >= 0 && this.stack[i].name !== name) i--;
    if (i < 0) return;
    while (this.stack.length > i) {
      const f = this.stack.pop()!;
      if (f.own) this.flush(f.own);
      if (this.cur && this.stack.length <= this.cur.depth) {
        this.finish(after);
        return;
      }
    }
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
