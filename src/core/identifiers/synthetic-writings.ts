/**
 * How people write a phone number or a handle so that filters miss it, and text that looks like one but is not:
 * the corpus behind the finder's tests and `npm run bench:identifiers`. Synthetic only (numbers from
 * synthetic-phones.ts, names "example.synth.NNNN" / "exsynth_NNNN").
 */
import { NL_MOBILE_WRITINGS } from './synthetic-phones.js';

/** Each digit of a string in another Unicode digit set, given that set's zero. */
function inDigits(s: string, zero: number): string {
  return s.replace(/\d/g, (c) => String.fromCodePoint(zero + Number(c)));
}

const pairs = (d: string) => [d.slice(0, 2), d.slice(2, 4), d.slice(4, 6), d.slice(6)];
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const DUTCH = ['nul', 'een', 'twee', 'drie', 'vier', 'vijf', 'zes', 'zeven', 'acht', 'negen'];
const ENGLISH = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** Writings made to dodge filters, given the eight digits after "06" (named, for the bench's table). */
export const NL_MOBILE_DODGES: [string, (d: string) => string][] = [
  ['underscores', (d) => `06_${pairs(d).join('_')}`],
  ['no trunk 0', (d) => `6${d}`],
  ['no trunk 0, spaced', (d) => `6 ${d.slice(0, 4)} ${d.slice(4)}`],
  ['31 without +', (d) => `316${d}`],
  ['31 without +, spaced', (d) => `31 6 ${d}`],
  ['spaced single digits', (d) => `0 6 ${d.split('').join(' ')}`],
  ['letter O for zero', (d) => `O6${d}`],
  ['O and l', (d) => `O6-l${d.slice(1)}`],
  ['letters O as a group', (d) => `06 ${pairs(d).join(' ').replace(/0/g, 'O')}`],
  ['full-width', (d) => inDigits(`06${d}`, 0xff10)],
  ['full-width with +', (d) => `＋${inDigits(`316${d}`, 0xff10)}`],
  ['mathematical bold', (d) => inDigits(`06${d}`, 0x1d7ce)],
  ['mathematical monospace', (d) => inDigits(`06 ${d}`, 0x1d7f6)],
  ['Arabic-Indic', (d) => inDigits(`06${d}`, 0x660)],
  ['Persian', (d) => inDigits(`06${d}`, 0x6f0)],
  ['Devanagari', (d) => inDigits(`06${d}`, 0x966)],
  ['superscript', (d) => `06${d}`.replace(/\d/g, (c) => SUPERSCRIPT[Number(c)])],
  ['keycap emoji', (d) => `06${d}`.replace(/\d/g, (c) => `${c}\ufe0f\u20e3`)],
  ['glued to a name', (d) => `lisa06${d}`],
  ['name glued after', (d) => `06${d}lisa`],
  ['"nul" for the zero', (d) => `nul 6 ${d}`],
  ['"nul" inside', (d) => (d[4] === '0' ? `06 ${d.slice(0, 4)} nul ${d.slice(5)}` : `nul6${d}`)],
  ['zero-width spaces', (d) => `06\u200b${d.slice(0, 4)}\u200b${d.slice(4)}`],
  ['mixed scripts', (d) => `0${inDigits('6', 0xff10)}-${d}`],
  ['spaced dashes', (d) => `06 - ${pairs(d).join(' - ')}`],
  ['stars', (d) => `06*${pairs(d).join('*')}`],
  ['slash', (d) => `06/${d}`],
  ['brackets +31', (d) => `(+31)6${d}`],
  ['dots and spaces', (d) => `06. ${pairs(d).join('. ')}`],
  ['newline free groups', (d) => `06 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`],
  ['spelled out in Dutch', (d) => `nul zes ${d.split('').map((c) => DUTCH[Number(c)]).join(' ')}`],
  ['spelled out in English', (d) => `zero six ${d.split('').map((c) => ENGLISH[Number(c)]).join(' ')}`],
  ['31 in brackets without +', (d) => `(31) 6 ${d}`],
  ['circled', (d) => `06${d}`.replace(/[1-9]/g, (c) => String.fromCodePoint(0x2460 + Number(c) - 1)).replace(/0/g, '⓪')],
];

/** Every writing of a number the bench measures: the common ones and the dodges. */
export const ALL_NL_MOBILE_WRITINGS: [string, (d: string) => string][] = [
  ...NL_MOBILE_WRITINGS.map((w, i): [string, (d: string) => string] => [`common ${i + 1}: ${w('12345678')}`, w]),
  ...NL_MOBILE_DODGES,
];

/** Handle writings, given a name valid on every platform (e.g. "exsynth_0042"), with the platform meant. */
export const HANDLE_WRITINGS: [string, 'instagram' | 'snapchat' | 'tiktok', (n: string) => string][] = [
  ['insta: name', 'instagram', (n) => `insta: ${n}`],
  ['ig @name', 'instagram', (n) => `ig @${n}`],
  ['profile URL', 'instagram', (n) => `https://www.instagram.com/${n}/`],
  ['insta = name', 'instagram', (n) => `insta = ${n}`],
  ['camera emoji', 'instagram', (n) => `📷 ${n}`],
  ['camera emoji glued', 'instagram', (n) => `📸${n}`],
  ['name op insta', 'instagram', (n) => `${n} op insta`],
  ['@name op insta', 'instagram', (n) => `@${n} op insta`],
  ['name (ig)', 'instagram', (n) => `${n} (ig)`],
  ['full-width label', 'instagram', (n) => `ｉｎｓｔａ: ${n}`],
  ['pointing emoji', 'instagram', (n) => `insta 👉 ${n}`],
  ['sc: name', 'snapchat', (n) => `sc: ${n}`],
  ['sc name', 'snapchat', (n) => `sc ${n}`],
  ['snap - name', 'snapchat', (n) => `snap - ${n}`],
  ['ghost emoji', 'snapchat', (n) => `👻 ${n}`],
  ['ghost emoji with colon', 'snapchat', (n) => `👻: ${n}`],
  ['snapchat.com/add', 'snapchat', (n) => `snapchat.com/add/${n}`],
  ['name op snap', 'snapchat', (n) => `${n} op snap`],
  ['tiktok: @name', 'tiktok', (n) => `tiktok: @${n}`],
  ['tiktok URL', 'tiktok', (n) => `tiktok.com/@${n}`],
  ['tt: name', 'tiktok', (n) => `tt: ${n}`],
  ['mathematical bold label', 'instagram', (n) => `𝐢𝐧𝐬𝐭𝐚: ${n}`],
  ['arrow', 'tiktok', (n) => `tiktok → @${n}`],
  ['pointing emoji with skin tone', 'snapchat', (n) => `snap 👉🏽 ${n}`],
];

/** Text with digits or "@" that is not a phone number or a platform handle; by kind, for the bench's table. */
export const IDENTIFIER_DECOYS: [string, string[]][] = [
  ['dates', ['op 06-12-2024 om 14:30', 'datum 2024-05-12', '12/05/2024', '06-12-2024 1430', 'geboren 01.05.1990', '31-12-2025 00:00', 'photo_1@05-03-2025_21-14-09.jpg', 'IMG-20210428-WA0001.jpg']],
  ['times', ['om 16:11 uur', '21:14:09', 'van 09:00 tot 17:30', 'tijd 23:59:59']],
  ['prices', ['kost € 1.250,00 of €0,99', 'prijs: 1.234.567,89 euro', '€ 12.345.678,99', '$ 1,234.56', 'maar 612,50 eur']],
  ['postcodes', ['postcode 1012 AB Amsterdam', 'postcode 3511AB', '9999 XZ', 'adres: Straat 12, 6123 AB']],
  ['IBANs', ['IBAN NL91ABNA0417164300', 'NL91 ABNA 0417 1643 00', 'rek. NL02RABO0123456789', 'DE89370400440532013000']],
  ['order numbers', ['bestelnummer 0612345678', 'Ordernr: 0612345678', 'order #0201234567', 'factuur nr. 0612345678', 'track & trace 0612345678', 'ticket 0612345678', 'KvK 12345678', 'BSN 123456782', 'klantnummer: 612345678', '#0612345678']],
  ['ISBNs', ['ISBN 978-90-123-4567-8', 'isbn: 9789012345678', '978-1-23456-789-7']],
  ['coordinates', ['locatie 52.3702, 4.8952', '51.9225,4.47917', 'gps -33.8688, 151.2093']],
  ['e-mail addresses', ['mail jane@instagram.com', 'info0612345678@example.org', 'stuur naar exsynth_0042@example.com']],
  ['mentions', ['@jane.doe zonder platform', 'vraag het @admin_bot', 'hoi @iedereen', 'cc @exsynth_0042', 'dank @moderator']],
  ['words', ['ik zit op insta', 'snap je het?', 'ik snap dat niet', 'sc heerenveen won', 'tt morgen', 'insta is saai', '📷 mooi weer vandaag', '👻 boe! haha', 'leuk (ig)', 'de instagram app']],
  ['other numbers', ['1234567890', 'versie 6.12.345.678', 'score 06 - 12', 'https://t.me/+AbCdEf0612345678', 't.me/+0612345678abc', '+44 7700 900123', 'unix 1717171717', 'bel 112']],
];
