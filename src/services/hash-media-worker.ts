/** Worker thread entry for hashing media files (see hash-media.ts). */
import { hashMediaFile, type HashFileOptions } from './hash-file.js';
import { serveTasks } from './serve-tasks.js';

export interface HashTask {
  path: string;
  opts: HashFileOptions;
  /** The file's bytes when they are already in memory (a zip entry); path then only names it. */
  bytes?: Uint8Array;
}

serveTasks((t: HashTask) => hashMediaFile(t.path, t.opts, t.bytes));
