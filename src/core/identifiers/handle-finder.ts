/**
 * Finds Instagram, Snapchat and TikTok user names the way people write them in chats: a platform word next to
 * a name ("insta: jane.doe", "ig @jane", "sc: jan_e", "snap jane99", "tiktok: @jane") and profile URLs
 * (instagram.com/jane, snapchat.com/add/jane, tiktok.com/@jane). A bare "@name" is not attributed to any
 * platform (on Telegram it is a Telegram user name). Words that follow "snap" in ordinary Dutch and English
 * ("snap je het", "snap dat niet") are not names. Also the forms written to dodge filters: a camera or ghost
 * emoji for the platform ("📷 jane.doe", "👻 jane_d"), "sc jane_d" without a colon, "jane.doe op insta",
 * full-width or mathematical letters (the text is normalised first, see normalise-text.ts).
 */
import type { HandleFinding, Platform } from './identifier.js';
import { normaliseText, originalSpan } from './normalise-text.js';
import { redactHandle } from './redact.js';

interface NameRule {
  /** Characters a name may have (lower case). */
  chars: RegExp;
  min: number;
  max: number;
}

const RULES: Record<Platform, NameRule> = {
  instagram: { chars: /^[a-z0-9._]+$/, min: 1, max: 30 },
  snapchat: { chars: /^[a-z][a-z0-9._-]*$/, min: 3, max: 15 },
  tiktok: { chars: /^[a-z0-9._]+$/, min: 2, max: 24 },
};

/** Platform words; `strongOnly` words are too ambiguous to count without ":" / "=" / "@" after them. */
const LABELS: { re: string; platform: Platform; strongOnly: boolean }[] = [
  { re: 'instagram|insta|instagr', platform: 'instagram', strongOnly: false },
  { re: 'ig', platform: 'instagram', strongOnly: true },
  { re: 'snapchat|snap', platform: 'snapchat', strongOnly: false },
  { re: 'sc', platform: 'snapchat', strongOnly: true },
  { re: 'tiktok|tik\\s?tok', platform: 'tiktok', strongOnly: false },
  { re: 'tt', platform: 'tiktok', strongOnly: true },
  // Emoji people put for the platform: camera for Instagram, ghost for Snapchat, note for TikTok.
  { re: '\u{1F4F7}|\u{1F4F8}', platform: 'instagram', strongOnly: false },
  { re: '\u{1F47B}', platform: 'snapchat', strongOnly: false },
  { re: '\u{1F3B5}|\u{1F3B6}', platform: 'tiktok', strongOnly: false },
];
const EMOJI_LABEL = /^[\u{1F4F7}\u{1F4F8}\u{1F47B}\u{1F3B5}\u{1F3B6}]$/u;

const NAME = '[A-Za-z0-9._-]{1,40}';
const WORD = LABELS.map((l) => `(?:${l.re})`).join('|');
/** One or more platform words ("IG/snap"), a separator, a name. */
const LABEL_RE = new RegExp(
  `(?<![\\p{L}\\p{N}_@./])((?:${WORD})(?:'?s)?(?:\\s*[/&+,]\\s*(?:${WORD})(?:'?s)?)*)` +
    `(\\s*(?:[:;=]|-+>?|–|>|\u{1F449}|[\u2190-\u21ff\u27a1-\u27bf\u2b95]|=>)\\s*@?\\s*|\\s*@\\s*|[ \\t]+(?:is|=)[ \\t]+@?|[ \\t]+|(?<=[\u{1F4F7}\u{1F4F8}\u{1F47B}\u{1F3B5}\u{1F3B6}]))(${NAME})(?![\\p{L}\\p{N}_@])`,
  'giu',
);
/** A platform word or domain anywhere: every form below contains one. */
const ANY_PLATFORM = /(?:insta|instagr|ig|snap|sc|tik\s?tok|tt)(?![\p{L}])|instagram|snapchat|tiktok|[\u{1F4F7}\u{1F4F8}\u{1F47B}\u{1F3B5}\u{1F3B6}]/iu;

/** Letters written in another style that fold to ASCII (full-width, mathematical, circled): "ｉｎｓｔａ", "𝐢𝐧𝐬𝐭𝐚". */
const STYLED_LETTERS = /[\uff21-\uff3a\uff41-\uff5a\u24b6-\u24e9\u{1d400}-\u{1d6a3}\u{1f130}-\u{1f189}]/u;

/** The name first: "@jane.doe op insta", "jane.doe (insta)". */
const REVERSE_RE = new RegExp(
  `(?<![\\p{L}\\p{N}_@./])(@)?(${NAME})\\s*(?:\\(\\s*(${WORD})\\s*\\)|\\s(?:op|on|via|van|from)\\s+(${WORD}))(?![\\p{L}\\p{N}_])`,
  'giu',
);

const URL_RES: { re: RegExp; platform: Platform }[] = [
  { re: /(?:https?:\/\/)?(?:www\.|m\.)?(?:instagram\.com|instagr\.am)\/(?:stories\/|_u\/)?([A-Za-z0-9._]{1,30})(?![A-Za-z0-9._])/giu, platform: 'instagram' },
  { re: /(?:https?:\/\/)?(?:www\.|story\.)?snapchat\.com\/(?:add\/|@)([A-Za-z0-9._-]{3,15})(?![A-Za-z0-9._-])/giu, platform: 'snapchat' },
  { re: /(?:https?:\/\/)?(?:www\.|m\.)?tiktok\.com\/@([A-Za-z0-9._]{2,24})(?![A-Za-z0-9._])/giu, platform: 'tiktok' },
];

/** Instagram paths that are pages, not profiles. */
const INSTAGRAM_RESERVED = new Set(['p', 'reel', 'reels', 'tv', 'explore', 'accounts', 'direct', 'about', 'legal', 'developer', 'web', 'stories', 'share', 'tags', 'locations', 'challenge']);

/**
 * Words that follow a platform word without being a name: "snap je het?", "insta is saai", "tiktok filmpjes".
 * Only checked when the name follows after plain spaces (no ":" or "@").
 */
const NOT_A_NAME = new Set(
  ('je jij jullie het dat die dit deze niet wat er ik hem haar ze we wij u wel ook maar toch nog m t da echt em zo hoe waarom ' +
    'is was zijn en of op in van voor met naar bij om aan uit als dan al heb hebt heeft kan kun moet mag wil gaat gaan doet ' +
    'the it me you your my his her them this that not what is are was and or on in of for with to at by from if so do does ' +
    'account accounts profiel profile story stories filmpje filmpjes video videos foto fotos post posts link links naam name ' +
    'chat chats dm dms app streak streaks score map maps even eens gewoon ook nu hier daar').split(/\s+/),
);

/** Looks like a user name rather than a word: has a letter and a digit, "." or "_". */
const nameLike = (name: string) => /[a-z]/.test(name) && /[\d._]/.test(name);

function cleanName(raw: string): string {
  return raw.toLowerCase().replace(/[.\-_]+$/u, (m) => (m.includes('_') ? m.replace(/[.-]+$/u, '') : ''));
}

function validName(platform: Platform, name: string): boolean {
  const r = RULES[platform];
  return name.length >= r.min && name.length <= r.max && r.chars.test(name) && !name.includes('..') && /[a-z0-9]/.test(name);
}

const LABEL_RES = LABELS.map((l) => ({ ...l, whole: new RegExp(`^(?:${l.re})$`, 'iu') }));

function labelPlatform(word: string): { platform: Platform; strongOnly: boolean } {
  const w = word.toLowerCase().replace(/\s+/g, '');
  for (const l of LABEL_RES) if (l.whole.test(w)) return { platform: l.platform, strongOnly: l.strongOnly };
  return { platform: 'instagram', strongOnly: true };
}

/**
 * Every Instagram, Snapchat and TikTok handle in the text, in order of position, normalised to lower case.
 * @example findHandles('insta: Jane.Doe en snap @jane_d') // instagram 'jane.doe' and snapchat 'jane_d'
 */
export function findHandles(text: string): HandleFinding[] {
  // Most messages name no platform at all: one cheap test spares the full patterns.
  if (!ANY_PLATFORM.test(text) && !STYLED_LETTERS.test(text)) return [];
  const norm = normaliseText(text);
  return findInNormalised(norm.text).map((h) => ({ ...h, ...originalSpan(norm, h.start, h.end) }));
}

function findInNormalised(text: string): HandleFinding[] {
  const out: HandleFinding[] = [];
  if (!ANY_PLATFORM.test(text)) return out;
  // Spans already given to a handle, as a mask: checking and marking cost the span's length, not the findings'.
  const mask = new Uint8Array(text.length);
  const overlaps = (s: number, e: number) => mask.subarray(s, e).includes(1);
  const taken = { push: ([s, e]: [number, number]) => mask.fill(1, s, e) };
  const seen = new Set<string>();
  for (const { re, platform } of URL_RES) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const name = cleanName(m[1]);
      if (platform === 'instagram' && INSTAGRAM_RESERVED.has(name)) continue;
      if (!validName(platform, name)) continue;
      out.push({ kind: 'handle', platform, value: name, display: redactHandle(platform, name), via: 'url', start: m.index, end: m.index + m[0].length });
      taken.push([m.index, m.index + m[0].length]);
    }
  }
  const add = (platform: Platform, name: string, start: number, end: number) => {
    const id = `${platform}:${name}:${start}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ kind: 'handle', platform, value: name, display: redactHandle(platform, name), via: 'label', start, end });
  };
  // The name-first forms go first: in "jane.doe op insta groep" the name is jane.doe, not "groep".
  REVERSE_RE.lastIndex = 0;
  for (let m = REVERSE_RE.exec(text); m; m = REVERSE_RE.exec(text)) {
    const [whole, at, rawName, inParens, afterWord] = m;
    const start = m.index;
    const end = start + whole.length;
    if (overlaps(start, end)) continue;
    const name = cleanName(rawName);
    // Without "@" only a name-like word counts: "jane.doe (insta)", "jane.doe op insta" yes, "leuk (ig)" no.
    if (!at && !nameLike(name)) continue;
    const { platform } = labelPlatform(inParens ?? afterWord);
    if (!validName(platform, name) || NOT_A_NAME.has(name)) continue;
    add(platform, name, start, end);
    taken.push([start, end]);
  }
  LABEL_RE.lastIndex = 0;
  for (let m = LABEL_RE.exec(text); m; m = LABEL_RE.exec(text)) {
    const [whole, words, sep, rawName] = m;
    const start = m.index;
    const end = start + whole.length;
    if (overlaps(start, end)) continue;
    const labels = words.split(/\s*[/&+,]\s*/).map((w) => labelPlatform(w.replace(/'?s$/i, '')));
    const viaIs = /\sis\s/i.test(sep);
    const strong = /[:;=@>–-]/.test(sep) && !(viaIs && !sep.includes('@'));
    const name = cleanName(rawName);
    // "sc jane_d" without a colon: only a name that cannot be a word ("sc heerenveen won" is football).
    if (labels.some((l) => l.strongOnly) && !strong && !nameLike(name)) continue;
    const emoji = EMOJI_LABEL.test(words.trim());
    // After an emoji a plain word is a name only at the end of a line ("👻 janedoe"), not in a sentence.
    if (emoji && !strong && !nameLike(name) && !/^[ \t]*(?:$|\n)/.test(text.slice(end))) continue;
    // "insta is jane.doe99" names someone, "insta is saai" does not: after "is" a name needs a digit, "." or "_".
    if (viaIs && !sep.includes('@') && !/[\d._]/.test(name)) continue;
    if (!strong && (NOT_A_NAME.has(name) || name.length < 3 || /^\d+$/.test(name))) continue;
    // "insta.com" style domains are URLs we did not recognise, not handles.
    if (/\.(com|nl|be|de|net|org|me|app)$/.test(name)) continue;
    let any = false;
    for (const { platform } of labels) {
      if (!validName(platform, name)) continue;
      add(platform, name, start, end);
      any = true;
    }
    if (any) taken.push([start, end]);
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Normalises a handle written by itself ("@Jane.Doe", "jane.doe") for a known platform, or null when it
 * cannot be a name on that platform.
 * @example normaliseHandle('instagram', '@Jane.Doe') // 'jane.doe'
 */
export function normaliseHandle(platform: Platform, written: string): string | null {
  const name = cleanName(written.trim().replace(/^@/, ''));
  return validName(platform, name) ? name : null;
}
