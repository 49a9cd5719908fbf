import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerWallSeconds, isSystemText, jalaliToGregorian, looksLikeHeader, parseHeaderLine, splitAuthor } from './whatsapp-line.js';
import { mediaFromLine } from './whatsapp-media.js';
import { ChatSurvey, isWhatsAppHead } from './whatsapp-survey.js';

const iso = (line: string, dayFirst: boolean) => {
  const h = parseHeaderLine(line);
  const t = h && headerWallSeconds(h, { dayFirst });
  return t === null || t === undefined ? null : new Date(t * 1000).toISOString().slice(0, 19);
};

describe('parseHeaderLine: every shape phones write', () => {
  it.each([
    ['06/03/2017, 00:45 - Sample User: text', true, '2017-03-06T00:45:00', 'Sample User: text'],
    ['3/6/18, 1:55 PM - Sample User: text', false, '2018-03-06T13:55:00', 'Sample User: text'],
    ['3/6/18, 1:55\u202fPM - Sample User: text', false, '2018-03-06T13:55:00', 'Sample User: text'],
    ['03-06-2018, 01.55 PM - a: m', true, '2018-06-03T13:55:00', 'a: m'],
    ['13.6.2018 klo 21.25.15 - a: m', true, '2018-06-13T21:25:15', 'a: m'],
    ['[13.6.2018 klo 21.25.15] a: m', true, '2018-06-13T21:25:15', 'a: m'],
    ['3/6/18, 1:55 p.m. - a: m', true, '2018-06-03T13:55:00', 'a: m'],
    ['3/6/18, 1:55\u202fp.\u00a0m. - a: m', true, '2018-06-03T13:55:00', 'a: m'],
    ['13/6/18 9:25 a. m. - a: m', true, '2018-06-13T09:25:00', 'a: m'],
    ['[3/6/18 12:05:00 a. m.] a: m', true, '2018-06-03T00:05:00', 'a: m'],
    ['[06/03/2017, 00:45:12] Sample User: text', true, '2017-03-06T00:45:12', 'Sample User: text'],
    ['\u200e[3/6/18 1:55:00 PM] Sample User: text', false, '2018-03-06T13:55:00', 'Sample User: text'],
    ['[2018/06/13, 21:25:15] a: m', false, '2018-06-13T21:25:15', 'a: m'],
    ['[06/2018/13, 21:25:15] a: m', false, '2018-06-13T21:25:15', 'a: m'],
    ['13.06.18 21.25.15: a: m', true, '2018-06-13T21:25:15', 'a: m'],
    ['12.07.2017, 22:35: Johannes: Was it good?', true, '2017-07-12T22:35:00', 'Johannes: Was it good?'],
    ['13. 6. 2018. 21:25:15 a: m', true, '2018-06-13T21:25:15', 'a: m'],
    ['12/07/2017 à 22:35 - X: Salut', true, '2017-07-12T22:35:00', 'X: Salut'],
    ['13.07.17, 10:36 PM  - R: Yes', true, '2017-07-13T22:36:00', 'R: Yes'],
    ['07/12/17 22:35 - J: W', false, '2017-07-12T22:35:00', 'J: W'],
    ['2020. 01. 05. 10:30 - N: x', false, '2020-01-05T10:30:00', 'N: x'],
    ['۱۳۹۹/۱/۱۵،\u200f ۲۱:۳۰ - A: b', false, '2020-04-03T21:30:00', 'A: b'],
  ])('%s', (line, dayFirst, time, rest) => {
    expect(parseHeaderLine(line)?.rest).toBe(rest);
    expect(iso(line, dayFirst)).toBe(time);
  });

  it('keeps a direction mark that follows the author (iOS system lines)', () => {
    expect(parseHeaderLine('[29.11.18, 10:50:12] Family: \u200eMessages and calls are end-to-end encrypted.')?.rest).toBe('Family: \u200eMessages and calls are end-to-end encrypted.');
  });

  it.each(['gewoon tekst', 'om 21:30 - kom je?', '12-05-2024 is een datum', '06-12345678', '€ 12,50 - duur', '1.2.3 release notes'])('continuation line: %s', (line) => {
    expect(parseHeaderLine(line)).toBeNull();
  });

  it('tells apart lines that start like a header', () => {
    expect(looksLikeHeader('2024-05-12 10:00 vergadering')).toBe(true);
    expect(looksLikeHeader('12-05-2024 is een datum')).toBe(false);
  });

  it('property: a generated header in any of the shapes gives back its wall-clock time', () => {
    const shapes = [
      (d: number[], s: boolean) => `${d[2]}/${d[1]}/${d[0]}, ${d[3]}:${String(d[4]).padStart(2, '0')}${s ? `:${String(d[5]).padStart(2, '0')}` : ''} - A: x`,
      (d: number[], s: boolean) => `[${d[2]}.${d[1]}.${String(d[0]).slice(2)}, ${d[3]}:${String(d[4]).padStart(2, '0')}${s ? `:${String(d[5]).padStart(2, '0')}` : ''}] A: x`,
      (d: number[]) => `${d[2]}.${d[1]}.${d[0]} klo ${d[3]}.${String(d[4]).padStart(2, '0')} - A: x`,
      (d: number[], s: boolean) => `${d[2]}. ${d[1]}. ${d[0]}. ${d[3]}:${String(d[4]).padStart(2, '0')}${s ? `:${String(d[5]).padStart(2, '0')}` : ''} A: x`,
    ];
    fc.assert(fc.property(fc.date({ min: new Date('2012-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }), fc.integer({ min: 0, max: 3 }), fc.boolean(), (date, k, secs) => {
      const d = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
      const withSecs = k === 2 ? false : secs;
      const h = parseHeaderLine(shapes[k](d, withSecs))!;
      expect(h.rest).toBe('A: x');
      expect(headerWallSeconds(h, { dayFirst: true })).toBe(Date.UTC(d[0], d[1] - 1, d[2], d[3], d[4], withSecs ? d[5] : 0) / 1000);
    }));
  });

  it('converts Solar Hijri dates', () => {
    expect(jalaliToGregorian(1399, 1, 1)).toEqual([2020, 3, 20]);
    expect(jalaliToGregorian(1403, 7, 1)).toEqual([2024, 9, 22]);
    expect(jalaliToGregorian(1403, 12, 30)).toEqual([2025, 3, 20]);
    expect(jalaliToGregorian(1404, 1, 1)).toEqual([2025, 3, 21]);
  });
});

describe('authors, system lines and media markers', () => {
  it('splits authors; iOS system lines are marked', () => {
    expect(splitAuthor('Sample User: hoi: daar')).toEqual({ author: 'Sample User', text: 'hoi: daar', marked: false });
    expect(splitAuthor('+31 6 12345678: hoi')).toMatchObject({ author: '+31 6 12345678', text: 'hoi' });
    expect(splitAuthor('Family: \u200eJosh created this group')).toEqual({ author: 'Family', text: 'Josh created this group', marked: true });
    expect(splitAuthor('Messages and calls are end-to-end encrypted.').author).toBeNull();
    expect(splitAuthor('\u200eDeelnemer 3 joined using this group\'s invite link').author).toBeNull();
  });

  it('knows WhatsApp\'s own texts without taking a member\'s words for one', () => {
    expect(isSystemText('Messages to this group are now secured with end-to-end encryption. Tap for more info.', 'Family')).toBe(true);
    expect(isSystemText('Josh created this group', 'Josh')).toBe(true);
    expect(isSystemText('You created group “Sample Group”', 'Ash')).toBe(true);
    expect(isSystemText('Messages you send to this group are now secured with end-to-end encryption. Tap for more info.', 'Ash')).toBe(true);
    expect(isSystemText('ok I left', 'Josh')).toBe(false);
    expect(isSystemText('left', 'Josh')).toBe(false);
  });

  it.each([
    ['IMG-20210428-WA0001.jpg (file attached)', { kind: 'photo', path: 'IMG-20210428-WA0001.jpg' }],
    ['VID-20210428-WA0002.mp4 (Datei angehängt)', { kind: 'video' }],
    ['DOC-20210428-WA0004.pdf (fichier joint)', { kind: 'document' }],
    ['PTT-20210428-WA0003.opus (file attached)', { kind: 'voice' }],
    ['IMG-20210428-WA0005.jpg (unknown words)', { kind: 'photo' }],
    ['Contact 1.vcf (archivo adjunto)', { kind: 'contact', path: 'Contact 1.vcf' }],
    ['\u200e<attached: 00000042-PHOTO-2020-06-07-15-13-20.jpg>', { kind: 'photo', path: '00000042-PHOTO-2020-06-07-15-13-20.jpg' }],
    ['< attached: 00000042-PHOTO-2020-06-07-15-13-20.jpg >', { kind: 'photo', path: '00000042-PHOTO-2020-06-07-15-13-20.jpg' }],
    ['<\u200eattached: 00000043-VIDEO-2020-06-07-15-13-20.mp4>', { kind: 'video' }],
    ['<Anhang: 00000044-Kontakt.vcf>', { kind: 'contact' }],
    ['Report.pdf • 3 pages \u200e<attached: 00000045-Report.pdf>', { kind: 'document', path: '00000045-Report.pdf' }],
    ['00000046-sticker.webp <attached>', { kind: 'sticker' }],
    ['2015-08-04-PHOTO-00004762.jpg <attached>', { kind: 'photo' }],
    ['drawing.svg (file attached)', { kind: 'document' }],
  ])('attached: %s', (line, want) => {
    expect(mediaFromLine(line)).toMatchObject({ missing: null, ...want });
  });

  it.each([
    ['<Media omitted>', 'unknown'], ['<Medien ausgeschlossen>', 'unknown'], ['<Médias omis>', 'unknown'], ['<Multimedia omitido>', 'unknown'],
    ['<Media weggelaten>', 'unknown'], ['<رسانه حذف شد>', 'unknown'], ['<Medijski zapis izostavljen>', 'unknown'],
    ['\u200eimage omitted', 'photo'], ['video omitted', 'video'], ['\u200eGIF omitted', 'animation'], ['sticker omitted', 'sticker'],
    ['Contact card omitted', 'contact'], ['\u200eBild weggelassen', 'photo'], ['imagen omitida', 'photo'], ['vidéo absente', 'video'],
    ['kuva jätetty pois', 'photo'], ['<image omitted>', 'photo'],
  ])('omitted: %s', (line, kind) => {
    expect(mediaFromLine(line)).toMatchObject({ kind, missing: 'omitted', path: null });
  });

  it.each(['kijk naar foto.jpg (lol)', 'gewoon tekst', 'zie <deze>'])('plain text: %s', (line) => {
    expect(mediaFromLine(line)).toBeNull();
  });
});

describe('ChatSurvey: format, date order and group from the whole file', () => {
  const survey = (lines: string[]) => { const s = new ChatSurvey(); for (const l of lines) s.add(l); return s.result(); };

  it('settles the order from any number above 12, else from the order with fewer steps back in time', () => {
    expect(survey(['1/2/20, 10:00 - a: b', '12/25/20, 10:00 - a: b'])).toMatchObject({ dayFirst: false, ambiguous: false });
    expect(survey(['1/2/20, 10:00 - a: b', '25/12/20, 10:00 - a: b'])).toMatchObject({ dayFirst: true, ambiguous: false });
    // Jan 2, Jan 3, Feb 1 read month-first; day-first it would go Feb 1, Mar 1, Jan 2 (a step back).
    expect(survey(['1/2/20, 10:00 - a: b', '1/3/20, 10:00 - a: b', '2/1/20, 10:00 - a: b'])).toMatchObject({ dayFirst: false, ambiguous: true });
    expect(survey(['[2018/06/13, 21:25:15] a: m'])).toMatchObject({ dayFirst: false });
  });

  it('decides on the format from the whole head: a preamble, a captioned attachment or a long message first', () => {
    const head = ['Chat export', '', 'IMG-20200101-WA0001.jpg (file attached)', ...Array(30).fill('a long message line'), '01/01/2020, 10:00 - A: hoi', '01/01/2020, 10:01 - B: hoi'];
    expect(isWhatsAppHead(survey(head))).toBe(true);
    expect(isWhatsAppHead(survey(['boodschappen', 'melk', '12-05-2024 10:00 afspraak']))).toBe(false);
  });

  it('tells groups from personal chats', () => {
    expect(survey(['[1/1/20, 10:00:00] Fam: \u200eMessages and calls are end-to-end encrypted.', '[1/1/20, 10:00:01] A: hoi', '[1/1/20, 10:00:02] B: hoi'])).toMatchObject({ group: false });
    expect(survey(['[1/1/20, 10:00:00] Fam: \u200eA created group "Fam"', '[1/1/20, 10:00:01] A: hoi'])).toMatchObject({ group: true });
    expect(survey(['1/1/20, 10:00 - A: x', '1/1/20, 10:00 - B: x', '1/1/20, 10:00 - C: x'])).toMatchObject({ group: true });
    expect(survey(['1/1/20, 10:00 - Messages to this group are now secured with end-to-end encryption.', '1/1/20, 10:00 - A: x'])).toMatchObject({ group: true });
  });
});
