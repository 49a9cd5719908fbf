/** A message read from an export is recognised under the forms the store holds its digest and chat id in. */
import { describe, expect, it } from 'vitest';
import { identifierKeyFromBytes } from '../../io/crypto/identifier-key.js';
import { keyedChatId, keyedMessageDigest } from '../scan/untrusted-keys.js';
import { matchesStoredDigest, storedChatIdForms } from './message-digest.js';

const key = identifierKeyFromBytes(new Uint8Array(32).fill(3), 'test');
const m = { rawSha256: 'ab'.repeat(32) };

describe('message digest check', () => {
  it('accepts the keyed digest of the same bytes and a not yet re-keyed one, and nothing else', () => {
    expect(matchesStoredDigest(m, keyedMessageDigest(key, m.rawSha256), key)).toBe(true);
    expect(matchesStoredDigest(m, `sha256:${m.rawSha256}`, key)).toBe(true);
    expect(matchesStoredDigest(m, m.rawSha256, key)).toBe(false);
    expect(matchesStoredDigest(m, 'cd'.repeat(32), key)).toBe(false);
    expect(matchesStoredDigest(m, identifierKeyFromBytes(new Uint8Array(32).fill(4)).hmac(`message-digest:${m.rawSha256}`), key)).toBe(false);
  });

  it('finds a numeric chat id as it is or keyed (a personal chat\'s), and any other id keyed', () => {
    const personal = keyedChatId(key, 'telegram_export', '1987654321', true);
    expect(personal).toMatch(/^k:[0-9a-f]{24}$/);
    expect(keyedChatId(key, 'telegram_export', '1987654321')).toBe('1987654321');
    expect(storedChatIdForms(key, 'telegram_export', '1987654321')).toEqual([personal, '1987654321']);
    const forms = storedChatIdForms(key, 'whatsapp_export', 'wa:0123456789abcdef');
    expect(forms).toEqual([keyedChatId(key, 'whatsapp_export', 'wa:0123456789abcdef'), 'wa:0123456789abcdef']);
    expect(forms[0]).toMatch(/^k:[0-9a-f]{24}$/);
  });
});
