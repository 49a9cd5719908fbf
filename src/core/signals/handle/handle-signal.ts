/**
 * A social-media handle as a bank entry or a finding: the value is the keyed hash (HMAC-SHA256, 64 hex digits)
 * of "handle:<platform>:<name>", never the name itself; services compute it with the identifier key.
 * Storage key `handle`.
 */
import { hexExactSignal } from '../signal-type.js';

export const handleSignal = hexExactSignal({
  name: 'handle',
  label: 'a handle key (HMAC)',
  description: 'keyed hash of an Instagram/Snapchat/TikTok handle found in text (never the name in clear)',
  digits: 64,
  contentKinds: ['text'],
  examples: {
    valid: ['60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752', 'CD'.repeat(32)],
    invalid: ['@jane.doe', 'instagram:jane.doe', 'cd'.repeat(33), ''],
  },
});
