/**
 * A phone number as a bank entry or a finding: the value is the keyed hash (HMAC-SHA256 under the server's
 * identifier key, 64 hex digits) of "phone:<E.164>", never the number itself. The clear text is turned into
 * this value in services (io/crypto holds the key); core only checks its form. Storage key `phone`.
 */
import { hexExactSignal } from '../signal-type.js';

export const phoneSignal = hexExactSignal({
  name: 'phone',
  label: 'a phone number key (HMAC)',
  description: 'keyed hash of a phone number found in text (never the number in clear)',
  digits: 64,
  contentKinds: ['text'],
  examples: {
    valid: ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'AB'.repeat(32)],
    invalid: ['+31612345678', '0612345678', 'ab'.repeat(31), ''],
  },
});
