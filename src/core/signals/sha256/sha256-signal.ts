/** SHA-256 of a media file's bytes: exact re-posts only. Storage key `sha256`. */
import { hexExactSignal } from '../signal-type.js';

export const sha256Signal = hexExactSignal({
  name: 'sha256',
  label: 'a SHA-256',
  description: 'SHA-256 of the file bytes (exact copies)',
  digits: 64,
  contentKinds: ['photo', 'video'],
  fromMedia: (r) => [{ type: 'sha256', value: r.sha256 }],
  examples: {
    valid: ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'F'.repeat(64)],
    invalid: ['', 'e3b0c44298fc1c149afbf4c8996fb924', 'z'.repeat(64), 'f'.repeat(65)],
  },
});
