/**
 * Preloaded into a measured command (`node --import bench/support/memory-trace.mjs`) when a benchmark is asked
 * for a memory trace: samples this process's memory every 25 ms — process.memoryUsage() (rss, heapUsed of the
 * main thread, external, arrayBuffers) and /proc/self/status (VmRSS, RssAnon, RssFile, RssShmem) — and keeps the
 * largest of each per phase of the scan, with the V8 heaps of its worker threads (summed) (the phases come from the `unexpose:scan-phase` diagnostics channel the
 * scan command publishes to). At exit it writes them as JSON to the file named in UNEXPOSE_MEMORY_TRACE.
 * Sampling runs on the main thread, so a long synchronous SQLite query is seen only after it returns; the outer
 * poll of runMeasured still sees the true peak. For benchmarks only.
 */
import { subscribe } from 'node:diagnostics_channel';
import { readFileSync, writeFileSync } from 'node:fs';
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';

const out = process.env.UNEXPOSE_MEMORY_TRACE;
// Worker threads (the scan's, the hashing pool's) send their V8 heap to the main thread, which keeps the largest
// per phase as `workerHeaps` (the sum over threads of heapUsed at their latest report).
if (out && !isMainThread) {
  const ch = new BroadcastChannel('unexpose:memory-trace');
  ch.unref();
  setInterval(() => {
    const u = process.memoryUsage();
    ch.postMessage({ threadId, heapUsed: u.heapUsed / 2 ** 20, heapTotal: u.heapTotal / 2 ** 20 });
  }, 50).unref();
}
if (out && isMainThread) {
  const MB = 2 ** 20;
  const phases = new Map();
  const t0 = performance.now();
  let phase = 'open';
  const order = [];
  const status = () => {
    const s = {};
    try {
      for (const line of readFileSync('/proc/self/status', 'utf8').split('\n')) {
        const m = /^(VmRSS|RssAnon|RssFile|RssShmem):\s+(\d+) kB/.exec(line);
        if (m) s[m[1]] = Number(m[2]) / 1024;
      }
    } catch { /* not Linux */ }
    return s;
  };
  const workers = new Map();
  const ch = new BroadcastChannel('unexpose:memory-trace');
  ch.unref();
  ch.onmessage = (e) => workers.set(e.data.threadId, e.data);
  const sum = (k) => [...workers.values()].reduce((a, w) => a + w[k], 0);
  const sample = () => {
    const u = process.memoryUsage();
    const s = { rss: u.rss / MB, heapUsed: u.heapUsed / MB, heapTotal: u.heapTotal / MB, external: u.external / MB, arrayBuffers: u.arrayBuffers / MB,
      workerHeapUsed: sum('heapUsed'), workerHeapTotal: sum('heapTotal'), ...status() };
    let p = phases.get(phase);
    if (!p) { p = { from: (performance.now() - t0) / 1000, samples: 0 }; phases.set(phase, p); order.push(phase); }
    p.samples++;
    p.to = (performance.now() - t0) / 1000;
    for (const [k, v] of Object.entries(s)) p[k] = Math.max(p[k] ?? 0, v);
  };
  subscribe('unexpose:scan-phase', (msg) => { sample(); phase = String(msg.phase); sample(); });
  setInterval(sample, 25).unref();
  process.on('exit', () => {
    sample();
    const rows = order.map((name) => {
      const p = phases.get(name);
      const r = { phase: name };
      for (const [k, v] of Object.entries(p)) r[k] = typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 10) / 10 : v;
      return r;
    });
    writeFileSync(out, JSON.stringify(rows, null, 1));
  });
}
