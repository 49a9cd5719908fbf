/** MD5 of a media file's bytes: exact re-posts only. Storage key `md5`. */
import { hexExactSignal } from '../signal-type.js';

export const md5Signal = hexExactSignal({
  name: 'md5',
  label: 'an MD5',
  description: 'MD5 of the file bytes (exact copies)',
  digits: 32,
  contentKinds: ['photo', 'video'],
  fromMedia: (r) => [{ type: 'md5', value: r.md5 }],
  examples: {
    valid: ['d41d8cd98f00b204e9800998ecf8427e', 'D41D8CD98F00B204E9800998ECF8427E', '  0123456789abcdef0123456789abcdef '],
    invalid: ['', 'd41d8cd98f00b204e9800998ecf8427', 'g41d8cd98f00b204e9800998ecf8427e', 'a'.repeat(64)],
  },
});
