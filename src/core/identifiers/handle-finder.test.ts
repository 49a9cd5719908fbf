import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findHandles, normaliseHandle } from './handle-finder.js';
import { findIdentifiers } from './find-identifiers.js';
import { identifierKey } from './identifier.js';
import { HANDLE_WRITINGS, IDENTIFIER_DECOYS } from './synthetic-writings.js';

const found = (text: string) => findHandles(text).map((h) => `${h.platform}:${h.value}`);

describe('findHandles', () => {
  it.each([
    ['insta: Jane.Doe', 'instagram:jane.doe'],
    ['Insta:jane_doe_', 'instagram:jane_doe_'],
    ['instagram @jane.doe', 'instagram:jane.doe'],
    ['ig @jane.doe', 'instagram:jane.doe'],
    ['IG: jane.doe.', 'instagram:jane.doe'],
    ['haar insta is jane.doe99', 'instagram:jane.doe99'],
    ['insta = janedoe', 'instagram:janedoe'],
    ['sc: jane-d', 'snapchat:jane-d'],
    ['snap janedoe99', 'snapchat:janedoe99'],
    ['Snapchat: @JaneD', 'snapchat:janed'],
    ['snap -> jane_d', 'snapchat:jane_d'],
    ['tiktok: @jane.doe', 'tiktok:jane.doe'],
    ['tik tok @jane_doe', 'tiktok:jane_doe'],
    ['tt: jane.doe', 'tiktok:jane.doe'],
    ['https://www.instagram.com/jane.doe/', 'instagram:jane.doe'],
    ['instagram.com/Jane_Doe?igsh=abc', 'instagram:jane_doe'],
    ['https://instagram.com/stories/jane.doe/123', 'instagram:jane.doe'],
    ['snapchat.com/add/jane-d', 'snapchat:jane-d'],
    ['https://www.snapchat.com/add/JaneD?share_id=x', 'snapchat:janed'],
    ['https://www.tiktok.com/@jane.doe/video/123', 'tiktok:jane.doe'],
    ['insta; jane.doe', 'instagram:jane.doe'],
    ['@jane.doe op insta', 'instagram:jane.doe'],
    ['jane.doe (insta)', 'instagram:jane.doe'],
    ['(ig: jane.doe)', 'instagram:jane.doe'],
    ['https://instagram.com/_u/jane.doe', 'instagram:jane.doe'],
  ])('%s → %s', (text, expected) => {
    expect(found(`kijk ${text} en zo`)).toEqual([expected]);
  });

  it('finds several handles in one message in order, with exact spans', () => {
    const text = 'insta: jane.doe / snap: jane_d / tiktok.com/@jdoe';
    const hs = findHandles(text);
    expect(hs.map((h) => `${h.platform}:${h.value}`)).toEqual(['instagram:jane.doe', 'snapchat:jane_d', 'tiktok:jdoe']);
    expect(text.slice(hs[2].start, hs[2].end)).toBe('tiktok.com/@jdoe');
    expect(hs[0].display).toBe('ig:@j••••e');
  });

  it('reads one name given for several platforms at once', () => {
    expect(found('IG/snap: jane_doe')).toEqual(['instagram:jane_doe', 'snapchat:jane_doe']);
  });

  it.each([
    'ik zit op insta',
    'leuk (ig)',
    'snap je het?',
    'ik snap dat niet',
    'snap het niet',
    'insta is saai',
    'tiktok filmpjes kijken',
    'ig is kapot',
    'sc heerenveen won',
    'tt morgen',
    '@jane.doe zonder platform',
    'instagram.com/p/Cx1234abc',
    'instagram.com/explore',
    'https://www.instagram.com/reel/abc123/',
    'snap 12345',
    'tiktok.com/discover',
    'mail jane@instagram.com',
    'de instagram app',
  ])('does not see a handle in %s', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('property: a valid name after any label form normalises to lower case with its platform', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{2,11}[a-z0-9]$/);
    const label = fc.constantFrom(
      ['insta: ', 'instagram'], ['ig @', 'instagram'], ['IG: @', 'instagram'], ['instagram.com/', 'instagram'],
      ['sc: ', 'snapchat'], ['snap @', 'snapchat'], ['snapchat.com/add/', 'snapchat'],
      ['tiktok: @', 'tiktok'], ['tiktok.com/@', 'tiktok'],
    );
    fc.assert(
      fc.property(name, label, fc.boolean(), (n, [l, platform], upper) => {
        const written = upper ? n.toUpperCase() : n;
        expect(found(`hier ${l}${written} !`)).toEqual([`${platform}:${n}`]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('normaliseHandle and findIdentifiers', () => {
  it('normalises written handles per platform rules', () => {
    expect(normaliseHandle('instagram', '@Jane.Doe')).toBe('jane.doe');
    expect(normaliseHandle('snapchat', 'ab')).toBeNull();
    expect(normaliseHandle('tiktok', 'jane doe')).toBeNull();
  });

  it('finds phones and handles together, in order, with storage keys that keep kinds apart', () => {
    const all = findIdentifiers('snap: jane_d bel 06-12345678 of tiktok.com/@0612345678');
    expect(all.map(identifierKey)).toEqual(['handle:snapchat:jane_d', 'phone:+31612345678', 'handle:tiktok:0612345678']);
  });
});

describe('findHandles on writings made to dodge filters (issue 8 §5)', () => {
  it.each(HANDLE_WRITINGS.map(([name, platform, w]) => [name, platform, w('exsynth_0042')]))('finds %s (%s): %s', (_, platform, written) => {
    const text = `kijk ${written} nu`;
    const hs = findHandles(text);
    expect(hs.map((h) => `${h.platform}:${h.value}`)).toEqual([`${platform}:exsynth_0042`]);
    expect(text.slice(hs[0].start, hs[0].end)).toContain(written.includes('exsynth') ? written.slice(written.indexOf('exsynth'), written.indexOf('exsynth') + 7) : '');
  });

  it.each(IDENTIFIER_DECOYS.filter(([k]) => k === 'mentions' || k === 'words' || k === 'e-mail addresses').flatMap(([, t]) => t))('sees no handle in %s', (text) => {
    expect(findHandles(text)).toEqual([]);
  });

  it('does not take a word on the next line for a name after a bare platform word', () => {
    expect(findHandles('ik zit op insta\nstuur door')).toEqual([]);
  });
});
