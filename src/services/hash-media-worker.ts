/** Worker thread entry for hashing media files (see hash-media.ts). */
import { hashMediaFile, type HashFileOptions } from './hash-file.js';
import { serveTasks } from './serve-tasks.js';

export interface HashTask { path: string; opts: HashFileOptions }

serveTasks((t: HashTask) => hashMediaFile(t.path, t.opts));
