import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DateOrderVote, headerUnixTime, mediaFromLine, parseHeaderLine, splitAuthor } from './whatsapp-line.js';

describe('parseHeaderLine', () => {
  it.each([
    ['06/03/2017, 00:45 - Sample User: text', [6, 3, 2017, 0, 45, 0, null], 'Sample User: text'],
    ['3/6/18, 1:55 PM - Sample User: text', [3, 6, 18, 1, 55, 0, 'pm'], 'Sample User: text'],
    ['3/6/18, 1:55\u202fPM - Sample User: text', [3, 6, 18, 1, 55, 0, 'pm'], 'Sample User: text'],
    ['03-06-2018, 01.55 PM - a: m', [3, 6, 2018, 1, 55, 0, 'pm'], 'a: m'],
    ['13.6.2018 klo 21.25.15 - a: m', [13, 6, 2018, 21, 25, 15, null], 'a: m'],
    ['3/6/18, 1:55 p.m. - a: m', [3, 6, 18, 1, 55, 0, 'pm'], 'a: m'],
    ['[06/03/2017, 00:45:12] Sample User: text', [6, 3, 2017, 0, 45, 12, null], 'Sample User: text'],
    ['\u200e[3/6/18 1:55:00 PM] Sample User: text', [3, 6, 18, 1, 55, 0, 'pm'], 'Sample User: text'],
    ['[2018/06/13, 21:25:15] a: m', [2018, 6, 13, 21, 25, 15, null], 'a: m'],
    ['13.06.18 21.25.15: a: m', [13, 6, 18, 21, 25, 15, null], 'a: m'],
  ])('%s', (line, [a, b, c, hour, minute, second, ampm], rest) => {
    expect(parseHeaderLine(line)).toEqual({ a, b, c, hour, minute, second, ampm, rest });
  });

  it.each(['gewoon tekst', 'om 21:30 - kom je?', '12-05-2024 is een datum', '06-12345678', '€ 12,50 - duur'])('continuation line: %s', (line) => {
    expect(parseHeaderLine(line)).toBeNull();
  });

  it('property: a generated Android or iOS header gives back its date and time', () => {
    fc.assert(fc.property(fc.date({ min: new Date('2012-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }), fc.boolean(), fc.boolean(), (d, ios, h12) => {
      const [Y, M, D, h, m, s] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), ios ? d.getUTCSeconds() : 0];
      const p2 = (n: number) => String(n).padStart(2, '0');
      const hh = h12 ? `${h % 12 || 12}` : p2(h);
      const time = `${hh}:${p2(m)}${ios ? `:${p2(s)}` : ''}${h12 ? (h < 12 ? ' AM' : ' PM') : ''}`;
      const line = ios ? `[${p2(D)}/${p2(M)}/${Y}, ${time}] A: x` : `${p2(D)}/${p2(M)}/${Y}, ${time} - A: x`;
      const hdr = parseHeaderLine(line)!;
      expect(hdr.rest).toBe('A: x');
      expect(headerUnixTime(hdr, 'dmy')).toBe(Date.UTC(Y, M - 1, D, h, m, s) / 1000);
    }));
  });
});

describe('date order, authors and media lines', () => {
  it('settles the date order from any component above 12', () => {
    const vote = (lines: string[]) => { const v = new DateOrderVote(); for (const l of lines) v.add(parseHeaderLine(l)!); return v.result(); };
    expect(vote(['1/2/20, 10:00 - a: b', '12/25/20, 10:00 - a: b'])).toBe('mdy');
    expect(vote(['1/2/20, 10:00 - a: b', '25/12/20, 10:00 - a: b'])).toBe('dmy');
    expect(vote(['1/2/20, 10:00 - a: b'])).toBe('dmy');
    expect(vote(['[2018/06/13, 21:25:15] a: m'])).toBe('ymd');
    expect(headerUnixTime(parseHeaderLine('31/02/2020, 10:00 - a: b')!, 'dmy')).toBeNull();
  });

  it('splits authors from text; system messages have none', () => {
    expect(splitAuthor('Sample User: hoi: daar')).toEqual({ author: 'Sample User', text: 'hoi: daar' });
    expect(splitAuthor('+31 6 12345678: hoi')).toEqual({ author: '+31 6 12345678', text: 'hoi' });
    expect(splitAuthor('Messages and calls are end-to-end encrypted.')).toEqual({ author: null, text: 'Messages and calls are end-to-end encrypted.' });
    expect(splitAuthor('\u200eDeelnemer 3 joined using this group\'s invite link').author).toBeNull();
  });

  it('reads media markers of both platforms', () => {
    expect(mediaFromLine('IMG-20210428-WA0001.jpg (file attached)')).toMatchObject({ kind: 'photo', path: 'IMG-20210428-WA0001.jpg', missing: null });
    expect(mediaFromLine('VID-20210428-WA0002.mp4 (bestand bijgevoegd)')).toMatchObject({ kind: 'video' });
    expect(mediaFromLine('PTT-20210428-WA0003.opus (file attached)')).toMatchObject({ kind: 'voice' });
    expect(mediaFromLine('\u200e<attached: 00000042-PHOTO-2020-06-07-15-13-20.jpg>')).toMatchObject({ kind: 'photo', path: '00000042-PHOTO-2020-06-07-15-13-20.jpg' });
    expect(mediaFromLine('2015-08-04-PHOTO-00004762.jpg <attached>')).toMatchObject({ kind: 'photo' });
    expect(mediaFromLine('<Media omitted>')).toMatchObject({ kind: 'unknown', missing: 'omitted', path: null });
    expect(mediaFromLine('<Media weggelaten>')).toMatchObject({ missing: 'omitted' });
    expect(mediaFromLine('\u200evideo omitted')).toMatchObject({ kind: 'video', missing: 'omitted' });
    expect(mediaFromLine('image omitted')).toMatchObject({ kind: 'photo', missing: 'omitted' });
    expect(mediaFromLine('kijk naar foto.jpg (lol)')).toBeNull();
    expect(mediaFromLine('gewoon tekst')).toBeNull();
  });
});
