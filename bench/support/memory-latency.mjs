/**
 * The machine's random memory reads, for benches whose figure is bound by them (bench:match, bench:picture-lookup):
 * a lookup in a 10M index makes thousands of reads at random places in ~1.3 GB, so its time follows this machine's
 * memory more than its CPU. Measures, in a buffer of `mib` MiB allocated as the indexes are (so on huge pages when
 * GLIBC_TUNABLES advises them), one read at a random cache line after another: dependent (each address comes from
 * the last read: latency) and independent (addresses known ahead: what touch passes get, many misses in flight).
 * Seen 2026-12-01 (1 GiB, huge pages advised): 311 ns dependent, 50 ns independent on the afternoon machine, whose
 * bench:match p50 was 0.8-0.97 ms; reading 4 MiB, past the 512 KiB L2 only, still cost ~180 ns dependent there.
 * @example console.log(memoryLatencyLine(1024))
 */
export function memoryLatency(mib, reads = 2_000_000) {
  const n = Math.floor((mib * 1024 * 1024) / 4);
  const lines = n >>> 4;
  const a = new Uint32Array(n);
  // A random cycle through every line, so that the dependent chain visits each once before repeating.
  const order = new Uint32Array(lines);
  for (let i = 0; i < lines; i++) order[i] = i;
  let x = 0x9e3779b9;
  const next = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
  for (let i = lines - 1; i > 0; i--) {
    const j = next() % (i + 1);
    const t = order[i]; order[i] = order[j]; order[j] = t;
  }
  for (let i = 0; i < lines; i++) a[order[i] << 4] = order[(i + 1) % lines] << 4;
  let p = 0;
  for (let i = 0; i < Math.min(lines, 100_000); i++) p = a[p];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reads; i++) p = a[p];
  const dependent = Number(process.hrtime.bigint() - t0) / reads;
  const at = new Uint32Array(1 << 16);
  for (let i = 0; i < at.length; i++) at[i] = (next() % lines) << 4;
  let s = 0;
  const rounds = Math.max(1, Math.round(reads / at.length));
  const t1 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (let i = 0; i < at.length; i++) s ^= a[at[i]];
  const independent = Number(process.hrtime.bigint() - t1) / (rounds * at.length);
  return { dependent, independent, sink: (p ^ s) & 0 };
}

/** One line for a bench's header: the reads at random in a buffer of `mib` MiB. */
export function memoryLatencyLine(mib = 1024) {
  const { dependent, independent } = memoryLatency(mib);
  const pages = process.env.GLIBC_TUNABLES?.includes('hugetlb=1') ? 'huge pages advised' : '4 KiB pages unless the host makes them huge';
  return `machine memory: a read at a random line of ${mib} MiB costs ${dependent.toFixed(0)} ns one after another, ${independent.toFixed(0)} ns many in flight (${pages})`;
}
