/**
 * `unexpose hash`: PDQ for photos, vPDQ + MD5 for videos, for files and folders, one result per file as it is done.
 * Exit 0 when every file was hashed, 1 when some failed (the others are still printed), 2 on bad usage.
 */
import { Command, Option } from 'commander';
import { DIHEDRAL_NAMES } from '../../core/signals/pdq/pdq-dihedral.js';
import { isFailedHash, type MediaHashResult } from '../../core/content/media-hash.js';
import { PHOTO_PIPELINES, type PhotoPipeline } from '../../core/signals/pdq/photo-pipeline.js';
import { createHashPool, hashPaths } from '../../services/hash-media.js';
import { csvRow } from '../render/csv.js';
import { formatOption, resolveFormat, writeLine, type OutputFormat } from '../render/output-format.js';
import { createProgress, progressOf } from '../progress.js';
import { EXIT_FAILED, EXIT_OK } from '../errors.js';
import { parsePositiveNumber } from '../parse-options.js';
import { printNote } from '../render/terminal-text.js';

interface HashCliOptions {
  pipeline: PhotoPipeline;
  dihedral?: boolean;
  format?: OutputFormat;
  fps?: number;
  everyFrame?: boolean;
  maxSeconds?: number;
  videoSize?: number;
  workers?: number;
  /** false with --no-robust: PDQ only, no region_dct or region_mag values. */
  robust?: boolean;
}

const CSV_HEADER = ['path', 'kind', 'pdq', 'quality', 'sha256', 'md5', 'error'];

function csvLine(r: MediaHashResult, dihedral: boolean): string {
  if (isFailedHash(r)) return csvRow([r.path, '', '', '', '', '', r.error, ...(dihedral ? DIHEDRAL_NAMES.map(() => '') : [])]);
  if (r.kind === 'photo') {
    return csvRow([r.path, r.kind, r.pdq, r.quality, r.sha256, r.md5, '', ...(dihedral ? DIHEDRAL_NAMES.map((n) => r.dihedral?.[n]) : [])]);
  }
  // A video's frame hashes do not fit one CSV cell well; the CSV gives its file digests and frame count.
  return csvRow([r.path, r.kind, '', '', r.sha256, r.md5, '', ...(dihedral ? DIHEDRAL_NAMES.map(() => '') : [])]);
}

function textLine(r: MediaHashResult): string {
  if (isFailedHash(r)) return `${r.path}  ERROR: ${r.error}`;
  if (r.kind === 'photo') return `${r.pdq}  q=${String(r.quality).padStart(3)}  ${r.path}`;
  return `video md5=${r.md5}  ${r.vpdq.length} frames (${r.sampling ?? ''})  ${r.path}`;
}

async function runHash(paths: string[], o: HashCliOptions): Promise<number> {
  const format = resolveFormat(o.format);
  const dihedral = Boolean(o.dihedral);
  if (format === 'csv') await writeLine(csvRow([...CSV_HEADER, ...(dihedral ? DIHEDRAL_NAMES : [])]));
  const progress = progressOf(createProgress('files', ' | {failed} failed'));
  let failed = 0;
  const pool = createHashPool({ mode: 'threads', workers: o.workers });
  const results = hashPaths(pool, paths, {
    pipeline: o.pipeline, dihedral, robust: o.robust === false ? 'none' : 'bank',
    video: { fps: o.fps, everyFrame: o.everyFrame, maxSeconds: o.maxSeconds, size: o.videoSize, hashThreads: 1 },
    onProgress: progress,
  });
  try {
    for await (const r of results) {
      if (isFailedHash(r)) failed++;
      const line = format === 'jsonl' ? JSON.stringify(r) : format === 'csv' ? csvLine(r, dihedral) : textLine(r);
      await writeLine(line);
    }
  } finally {
    progress.stop();
    await pool.close();
  }
  if (failed > 0) printNote(`unexpose hash: ${failed} file(s) could not be hashed (see the error lines)`);
  return failed > 0 ? EXIT_FAILED : EXIT_OK;
}

/** Adds `hash` to the program; the action sets process.exitCode. */
export function registerHashCommand(program: Command): void {
  program
    .command('hash')
    .description('hash photos (PDQ) and videos (vPDQ, MD5) in files and folders; nothing is stored')
    .argument('<paths...>', 'files or folders (folders are read recursively)')
    .addOption(new Option('--pipeline <name>', 'photo pipeline: fast (shrink on decode), reference (C++ CLI), full (full resolution)')
      .choices(PHOTO_PIPELINES).default('fast'))
    .option('--dihedral', 'also print the 7 rotated/flipped variants of each photo hash')
    .option('--no-robust', 'PDQ only: leave out the region_dct and region_mag values (which find crops, screenshots, frames, stickers, tilts)')
    .addOption(formatOption())
    .option('--fps <n>', 'video frames hashed per second (default 1)', parsePositiveNumber)
    .option('--every-frame', 'hash every video frame')
    .option('--max-seconds <n>', 'hash at most this many seconds of each video', parsePositiveNumber)
    .option('--video-size <n>', 'scale video frames to N x N before hashing (default: full resolution)', parsePositiveNumber)
    .option('--workers <n>', 'worker threads (default: one per core)', parsePositiveNumber)
    .action(async (paths: string[], o: HashCliOptions) => {
      process.exitCode = await runHash(paths, o);
    });
}
