/**
 * Reads a zip (a Telegram or WhatsApp export someone zipped) without extracting anything to disk: lists the
 * entries, refuses entries whose names escape the archive, refuses zip bombs (a total or an entry too large
 * once uncompressed, or a compression ratio no real export has — per entry and over the whole archive, so that
 * many entries each just under the per-entry threshold do not slip through), and streams an entry's bytes into
 * memory for hashing only.
 */
import { close, fstat, open } from 'node:fs';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { UnexposeError } from '../../core/errors.js';
import { BlockCachedReader } from './block-cached-reader.js';
import { checkRelativePath } from './safe-path.js';

export interface ZipLimits {
  /** Sum of the uncompressed sizes of all entries (default 64 GiB). */
  maxTotalBytes: number;
  /** Largest entry read into memory with readBytes (default 128 MiB). Streams are not limited by this. */
  maxEntryBytes: number;
  /**
   * Largest uncompressed/compressed ratio (default 500) for an entry of at least ratioMinBytes (default 64 KiB),
   * and for the whole archive once its entries add up to ratioMinBytes: exports are media (which do not compress)
   * and JSON or text (which compresses 5-20 times).
   */
  maxRatio: number;
  ratioMinBytes: number;
  /** Most entries (default 200,000; each costs memory while the archive is open). */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalBytes: 64 * 2 ** 30,
  maxEntryBytes: 128 * 2 ** 20,
  maxRatio: 500,
  ratioMinBytes: 64 * 2 ** 10,
  maxEntries: 200_000,
};

export interface ZipEntryInfo {
  /** Normalised relative path ("/"-separated). */
  name: string;
  size: number;
  compressedSize: number;
}

/** An entry that was refused, with the reason in words that name it. */
export interface RefusedEntry {
  name: string;
  code: 'unsafe_path' | 'decompression_bomb' | 'unsupported_media';
  message: string;
}

export interface ZipArchive {
  readonly path: string;
  /** Usable entries (files only), in archive order. */
  readonly entries: ReadonlyMap<string, ZipEntryInfo>;
  readonly refused: readonly RefusedEntry[];
  /** The entry's uncompressed bytes as a stream, starting at byte `skip` (the skipped bytes are decompressed and dropped). */
  openStream(name: string, skip?: number): Promise<Readable>;
  /** The entry's bytes in memory, for hashing; refused above maxEntryBytes. */
  readBytes(name: string, maxBytes?: number): Promise<Uint8Array>;
  close(): void;
}

function decodeName(raw: Buffer, utf8Flag: boolean): string {
  return utf8Flag ? raw.toString('utf8') : raw.toString('latin1');
}

/**
 * Opens a zip and checks every entry before anything is read.
 * @throws UnexposeError 'decompression_bomb' when the whole archive is over the limits, 'invalid_input' when it
 *   is not a readable zip; single bad entries are listed in `refused` and the rest stays usable.
 */
export async function openZipArchive(path: string, limits: Partial<ZipLimits> = {}): Promise<ZipArchive> {
  const lim = { ...DEFAULT_ZIP_LIMITS, ...limits };
  let zip: yauzl.ZipFile;
  // A raw descriptor, not a FileHandle (a FileHandle nobody holds is closed when it is garbage-collected).
  const fd = await promisify(open)(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new UnexposeError('not_found', `${path} cannot be opened (${err.code ?? err.message})`, { cause: err });
  });
  try {
    const size = (await promisify(fstat)(fd)).size;
    zip = await yauzl.fromRandomAccessReaderPromise(new BlockCachedReader(fd), size, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
  } catch (err) {
    close(fd, () => undefined);
    throw new UnexposeError('invalid_input', `${path} is not a readable zip file (${(err as Error).message})`, { cause: err });
  }
  if (zip.entryCount > lim.maxEntries) {
    zip.close();
    throw new UnexposeError('decompression_bomb', `zip ${path} has ${zip.entryCount} entries, more than the limit of ${lim.maxEntries}; not read`);
  }
  const entries = new Map<string, ZipEntryInfo>();
  const raw = new Map<string, yauzl.Entry>();
  const refused: RefusedEntry[] = [];
  let total = 0;
  let totalCompressed = 0;
  try {
    for await (const e of zip.eachEntry()) {
      const rawName = decodeName(e.fileName as unknown as Buffer, (e.generalPurposeBitFlag & 0x800) !== 0);
      if (rawName.endsWith('/') || rawName.endsWith('\\')) continue; // a folder
      let name: string;
      try {
        name = checkRelativePath(rawName, `zip ${path}`);
      } catch (err) {
        refused.push({ name: rawName, code: 'unsafe_path', message: (err as Error).message });
        continue;
      }
      if (e.isEncrypted()) {
        refused.push({ name, code: 'unsupported_media', message: `zip entry "${name}" in ${path} is encrypted; not read` });
        continue;
      }
      if (e.uncompressedSize >= lim.ratioMinBytes && e.uncompressedSize / Math.max(1, e.compressedSize) > lim.maxRatio) {
        refused.push({
          name, code: 'decompression_bomb',
          message: `zip entry "${name}" in ${path} would grow from ${e.compressedSize} to ${e.uncompressedSize} bytes (ratio over ${lim.maxRatio}): a zip bomb; not read`,
        });
        continue;
      }
      total += e.uncompressedSize;
      totalCompressed += e.compressedSize;
      if (total >= lim.ratioMinBytes && total / Math.max(1, totalCompressed) > lim.maxRatio) {
        throw new UnexposeError('decompression_bomb', `zip ${path} would grow from ${totalCompressed} to ${total} bytes by entry "${name}" (ratio over ${lim.maxRatio} for the archive as a whole): a zip bomb; not read`);
      }
      if (total > lim.maxTotalBytes) {
        throw new UnexposeError('decompression_bomb', `zip ${path} would unpack to more than ${lim.maxTotalBytes} bytes (limit reached at entry "${name}"): a zip bomb or too large; not read`);
      }
      entries.set(name, { name, size: e.uncompressedSize, compressedSize: e.compressedSize });
      raw.set(name, e);
    }
  } catch (err) {
    zip.close();
    if (err instanceof UnexposeError) throw err;
    throw new UnexposeError('invalid_input', `zip ${path} is damaged (${(err as Error).message})`, { cause: err });
  }

  const entryOf = (name: string): yauzl.Entry => {
    const e = raw.get(name);
    if (!e) throw new UnexposeError('not_found', `"${name}" is not in zip ${path}`);
    return e;
  };

  const openStream = async (name: string, skip = 0): Promise<Readable> => {
    const e = entryOf(name);
    const stream = await zip.openReadStreamPromise(e);
    if (skip <= 0) return stream;
    // Deflated data cannot be entered in the middle: read and drop the first `skip` bytes.
    async function* skipped() {
      let left = skip;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (left >= chunk.length) { left -= chunk.length; continue; }
        yield left > 0 ? chunk.subarray(left) : chunk;
        left = 0;
      }
    }
    return Readable.from(skipped(), { objectMode: false });
  };

  return {
    path, entries, refused, openStream,
    async readBytes(name, maxBytes = lim.maxEntryBytes) {
      const e = entryOf(name);
      if (e.uncompressedSize > maxBytes) {
        throw new UnexposeError('decompression_bomb', `zip entry "${name}" in ${path} is ${e.uncompressedSize} bytes uncompressed, over the in-memory limit of ${maxBytes}; not read`);
      }
      const out = Buffer.allocUnsafe(e.uncompressedSize);
      let at = 0;
      try {
        for await (const chunk of (await zip.openReadStreamPromise(e)) as AsyncIterable<Buffer>) {
          if (at + chunk.length > out.length) throw new Error('more bytes than the zip header says');
          chunk.copy(out, at);
          at += chunk.length;
        }
      } catch (err) {
        throw new UnexposeError('decode_failed', `zip entry "${name}" in ${path} cannot be read: ${(err as Error).message}`, { cause: err });
      }
      if (at !== out.length) throw new UnexposeError('decode_failed', `zip entry "${name}" in ${path} ended after ${at} of ${out.length} bytes`);
      return out;
    },
    close: () => zip.close(),
  };
}
