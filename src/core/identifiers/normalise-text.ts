/**
 * Normalises free text before identifiers are looked for, keeping a map back to the original offsets: the ways
 * people write a number or a name so that filters miss it become plain ASCII. Digits in any Unicode script
 * (full-width ０６, mathematical 𝟎𝟔, Arabic-Indic ٠٦, Persian ۰۶, …), superscript and circled digits, keycap emoji
 * (0️⃣6️⃣), full-width and mathematical letters (ｉｎｓｔａ), odd dashes and spaces become ASCII; zero-width and
 * direction marks are dropped. The phone view also reads confusable letters inside digit runs (O/o → 0,
 * l/I → 1) and the Dutch word "nul" next to digits as digits. Linear in the text's length.
 */

export interface NormalisedText {
  /** The normalised text. */
  text: string;
  /** For each UTF-16 unit of `text`: the original offset where it starts and where it ends (exclusive). */
  from: Int32Array;
  to: Int32Array;
}

const ZERO_WIDTH = /^[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]$/u;
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

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isLetter = (c: string | undefined) => c !== undefined && /\p{L}/u.test(c);
const CONFUSABLE: Record<string, string> = { O: '0', o: '0', l: '1', I: '1' };

/**
 * The phone view: normaliseText, then confusable letters that stand between or next to digits read as digits
 * ("O6 l2345678" → "06 12345678", but not the "o" of "photo 1"), and "nul" next to digits as 0.
 * @example normaliseForPhones('O6-l2345678').text // '06-12345678'
 */
export function normaliseForPhones(text: string): NormalisedText {
  const n = normaliseText(text);
  if (!/\d[OolI]|[OolI]\d/.test(n.text) && !/nul/i.test(n.text)) return n;
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
    const gluedToDigit = isDigit(before) || isDigit(after);
    if (gluedToDigit && !isLetter(before) && !isLetter(after)) {
      for (let k = i; k < e; k++) chars[k] = CONFUSABLE[chars[k]];
      changed = true;
    }
    i = e - 1;
  }
  let t = changed ? chars.join('') : n.text;
  if (!/nul/i.test(t)) return { ...n, text: t };
  // "06 nul 12 34 56 78" / "O6-nul-12…": the word "nul" between or beside digit groups is a zero.
  const keepFrom: number[] = [];
  const keepTo: number[] = [];
  const out: string[] = [];
  const NUL = /(?<![\p{L}\p{N}])nul(?![\p{L}])/giu;
  let last = 0;
  for (let m = NUL.exec(t); m; m = NUL.exec(t)) {
    const a = m.index;
    const b = a + 3;
    const near = /\d[\s.\-_/]{0,2}$/.test(t.slice(Math.max(0, a - 3), a)) || /^[\s.\-_/]{0,2}\d/.test(t.slice(b, b + 3));
    if (!near) continue;
    for (let k = last; k < a; k++) { out.push(t[k]); keepFrom.push(n.from[k]); keepTo.push(n.to[k]); }
    out.push('0'); keepFrom.push(n.from[a]); keepTo.push(n.to[b - 1]);
    last = b;
  }
  if (last === 0) return { ...n, text: t };
  for (let k = last; k < t.length; k++) { out.push(t[k]); keepFrom.push(n.from[k]); keepTo.push(n.to[k]); }
  t = out.join('');
  return { text: t, from: Int32Array.from(keepFrom), to: Int32Array.from(keepTo) };
}

/** Maps a span of a normalised text back to the original text. */
export function originalSpan(n: NormalisedText, start: number, end: number): { start: number; end: number } {
  if (n.from.length === 0) return { start, end };
  const s = n.from[Math.min(start, n.from.length - 1)];
  const e = end > 0 ? n.to[Math.min(end - 1, n.to.length - 1)] : s;
  return { start: s, end: Math.max(s, e) };
}
