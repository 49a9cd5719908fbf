/**
 * Rows of a bulk load held in memory, compactly (issue 11): keys as latin1 bytes in large pooled buffers, the type
 * as an index into a short table, the quality in an Int16Array, and the rare fields (long value, source reference,
 * labels, display) in a sparse map. No object per row, so a 10M-row load costs ~90 bytes a row and the garbage
 * collector has almost nothing to walk. sortedUnique() gives the rows in (type, key) order, the first row of each
 * key only: the order in which the database's unique index grows fastest, and the file's duplicates left out.
 */
import type { StagedEntry } from './entry-bulk-load.js';

const POOL_BYTES = 16 * 2 ** 20;
/** Row indices are packed with a 28-bit key prefix into one double (53 bits): at most 2^24 rows a buffer. */
export const MAX_BUFFER_ROWS = 2 ** 24;
const PREFIX_SPAN = 2 ** 24;
/** Bytes counted for a row beyond its key (typed-array slots, pool slack). */
const ROW_OVERHEAD = 16;
const PRINTABLE = /^[\x20-\x7e]*$/;

interface Extra {
  longSignal: string | null;
  sourceRef: string | null;
  labels: string | null;
  display: string | null;
}

export class EntryBuffer {
  private pools: Buffer[] = [Buffer.allocUnsafe(POOL_BYTES)];
  private poolAt = 0;
  /** Per row: pool number * POOL_BYTES + offset (below 2^53), key length, type index, quality (-1: none). */
  private at = new Float64Array(1024);
  private len = new Uint16Array(1024);
  private type = new Uint8Array(1024);
  private quality = new Int16Array(1024);
  private readonly types: string[] = [];
  private lastType = '';
  private lastTypeIndex = -1;
  private readonly extras = new Map<number, Extra>();
  private extraBytes = 0;
  /** Whether some key holds a backslash (never a hex key): writeCopyKey then escapes byte by byte. */
  private backslashes = false;
  size = 0;

  /** Approximate memory held, in bytes. */
  get bytes(): number {
    return this.pools.length * POOL_BYTES + this.at.length * ROW_OVERHEAD + this.extraBytes;
  }

  /** False when the row cannot be held (a key too long for the pool or not printable ASCII, too many types or rows): stage it instead. */
  push(r: StagedEntry): boolean {
    const key = r.key;
    const keyBytes = key.length;
    // Printable ASCII only: one byte a character, the same in latin1 and UTF-8 (one native pass, no byte loop in JS).
    if (this.size >= MAX_BUFFER_ROWS || keyBytes > 4096 || !PRINTABLE.test(key)) return false;
    let t = r.signalType === this.lastType ? this.lastTypeIndex : this.types.indexOf(r.signalType);
    if (t < 0) {
      if (this.types.length === 255) return false;
      t = this.types.push(r.signalType) - 1;
    }
    if (!this.backslashes && key.includes('\\')) this.backslashes = true;
    this.lastType = r.signalType;
    this.lastTypeIndex = t;
    if (this.size === this.at.length) this.grow();
    if (this.poolAt + keyBytes > POOL_BYTES) {
      this.pools.push(Buffer.allocUnsafe(POOL_BYTES));
      this.poolAt = 0;
    }
    const o = this.poolAt;
    this.pools[this.pools.length - 1].write(key, o, keyBytes, 'latin1');
    const i = this.size++;
    this.at[i] = (this.pools.length - 1) * POOL_BYTES + o;
    this.poolAt += keyBytes;
    this.len[i] = keyBytes;
    this.type[i] = t;
    this.quality[i] = r.quality === null ? -1 : r.quality;
    if (r.longSignal !== null || r.sourceRef !== null || r.labels !== null || r.display !== null) {
      this.extras.set(i, { longSignal: r.longSignal, sourceRef: r.sourceRef, labels: r.labels, display: r.display });
      this.extraBytes += 64 + 2 * ((r.longSignal?.length ?? 0) + (r.sourceRef?.length ?? 0) + (r.labels?.length ?? 0) + (r.display?.length ?? 0));
    }
    return true;
  }

  /** Row i as pushed. */
  row(i: number): StagedEntry {
    const e = this.extras.get(i);
    const q = this.quality[i];
    return { signalType: this.types[this.type[i]], key: this.key(i), longSignal: e?.longSignal ?? null, quality: q < 0 ? null : q,
      sourceRef: e?.sourceRef ?? null, labels: e?.labels ?? null, display: e?.display ?? null };
  }

  key(i: number): string {
    const p = Math.floor(this.at[i] / POOL_BYTES);
    const o = this.at[i] - p * POOL_BYTES;
    return this.pools[p].toString('latin1', o, o + this.len[i]);
  }

  /**
   * Writes key i's bytes into out from `at` as COPY text format reads them (a backslash doubled: keys are printable
   * ASCII, so nothing else needs escaping) and returns where it ended. out must have room for twice the key's length.
   */
  writeCopyKey(i: number, out: Buffer, at: number): number {
    const p = Math.floor(this.at[i] / POOL_BYTES);
    const buf = this.pools[p];
    const o = this.at[i] - p * POOL_BYTES;
    if (!this.backslashes) return at + buf.copy(out, at, o, o + this.len[i]);
    let w = at;
    for (let c = o, end = o + this.len[i]; c < end; c++) {
      const b = buf[c];
      if (b === 92) out[w++] = 92;
      out[w++] = b;
    }
    return w;
  }

  /** Bytes of key i. */
  keyLength(i: number): number {
    return this.len[i];
  }

  /** The type index of row i (into types()). */
  typeIndexOf(i: number): number {
    return this.type[i];
  }

  /** The types, by index. */
  typeNames(): readonly string[] {
    return this.types;
  }

  typeOf(i: number): string {
    return this.types[this.type[i]];
  }

  qualityOf(i: number): number | null {
    return this.quality[i] < 0 ? null : this.quality[i];
  }

  extraOf(i: number): Extra | undefined {
    return this.extras.get(i);
  }

  /** Frees the memory. */
  clear(): void {
    this.pools = [];
    this.at = new Float64Array(0);
    this.len = new Uint16Array(0);
    this.type = new Uint8Array(0);
    this.quality = new Int16Array(0);
    this.extras.clear();
    this.size = 0;
  }

  /** The row indices in (type, key) order, the first row of each (type, key) only (all of sortedPieces()). */
  sortedUnique(): Uint32Array {
    const out = new Uint32Array(this.size);
    let n = 0;
    for (const piece of this.sortedPieces()) {
      out.set(piece, n);
      n += piece.length;
    }
    return out.subarray(0, n);
  }

  /**
   * sortedUnique() a piece at a time, each piece sorted only when asked for: a writer can send the first pieces
   * (and the database insert them) while the later ones are still to be sorted.
   * Each type's rows are packed as doubles (a 28-bit key prefix, then the row index), put in order by a counting
   * pass on the prefix's top 16 bits and a native sort of each small bucket, then runs that share a prefix are put
   * in full-key order (equal keys stay in row order, so the first stays first). A run of one prefix, and so every
   * repeat of a key, lies within one bucket: a piece is whole buckets, and sorts and drops repeats on its own.
   */
  *sortedPieces(): Generator<Uint32Array> {
    const byType = [...this.types.keys()].sort((a, b) => (this.types[a] < this.types[b] ? -1 : this.types[a] > this.types[b] ? 1 : 0));
    for (const t of byType) {
      let count = 0;
      for (let i = 0; i < this.size; i++) if (this.type[i] === t) count++;
      if (count === 0) continue;
      for (const sorted of bucketSorted(this.packed(t, count))) yield this.uniqueOrder(sorted);
    }
  }

  /** The row indices of these packed values (in prefix order), runs of one prefix in full-key order, repeats left out. */
  private uniqueOrder(sorted: Float64Array): Uint32Array {
    const count = sorted.length;
    const order = new Uint32Array(count);
    for (let j = 0; j < count; j++) order[j] = sorted[j] % PREFIX_SPAN;
    // Runs of one prefix: full-key order.
    for (let s = 0; s < count;) {
      const p = Math.floor(sorted[s] / PREFIX_SPAN);
      let e = s + 1;
      while (e < count && Math.floor(sorted[e] / PREFIX_SPAN) === p) e++;
      if (e - s > 1) this.sortRun(order, s, e);
      s = e;
    }
    // Equal keys share a prefix: only rows in a run of one prefix can repeat the row before.
    let n = 0;
    for (let j = 0; j < count; j++) {
      const i = order[j];
      if (j > 0 && Math.floor(sorted[j] / PREFIX_SPAN) === Math.floor(sorted[j - 1] / PREFIX_SPAN) && this.compareKeys(order[j - 1], i) === 0) continue;
      order[n++] = i;
    }
    return order.subarray(0, n);
  }

  /**
   * The rows of type t as prefix * PREFIX_SPAN + row: the prefix is 7 hex digits when every key of the type starts
   * with 7 (lower-case) hex digits, else the first 3.5 bytes; either orders keys as their bytes do.
   */
  private packed(t: number, count: number): Float64Array {
    const packed = new Float64Array(count);
    let k = 0;
    for (let i = 0; i < this.size; i++) {
      if (this.type[i] !== t) continue;
      const at = this.at[i];
      const pool = Math.floor(at / POOL_BYTES);
      const buf = this.pools[pool];
      const o = at - pool * POOL_BYTES;
      let v = 0;
      if (this.len[i] >= 7) {
        for (let c = 0; c < 7; c++) {
          const d = hexValue(buf[o + c]);
          if (d < 0) return this.packedBytes(t, packed);
          v = v * 16 + d;
        }
      } else return this.packedBytes(t, packed);
      packed[k++] = v * PREFIX_SPAN + i;
    }
    return packed;
  }

  private packedBytes(t: number, packed: Float64Array): Float64Array {
    let k = 0;
    for (let i = 0; i < this.size; i++) {
      if (this.type[i] !== t) continue;
      const [buf, o] = this.where(i);
      const l = this.len[i];
      const b = (c: number) => (c < l ? buf[o + c] : 0);
      packed[k++] = (((b(0) << 20) | (b(1) << 12) | (b(2) << 4) | (b(3) >> 4)) >>> 0) * PREFIX_SPAN + i;
    }
    return packed;
  }

  private sortRun(order: Uint32Array, s: number, e: number): void {
    const run = Array.from(order.subarray(s, e));
    run.sort((a, b) => this.compareKeys(a, b) || a - b);
    order.set(run, s);
  }

  /** Byte order of two keys (of one type). */
  private compareKeys(a: number, b: number): number {
    const [ba, oa] = this.where(a);
    const [bb, ob] = this.where(b);
    const la = this.len[a];
    const lb = this.len[b];
    for (let c = 0, l = Math.min(la, lb); c < l; c++) if (ba[oa + c] !== bb[ob + c]) return ba[oa + c] - bb[ob + c];
    return la - lb;
  }

  private where(i: number): [Buffer, number] {
    const p = Math.floor(this.at[i] / POOL_BYTES);
    return [this.pools[p], this.at[i] - p * POOL_BYTES];
  }

  private grow(): void {
    const n = Math.min(MAX_BUFFER_ROWS, this.at.length * 2);
    const at = new Float64Array(n); at.set(this.at); this.at = at;
    const len = new Uint16Array(n); len.set(this.len); this.len = len;
    const type = new Uint8Array(n); type.set(this.type); this.type = type;
    const q = new Int16Array(n); q.set(this.quality); this.quality = q;
  }
}

/** Buckets of the counting pass: the top 16 of the prefix's 28 bits. */
const BUCKET_BITS = 16;
const BUCKET_SPAN = 2 ** (28 - BUCKET_BITS) * PREFIX_SPAN;

/** Rows a piece of sortedPieces() holds at least (whole buckets), so the pieces are few yet each sorts quickly. */
const PIECE_ROWS = 16_384;

/**
 * The packed values in ascending order, a piece at a time: a counting pass on the top bits, then a native sort of
 * each bucket as its piece is asked for.
 */
function* bucketSorted(packed: Float64Array): Generator<Float64Array> {
  if (packed.length < 2 ** 16) {
    yield packed.sort();
    return;
  }
  const starts = new Uint32Array(2 ** BUCKET_BITS + 1);
  for (let i = 0; i < packed.length; i++) starts[Math.floor(packed[i] / BUCKET_SPAN) + 1]++;
  for (let b = 1; b < starts.length; b++) starts[b] += starts[b - 1];
  const next = starts.slice(0, 2 ** BUCKET_BITS);
  const out = new Float64Array(packed.length);
  for (let i = 0; i < packed.length; i++) out[next[Math.floor(packed[i] / BUCKET_SPAN)]++] = packed[i];
  for (let from = 0; from < 2 ** BUCKET_BITS;) {
    let to = from;
    while (to < 2 ** BUCKET_BITS && starts[to] - starts[from] < PIECE_ROWS) {
      if (starts[to + 1] - starts[to] > 1) out.subarray(starts[to], starts[to + 1]).sort();
      to++;
    }
    if (starts[to] > starts[from]) yield out.subarray(starts[from], starts[to]);
    from = to;
  }
}

/** The value of a lower-case hex digit's byte, else -1 (upper case never reaches a key: values are normalised). */
function hexValue(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
}
