/**
 * A small streaming scanner for Telegram Desktop's result.json: it walks the outer structure byte by byte and
 * hands over each element of a `messages` array as the exact bytes of that message, one at a time, so a 2 GB
 * export needs memory for one message, not for the file. It knows the two layouts: a single-chat export (the
 * root is the chat) and a full account export (chats under `chats.list` and `left_chats.list`), and collects
 * each chat's `name`, `type` and `id` on the way. It does not parse messages itself (JSON.parse does that,
 * on one message at a time) and it keeps no text of anything it skips.
 *
 * It also counts Telegram's invalid `\xHH` escapes, and after the last byte it can say whether the file was
 * complete and where it stopped. Its state at a message boundary is a small JSON value, so reading can resume
 * from a byte offset.
 *
 * Hostile input stays bounded: a kept string (a chat name) is cut at MAX_KEPT_STRING bytes counted as written,
 * escapes included; a message over MAX_MESSAGE_BYTES is skipped (its bytes are not kept) and reported; the outer
 * structure may nest MAX_DEPTH deep and a number be MAX_SCALAR_CHARS long, beyond which the file is refused.
 */

type Role = 'root' | 'chat' | 'messages' | 'section' | 'chatList' | 'other';

interface Frame {
  array: boolean;
  role: Role;
}

export interface ChatMeta {
  name: string | null;
  type: string | null;
  id: string | null;
  /** 0-based number of the chat in the file. */
  ordinal: number;
}

export interface ScannedMessage {
  /** The message's bytes, `{` to `}`, as in the file. */
  raw: Uint8Array;
  offset: number;
  end: number;
  chat: ChatMeta;
  /** Index among all messages of the file (0-based). */
  index: number;
  /** The message had a `\x` escape (to repair before JSON.parse). */
  hasHexEscape: boolean;
  /** Set (to its size in bytes) when the message was over MAX_MESSAGE_BYTES: `raw` is then empty, skip it. */
  tooLarge?: number;
}

/** Scanner state at a message boundary (after a message, inside its messages array). JSON-serialisable. */
export interface ScannerState {
  stack: Frame[];
  chat: ChatMeta;
  chats: number;
  messages: number;
  sawMessages: boolean;
  rootKeys: string[];
}

const enum Mode { Value, Key, Colon, Comma, Done }

/** Bytes kept of a string the scanner keeps (a chat's name, type or id; a key), counted before unescaping. */
export const MAX_KEPT_STRING = 64 * 1024;
/** Largest message captured: Telegram caps a text at 4,096 characters; with entities a message is a few KB. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Deepest nesting of the outer structure (an export nests 4 levels around its messages). */
export const MAX_DEPTH = 64;
/** Longest number or literal outside messages. */
export const MAX_SCALAR_CHARS = 64;
const KEPT_CHAT_KEYS = new Set(['name', 'type', 'id']);

/** Repairs Telegram's `\xHH` escapes in JSON text (an escaped backslash before "x" is left alone). */
export function repairHexEscapes(json: string): { text: string; count: number } {
  let count = 0;
  const text = json.replace(/\\(x[0-9A-Fa-f]{2}|[\s\S])/g, (m, g: string) => {
    if (g.length === 3) {
      count++;
      return `\\u00${g.slice(1)}`;
    }
    return m;
  });
  return { text, count };
}

export class JsonMessageScanner {
  private stack: Frame[] = [];
  private mode: Mode = Mode.Value;
  private pos = 0;
  private chat: ChatMeta = { name: null, type: null, id: null, ordinal: -1 };
  private chats = 0;
  private messages = 0;
  private sawMessages = false;
  private rootKeys: string[] = [];
  private pendingKey: string | null = null;
  // String or scalar being read in the outer structure.
  private inString = false;
  private escape = false;
  private keep = false;
  private strBytes: number[] = [];
  private scalar: string | null = null;
  // Message being captured.
  private capturing = false;
  private capParts: Uint8Array[] = [];
  private capStart = 0;
  private capDepth = 0;
  private capInStr = false;
  private capEsc = false;
  private capHasX = false;
  /** `\xHH` escapes seen (in messages and outside), and the first one's byte offset. */
  hexEscapes = 0;
  firstHexEscapeAt = -1;
  /** Set when the input is not a JSON object or not JSON at all, with the byte offset. */
  error: { message: string; offset: number } | null = null;
  /** Kept strings (chat names) cut at MAX_KEPT_STRING bytes. */
  stringsCut = 0;
  /** Bytes after the root object closed that were not whitespace. */
  trailingAt = -1;

  constructor(startOffset = 0, state?: ScannerState) {
    this.pos = startOffset;
    if (state) {
      this.stack = state.stack.map((f) => ({ ...f }));
      this.chat = { ...state.chat };
      this.chats = state.chats;
      this.messages = state.messages;
      this.sawMessages = state.sawMessages;
      this.rootKeys = [...state.rootKeys];
      this.mode = Mode.Comma;
    }
  }

  /** The state right now; valid to resume from only between messages (as after each onMessage). */
  state(): ScannerState {
    return { stack: this.stack.map((f) => ({ ...f })), chat: { ...this.chat }, chats: this.chats, messages: this.messages, sawMessages: this.sawMessages, rootKeys: [...this.rootKeys] };
  }

  get offset(): number { return this.pos; }
  get messageCount(): number { return this.messages; }
  get sawMessagesArray(): boolean { return this.sawMessages; }
  get topLevelKeys(): readonly string[] { return this.rootKeys; }
  /** True when the root object was closed. */
  get complete(): boolean { return this.mode === Mode.Done; }
  /** True while inside a message that has not ended. */
  get insideMessage(): boolean { return this.capturing; }
  get messageStart(): number { return this.capStart; }

  /** Feeds the next bytes; calls onMessage for each message that ends in them. */
  push(buf: Uint8Array, onMessage: (m: ScannedMessage) => void): void {
    let i = 0;
    const n = buf.length;
    const base = this.pos;
    while (i < n) {
      if (this.error) return;
      if (this.capturing) {
        i = this.capture(buf, i, base, onMessage);
        continue;
      }
      const c = buf[i];
      if (this.inString) {
        if (this.escape) {
          this.escape = false;
          if (c === 0x78) this.noteHex(base + i);
          if (this.keep && !this.keptFull) this.strBytes.push(c);
        } else if (c === 0x5c) {
          this.escape = true;
          // Room for a whole escape (at most 6 bytes, \uXXXX) or the string is cut here: never half an escape.
          if (this.keep && !this.keptFull) {
            if (this.strBytes.length + 6 > MAX_KEPT_STRING) this.cutString();
            else this.strBytes.push(c);
          }
        } else if (c === 0x22) {
          this.inString = false;
          this.endString();
        } else if (this.keep && !this.keptFull) {
          if (this.strBytes.length < MAX_KEPT_STRING) this.strBytes.push(c);
          else this.cutString();
        }
        i++;
        continue;
      }
      if (this.scalar !== null) {
        if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x45) {
          if (this.scalar.length >= MAX_SCALAR_CHARS) {
            this.fail(`a value longer than ${MAX_SCALAR_CHARS} characters at byte ${base + i}`, base + i);
            return;
          }
          this.scalar += String.fromCharCode(c);
          i++;
          continue;
        }
        this.endValue(this.scalar);
        this.scalar = null;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || (c === 0xef && this.pos === 0 && base + i === 0) || ((c === 0xbb || c === 0xbf) && base + i < 3)) {
        i++;
        continue;
      }
      if (this.mode === Mode.Done) {
        if (this.trailingAt < 0) this.trailingAt = base + i;
        i++;
        continue;
      }
      this.structural(c, base + i);
      if (this.capturing) continue; // a message starts at this byte: capture() reads it from here
      i++;
    }
    this.pos = base + n;
  }

  private noteHex(at: number): void {
    this.hexEscapes++;
    if (this.firstHexEscapeAt < 0) this.firstHexEscapeAt = at - 1;
  }

  private fail(message: string, offset: number): void {
    if (!this.error) this.error = { message, offset };
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  private structural(c: number, at: number): void {
    const top = this.top();
    switch (this.mode) {
      case Mode.Key:
        if (c === 0x22) return this.startString(true);
        if (c === 0x7d && top && !top.array) return this.close(at);
        return this.fail(`expected a key at byte ${at}`, at);
      case Mode.Colon:
        if (c === 0x3a) { this.mode = Mode.Value; return; }
        return this.fail(`expected ":" at byte ${at}`, at);
      case Mode.Comma:
        if (c === 0x2c) { this.mode = top?.array ? Mode.Value : Mode.Key; return; }
        if ((c === 0x7d && top && !top.array) || (c === 0x5d && top?.array)) return this.close(at);
        return this.fail(`expected "," or the end of a list at byte ${at}`, at);
      case Mode.Value: {
        if (c === 0x5d && top?.array) return this.close(at); // empty array
        if (c === 0x7b && top?.role === 'messages') return this.startCapture(at);
        if (c === 0x7b || c === 0x5b) return this.open(c === 0x5b, at);
        if (c === 0x22) return this.startString(false);
        if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x74 || c === 0x66 || c === 0x6e) {
          this.scalar = String.fromCharCode(c);
          return;
        }
        return this.fail(at === 0 ? 'the file does not start with "{"' : `unexpected byte "${String.fromCharCode(c)}" at byte ${at}`, at);
      }
      default:
        return;
    }
  }

  private open(array: boolean, at: number): void {
    const parent = this.top();
    const key = this.pendingKey;
    this.pendingKey = null;
    let role: Role = 'other';
    if (!parent) {
      if (array) return this.fail('the file holds a JSON list, not an object', at);
      role = 'root';
    } else if ((parent.role === 'root' || parent.role === 'chat') && key === 'messages' && array) {
      role = 'messages';
      this.sawMessages = true;
      if (parent.role === 'root' && this.chat.ordinal < 0) this.chat.ordinal = this.chats++;
    } else if (parent.role === 'root' && (key === 'chats' || key === 'left_chats') && !array) {
      role = 'section';
    } else if (parent.role === 'section' && key === 'list' && array) {
      role = 'chatList';
    } else if (parent.role === 'chatList' && !array) {
      role = 'chat';
      this.chat = { name: null, type: null, id: null, ordinal: this.chats++ };
    }
    if (this.stack.length >= MAX_DEPTH) return this.fail(`nesting deeper than ${MAX_DEPTH} levels at byte ${at}`, at);
    this.stack.push({ array, role });
    this.mode = array ? Mode.Value : Mode.Key;
  }

  private close(at: number): void {
    const f = this.stack.pop();
    if (!f) return this.fail(`unexpected end of a list at byte ${at}`, at);
    this.mode = this.stack.length === 0 ? Mode.Done : Mode.Comma;
  }

  private startString(isKey: boolean): void {
    const top = this.top();
    this.inString = true;
    this.escape = false;
    // Keep keys of the root, of chats and of sections; keep values only for a chat's name/type/id.
    this.keep = isKey
      ? top !== undefined && (top.role === 'root' || top.role === 'chat' || top.role === 'section')
      : top !== undefined && (top.role === 'root' || top.role === 'chat') && this.pendingKey !== null && KEPT_CHAT_KEYS.has(this.pendingKey);
    this.strBytes = [];
    this.keptFull = false;
    this.keyNext = isKey;
  }

  /** The kept string reached MAX_KEPT_STRING bytes: the rest of it is skipped. */
  private keptFull = false;

  private cutString(): void {
    this.keptFull = true;
    this.stringsCut++;
  }

  private keyNext = false;

  private endString(): void {
    let text: string | null = null;
    if (this.keep) {
      const raw = new TextDecoder().decode(new Uint8Array(this.strBytes));
      try {
        text = JSON.parse(`"${repairHexEscapes(raw).text}"`) as string;
      } catch {
        text = raw;
      }
    }
    this.strBytes = [];
    if (this.keyNext) {
      this.pendingKey = text;
      if (this.top()?.role === 'root' && text !== null && this.rootKeys.length < 50) this.rootKeys.push(text);
      this.mode = Mode.Colon;
    } else {
      this.endValue(text, true);
    }
  }

  /** A scalar value ended: store chat meta, then expect "," or a close. */
  private endValue(text: string | null, wasString = false): void {
    const top = this.top();
    const key = this.pendingKey;
    this.pendingKey = null;
    if (top && (top.role === 'root' || top.role === 'chat') && key !== null && KEPT_CHAT_KEYS.has(key)) {
      const v = text === null || (!wasString && text === 'null') ? null : text;
      this.chat[key as 'name' | 'type' | 'id'] = v;
    }
    if (!top) this.mode = Mode.Done;
    else this.mode = Mode.Comma;
  }

  private startCapture(at: number): void {
    this.capturing = true;
    this.capStart = at;
    this.capParts = [];
    this.capDepth = 0;
    this.capInStr = false;
    this.capEsc = false;
    this.capHasX = false;
    this.capBytes = 0;
    this.pendingKey = null;
  }

  /** Bytes of the message being captured (counted on after it is over the limit and no longer kept). */
  private capBytes = 0;

  /** Reads message bytes from buf[i..]; returns the index after what it consumed. */
  private capture(buf: Uint8Array, start: number, base: number, onMessage: (m: ScannedMessage) => void): number {
    let depth = this.capDepth;
    let inStr = this.capInStr;
    let esc = this.capEsc;
    const n = buf.length;
    let i = start;
    for (; i < n; i++) {
      const c = buf[i];
      if (inStr) {
        if (esc) {
          esc = false;
          if (c === 0x78) { this.capHasX = true; this.noteHex(base + i); }
        } else if (c === 0x5c) esc = true;
        else if (c === 0x22) inStr = false;
        continue;
      }
      if (c === 0x22) inStr = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) {
          i++;
          const size = this.capBytes + (i - start);
          const tooLarge = size > MAX_MESSAGE_BYTES;
          if (!tooLarge) this.capParts.push(buf.subarray(start, i));
          const raw = tooLarge ? new Uint8Array(0) : this.capParts.length === 1 ? this.capParts[0] : concat(this.capParts);
          this.capParts = [];
          this.capturing = false;
          this.capDepth = 0;
          const end = base + i;
          this.mode = Mode.Comma;
          const index = this.messages++;
          onMessage({ raw, offset: this.capStart, end, chat: this.chat, index, hasHexEscape: this.capHasX, ...(tooLarge ? { tooLarge: size } : {}) });
          return i;
        }
      }
    }
    this.capBytes += n - start;
    // Over the limit: stop keeping the bytes (the push() caller's chunk is not copied; nothing holds it).
    if (this.capBytes > MAX_MESSAGE_BYTES) this.capParts = [];
    else this.capParts.push(buf.subarray(start, n));
    this.capDepth = depth;
    this.capInStr = inStr;
    this.capEsc = esc;
    return n;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
