/**
 * The files of one export, whether it is a folder or a zip, behind one small interface. Every access goes
 * through the safe-path checks: a folder export resolves links and refuses what leads outside; a zip export
 * only offers entries that passed the name and zip-bomb checks. Nothing is ever extracted to disk.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { UnexposeError } from '../../core/errors.js';
import { checkRelativePath, resolveSafePath } from './safe-path.js';
import { openZipArchive, type RefusedEntry, type ZipLimits } from './zip-archive.js';

export interface ExportFiles {
  /** The folder or zip path the export was opened from, for messages. */
  readonly label: string;
  readonly kind: 'folder' | 'zip';
  /** Set when the user named one message file (e.g. a result.json): sources read only that file. */
  readonly only?: string;
  /** Relative "/"-separated paths of the regular files (links in folders are not followed), sorted. */
  list(): Promise<string[]>;
  /** Zip entries refused when the archive was opened (empty for folders). */
  refused(): readonly RefusedEntry[];
  /** Size in bytes. Throws 'unsafe_path' or 'not_found'. */
  size(rel: string): Promise<number>;
  /** The bytes as a stream, from byte `start`. Throws 'unsafe_path' or 'not_found'. */
  openStream(rel: string, start?: number): Promise<Readable>;
  /** The bytes in memory (for hashing), refused above maxBytes. Throws 'unsafe_path', 'not_found', 'decompression_bomb'. */
  readBytes(rel: string, maxBytes?: number): Promise<Uint8Array>;
  /** For a folder, the checked absolute path a worker can open itself; null for a zip. */
  localPath(rel: string): Promise<string | null>;
  close(): Promise<void>;
}

/** Largest media file read into memory whole (a photo to hash); videos are streamed. */
export const DEFAULT_MAX_MEDIA_BYTES = 128 * 2 ** 20;

/** Opens a folder as an export. */
export function folderExportFiles(root: string): ExportFiles {
  return {
    label: root,
    kind: 'folder',
    async list() {
      const out: string[] = [];
      const walk = async (relDir: string) => {
        const names = (await readdir(join(root, relDir))).sort();
        for (const n of names) {
          const rel = relDir ? `${relDir}/${n}` : n;
          const s = await lstat(join(root, rel)).catch(() => null);
          if (s?.isDirectory()) await walk(rel);
          else if (s?.isFile()) out.push(rel);
        }
      };
      await walk('');
      return out;
    },
    refused: () => [],
    async size(rel) {
      return (await stat(await resolveSafePath(root, rel))).size;
    },
    async openStream(rel, start = 0) {
      return createReadStream(await resolveSafePath(root, rel), { start, highWaterMark: 1 << 20 });
    },
    async readBytes(rel, maxBytes = DEFAULT_MAX_MEDIA_BYTES) {
      const p = await resolveSafePath(root, rel);
      const s = await stat(p);
      if (s.size > maxBytes) throw new UnexposeError('decompression_bomb', `media file "${rel}" in ${root} is ${s.size} bytes, over the in-memory limit of ${maxBytes}; not read`);
      return readFile(p);
    },
    localPath: (rel) => resolveSafePath(root, rel),
    async close() {},
  };
}

/** Opens a zip as an export (see openZipArchive for the checks). */
export async function zipExportFiles(zipPath: string, limits: Partial<ZipLimits> = {}): Promise<ExportFiles> {
  const zip = await openZipArchive(zipPath, limits);
  const known = (rel: string) => {
    const clean = checkRelativePath(rel, `zip ${zipPath}`);
    const refused = zip.refused.find((r) => r.name === clean || r.name === rel);
    if (refused) throw new UnexposeError(refused.code, refused.message);
    const e = zip.entries.get(clean);
    if (!e) throw new UnexposeError('not_found', `media file "${rel}" is not in zip ${zipPath}`);
    return e;
  };
  return {
    label: zipPath,
    kind: 'zip',
    list: async () => [...zip.entries.keys()].sort(),
    refused: () => zip.refused,
    size: async (rel) => known(rel).size,
    openStream: async (rel, start = 0) => zip.openStream(known(rel).name, start),
    readBytes: async (rel, maxBytes) => zip.readBytes(known(rel).name, maxBytes),
    localPath: async (rel) => {
      known(rel);
      return null;
    },
    close: async () => zip.close(),
  };
}

/**
 * Opens a folder or a .zip as an export, by what is at the path. A single file (a result.json, a chat .txt)
 * opens its folder as the export root with `only` set to it, so media beside it still resolve.
 */
export async function openExportFiles(path: string, limits: Partial<ZipLimits> = {}): Promise<ExportFiles> {
  const s = await stat(path).catch(() => null);
  if (!s) throw new UnexposeError('not_found', `${path} does not exist`);
  if (s.isDirectory()) return folderExportFiles(path);
  if (s.isFile() && /\.zip$/i.test(path)) return zipExportFiles(path, limits);
  if (s.isFile()) return { ...folderExportFiles(dirname(path)), only: basename(path) };
  throw new UnexposeError('invalid_input', `${path} is neither a folder, a .zip file nor a chat file`);
}
