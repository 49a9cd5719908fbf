/** parseIdentifier: a registered number or handle gets the same key as the finder gives the same identifier in a chat. */
import { describe, expect, it } from 'vitest';
import { findIdentifiers } from './find-identifiers.js';
import { identifierKey } from './identifier.js';
import { parseIdentifier } from './parse-identifier.js';

describe('parseIdentifier', () => {
  it('normalises a phone number in any common writing to the key the finder gives it', () => {
    const inChat = findIdentifiers('bel me 06-12345678 na 8 uur').map(identifierKey);
    for (const w of ['+31 6 12345678', '0612345678', '+31612345678', '06 12 34 56 78']) {
      const p = parseIdentifier(w);
      expect(p).toMatchObject({ kind: 'phone', key: 'phone:+31612345678', display: '+31 6 •••• ••78' });
      expect(inChat).toContain(p.key);
    }
  });

  it('reads handles with a platform word or a --platform, and keys them as the finder does', () => {
    const inChat = findIdentifiers('insta: Jane.Doe').map(identifierKey);
    expect(parseIdentifier('instagram:Jane.Doe')).toMatchObject({ kind: 'handle', platform: 'instagram', key: 'handle:instagram:jane.doe' });
    expect(parseIdentifier('ig: @jane.doe').key).toBe('handle:instagram:jane.doe');
    expect(parseIdentifier('@jane.doe', { platform: 'instagram' }).key).toBe(inChat[0]);
    expect(parseIdentifier('jane.doe', { kind: 'handle', platform: 'snapchat' }).key).toBe('handle:snapchat:jane.doe');
  });

  it('refuses what is neither, without repeating it', () => {
    for (const bad of ['hello there', '12', '@jane.doe', 'tiktok:x']) {
      let message = '';
      try {
        parseIdentifier(bad);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message, bad).toMatch(/^(not a|a handle needs)/);
      expect(message).not.toContain(bad.replace(/^\w+:/, ''));
    }
  });
});
