/**
 * Compares two videos by their vPDQ frame hashes. Each side is a video (hashed now, nothing stored) or a file of
 * hashes already computed: a reference hash file (`frame,quality,hex,timestamp` lines), python-threatexchange's
 * signal string (a JSON list of "hex,quality,timestamp"), or a JSON line of `unexpose hash` with a `vpdq` list.
 */
import { readFile, stat } from 'node:fs/promises';
import { detectMediaKind, MEDIA_SNIFF_BYTES } from '../core/content/detect-media-kind.js';
import { readFileHead } from '../io/fs/read-head.js';
import { InvalidSignalError, UnexposeError } from '../core/errors.js';
import { compareVpdq, type VpdqCompareOptions, type VpdqComparison } from '../core/signals/vpdq/vpdq-compare.js';
import type { VpdqFeature } from '../core/signals/vpdq/vpdq-feature.js';
import { parsePytxVpdq, parseVpdqHashFile } from '../core/signals/vpdq/vpdq-format.js';
import { hashVideoFile, type VideoHashOptions } from './hash-video.js';

/** Hash files larger than this are refused (an hour at every frame is about 8 MB in the reference format). */
const MAX_HASH_FILE_BYTES = 64 * 1024 * 1024;

export type VpdqSource = 'video' | 'hash-file' | 'pytx-signal' | 'unexpose-json';

export interface VideoSide {
  path: string;
  source: VpdqSource;
  /** Frame hashes read or computed, before the quality filter and dedupe. */
  hashes: number;
  sampling?: string;
  notes?: string[];
}

export interface VideoComparison extends VpdqComparison {
  query: VideoSide;
  compared: VideoSide;
}

function framesFromJson(text: string, name: string): VpdqFeature[] {
  const first = text.split(/\r?\n/).find((l) => l.trim());
  let obj: { vpdq?: unknown; error?: unknown };
  try {
    obj = JSON.parse(first ?? '');
  } catch {
    throw new InvalidSignalError(`${name}: not a JSON line with a "vpdq" list`);
  }
  if (typeof obj.error === 'string') throw new InvalidSignalError(`${name}: the hash line records an error: ${obj.error}`);
  if (!Array.isArray(obj.vpdq)) throw new InvalidSignalError(`${name}: the JSON has no "vpdq" list (is it a photo's hash?)`);
  // Re-check every frame through the hash-file parser's rules.
  const lines = obj.vpdq.map((f: Partial<VpdqFeature>) => `${f.frame},${f.quality},${f.pdq},${f.timestamp}`).join('\n');
  return parseVpdqHashFile(lines, `${name} vpdq`);
}

/**
 * The vPDQ frames of a video or hash file.
 * @example await loadVpdqFeatures('clip.mp4') // { side: { path: 'clip.mp4', source: 'video', hashes: 21, ... }, features: [...] }
 */
export async function loadVpdqFeatures(path: string, video: VideoHashOptions = {}): Promise<{ side: VideoSide; features: VpdqFeature[] }> {
  const st = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new UnexposeError('not_found', `${path}: cannot read the file (${err.code ?? err.message})`);
  });
  if (!st.isFile()) throw new UnexposeError('invalid_input', `${path}: not a regular file`);
  if (st.size === 0) throw new UnexposeError('unsupported_media', `${path}: empty file (0 bytes), neither a video nor a hash file`);
  if (detectMediaKind(await readFileHead(path, MEDIA_SNIFF_BYTES)) === 'video') {
    const r = await hashVideoFile(path, video);
    return { side: { path, source: 'video', hashes: r.vpdq.length, sampling: r.sampling, ...(r.notes ? { notes: r.notes } : {}) }, features: r.vpdq };
  }
  if (st.size > MAX_HASH_FILE_BYTES) throw new UnexposeError('invalid_input', `${path}: not a video, and too large for a hash file`);
  const text = (await readFile(path, 'utf8')).trim();
  const [source, features]: [VpdqSource, VpdqFeature[]] = text.startsWith('[')
    ? ['pytx-signal', parsePytxVpdq(text, path)]
    : text.startsWith('{')
      ? ['unexpose-json', framesFromJson(text, path)]
      : ['hash-file', parseHashFileOrExplain(text, path)];
  return { side: { path, source, hashes: features.length }, features };
}

function parseHashFileOrExplain(text: string, path: string): VpdqFeature[] {
  const neither = `${path}: neither a video (not recognised from its bytes) nor a vPDQ hash file`;
  if (text.includes('\u0000')) throw new UnexposeError('unsupported_media', neither);
  try {
    return parseVpdqHashFile(text, path);
  } catch (err) {
    throw new InvalidSignalError(`${neither}: ${(err as Error).message.replace(`${path} `, '')}`);
  }
}

/**
 * Compares a query video with a compared video (python-threatexchange's rule unless opts.rule is 'cpp').
 * @example await compareVideoFiles('a.mp4', 'b.txt') // { queryMatchPercent: 100, comparedMatchPercent: 92.8, match: true, ... }
 */
export async function compareVideoFiles(
  queryPath: string, comparedPath: string, opts: VpdqCompareOptions & { video?: VideoHashOptions } = {},
): Promise<VideoComparison> {
  const [q, c] = await Promise.all([loadVpdqFeatures(queryPath, opts.video), loadVpdqFeatures(comparedPath, opts.video)]);
  return { query: q.side, compared: c.side, ...compareVpdq(q.features, c.features, opts) };
}
