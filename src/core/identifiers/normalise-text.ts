/**
 * Normalises free text before identifiers are looked for, keeping a map back to the original offsets: the ways
 * people write a number or a name so that filters miss it become plain ASCII. Digits in any Unicode script
 * (full-width ０６, mathematical 𝟎𝟔, Arabic-Indic ٠٦, Persian ۰۶, …), superscript and circled digits, keycap emoji
 * (0️⃣6️⃣), full-width and mathematical letters (ｉｎｓｔａ), odd dashes and spaces become ASCII; zero-width and
 * direction marks are dropped. The phone view also reads confusable letters inside digit runs (O/o → 0,
 * l/I → 1) and digits spelled out in Dutch or English inside a run of digits ("nul zes 12…") as digits.
 */

export interface NormalisedText {
  /** The normalised text. */
  text: string;
  /** For each UTF-16 unit of `text`: the original offset where it starts and where it ends (exclusive). */
  from: Int32Array;
  to: Int32Array;
}

/** Invisible characters, direction marks, variation selectors and emoji skin tones: dropped. */
const ZERO_WIDTH = /^[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff\u{1f3fb}-\u{1f3ff}\u{e0000}-\u{e007f}]$/u;
const DASHES = /^[\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d\u30fc\u2796]$/u;
const SPACES = /^[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\t]$/u;
const ND = /^\p{Nd}$/u;
const KEYCAP = 0x20e3;

const digitCache = new Map<number, number>();

/** The value (0-9) of a decimal digit in any script: Unicode puts each script's digits 0..9 in a row. */
function digitValue(cp: number): number {
  let v = digitCache.get(cp);
  if (v !== undefined) return v;
  let run = 0;
  while (run < 60 && ND.test(String.fromCodePoint(cp - run - 1))) run++;
  v = run % 10;
  if (digitCache.size < 4096) digitCache.set(cp, v);
  return v;
}

const foldCache = new Map<number, string>();

/** A single character as ASCII when Unicode's compatibility form of it is ASCII (full-width, math, circled). */
function fold(ch: string, cp: number): string {
  if (cp < 0x80) return ch;
  const cached = foldCache.get(cp);
  if (cached !== undefined) return cached;
  let out = ch;
  if (ZERO_WIDTH.test(ch)) out = '';
  else if (DASHES.test(ch)) out = '-';
  else if (SPACES.test(ch)) out = ' ';
  else if (ND.test(ch)) out = String(digitValue(cp));
  else {
    const k = ch.normalize('NFKC');
    if (k !== ch && /^[\x20-\x7e]{1,3}$/.test(k)) out = k;
    else if (cp === 0x2024 || cp === 0x2027 || cp === 0xff0e) out = '.';
  }
  if (foldCache.size < 4096) foldCache.set(cp, out);
  return out;
}

/** Keycap emoji 🔟 (ten). */
const KEYCAP_TEN = 0x1f51f;

/**
 * The text with Unicode digit and letter forms folded to ASCII (see the file header), and offsets back.
 * @example normaliseText('０６-１２３４５６７８').text // '06-12345678'
 */
export function normaliseText(text: string): NormalisedText {
  // Plain ASCII without controls that need folding: nothing to do but the identity map.
  if (!/[^\x20-\x7e\n\r]/.test(text)) {
    const from = new Int32Array(text.length);
    const to = new Int32Array(text.length);
    for (let i = 0; i < text.length; i++) { from[i] = i; to[i] = i + 1; }
    return { text: text.replace(/\t/g, ' '), from, to };
  }
  const out: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const push = (s: string, a: number, b: number) => {
    for (let k = 0; k < s.length; k++) { out.push(s[k]); from.push(a); to.push(b); }
  };
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    // A keycap: a digit, an optional variation selector, U+20E3.
    let j = i + len;
    if (text.charCodeAt(j) === 0xfe0f) j++;
    if (text.charCodeAt(j) === KEYCAP && cp < 0x80) {
      push(text[i], i, j + 1);
      i = j + 1;
      continue;
    }
    if (cp === KEYCAP_TEN) {
      push('10', i, i + len);
      i += len;
      continue;
    }
    push(fold(text.slice(i, i + len), cp), i, i + len);
    i += len;
  }
  return { text: out.join(''), from: Int32Array.from(from), to: Int32Array.from(to) };
}

/** Digits spelled out in Dutch and English. */
const NUMBER_WORDS: Record<string, string> = {
  nul: '0', een: '1', één: '1', twee: '2', drie: '3', vier: '4', vijf: '5', zes: '6', zeven: '7', acht: '8', negen: '9',
  zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};
const ZERO_WORDS = new Set(['nul', 'zero']);
const WORD = `(?:${Object.keys(NUMBER_WORDS).sort((a, b) => b.length - a.length).join('|')})`;
/** True when the text has a digit spelled out as a word (the phone view may then find more digits in it). */
export function hasNumberWord(text: string): boolean {
  return NUMBER_WORD.test(text);
}
const NUMBER_WORD = new RegExp(`(?<![\\p{L}])${WORD}(?![\\p{L}])`, 'iu');
const TOKEN = new RegExp(`${WORD}|\\d+`, 'giu');
/** Digit groups and whole number words joined by up to three separators (digits may touch letters: "lisa06"). */
const RUN_TOKEN = `(?:(?<![\\p{L}])${WORD}(?![\\p{L}])|\\d+)`;
const WORD_RUN = new RegExp(`${RUN_TOKEN}(?:[\\s,.\\-_/]{1,3}${RUN_TOKEN})*`, 'giu');

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
/** A confusable letter touching a digit, or one separator away from one. */
export const CONFUSABLE_NEAR_DIGIT = /\d[ \-._]?[OolI]|[OolI][ \-._]?\d/;
const isGap = (c: string | undefined) => c === ' ' || c === '-' || c === '.' || c === '_';
const isLetter = (c: string | undefined) => c !== undefined && /\p{L}/u.test(c);
const CONFUSABLE: Record<string, string> = { O: '0', o: '0', l: '1', I: '1' };

/**
 * The phone view: normaliseText, then confusable letters that stand between or next to digits read as digits
 * ("O6 l2345678" → "06 12345678", but not the "o" of "photo 1"), and spelled-out digits in a run as digits.
 * @example normaliseForPhones('O6-l2345678').text // '06-12345678'
 */
export function normaliseForPhones(text: string): NormalisedText {
  const n = normaliseText(text);
  if (!CONFUSABLE_NEAR_DIGIT.test(n.text) && !NUMBER_WORD.test(n.text)) return n;
  // UTF-16 units, so offsets stay those of n (digits and confusable letters are all in the BMP).
  const chars = n.text.split('');
  let changed = false;
  for (let i = 0; i < chars.length; i++) {
    if (!(chars[i] in CONFUSABLE)) continue;
    // A run of confusable letters that is a word of its own or glued to digits, with a digit right beside it.
    let e = i;
    while (e < chars.length && chars[e] in CONFUSABLE) e++;
    const before = chars[i - 1];
    const after = chars[e];
    // Glued to a digit ("O6"), or a word of its own between digit groups ("06 12 OO 42").
    const gluedToDigit = isDigit(before) || isDigit(after);
    const nextIsGroup = isGap(after) && (isDigit(chars[e + 1]) || (chars[e + 1] ?? '') in CONFUSABLE);
    const betweenGroups = e - i <= 4 && isGap(before) && isDigit(chars[i - 2]) && (nextIsGroup || after === undefined || !/[\p{L}\p{N}]/u.test(after));
    if ((gluedToDigit || betweenGroups) && !isLetter(before) && !isLetter(after)) {
      for (let k = i; k < e; k++) chars[k] = CONFUSABLE[chars[k]];
      changed = true;
    }
    i = e - 1;
  }
  const t = changed ? chars.join('') : n.text;
  if (!NUMBER_WORD.test(t)) return { ...n, text: t };
  // Numbers spelled out, whole or in part: "nul zes 12 34 56 78", "zero six one two three …". A number word
  // counts only inside a run of digits and number words with eight digits or more, and only when the run has
  // three number words or all of them are "nul"/"zero" ("een twee drie" alone is just counting).
  const keepFrom: number[] = [];
  const keepTo: number[] = [];
  const out: string[] = [];
  let last = 0;
  WORD_RUN.lastIndex = 0;
  for (let m = WORD_RUN.exec(t); m; m = WORD_RUN.exec(t)) {
    const tokens = [...m[0].matchAll(TOKEN)];
    const words = tokens.filter((k) => !/^\d/.test(k[0]));
    if (words.length === 0) continue;
    const digits = tokens.reduce((sum, k) => sum + (/^\d/.test(k[0]) ? k[0].length : 1), 0);
    const zeros = words.every((w) => ZERO_WORDS.has(w[0].toLowerCase()));
    if (digits < 8 || (words.length < 3 && !zeros)) continue;
    for (const w of words) {
      const a = m.index + w.index!;
      const b = a + w[0].length;
      for (let k = last; k < a; k++) { out.push(t[k]); keepFrom.push(n.from[k]); keepTo.push(n.to[k]); }
      out.push(NUMBER_WORDS[w[0].toLowerCase()]); keepFrom.push(n.from[a]); keepTo.push(n.to[b - 1]);
      last = b;
    }
  }
  if (last === 0) return { ...n, text: t };
  for (let k = last; k < t.length; k++) { out.push(t[k]); keepFrom.push(n.from[k]); keepTo.push(n.to[k]); }
  return { text: out.join(''), from: Int32Array.from(keepFrom), to: Int32Array.from(keepTo) };
}

/** Maps a span of a normalised text back to the original text. */
export function originalSpan(n: NormalisedText, start: number, end: number): { start: number; end: number } {
  if (n.from.length === 0) return { start, end };
  const s = n.from[Math.min(start, n.from.length - 1)];
  const e = end > 0 ? n.to[Math.min(end - 1, n.to.length - 1)] : s;
  return { start: s, end: Math.max(s, e) };
}
