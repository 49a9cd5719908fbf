import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from './worker-pool.js';

let dir: string;
let workerUrl: URL;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-pool-'));
  const file = join(dir, 'worker.mjs');
  // A worker speaking the pool's protocol: doubles numbers, dies on "crash" (as a native decoder crash would).
  await writeFile(file, `import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, task }) => {
  if (task === 'crash') process.exit(3);
  setTimeout(() => parentPort.postMessage({ id, result: task * 2 }), 5);
});
`);
  workerUrl = pathToFileURL(file);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('WorkerPool', () => {
  it('hands results back in input order from map', async () => {
    const pool = new WorkerPool<number, number>({ workerUrl, mode: 'threads', inline: async (t) => t, size: 2 });
    async function* items() { for (let i = 0; i < 20; i++) yield i; }
    const out: number[] = [];
    for await (const r of pool.map(items(), (i) => i)) out.push(r);
    await pool.close();
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });

  it('fails only the task whose worker died, replaces the worker, and goes on', async () => {
    const pool = new WorkerPool<number | string, number>({ workerUrl, mode: 'threads', inline: async () => 0, size: 2 });
    const settled = await Promise.allSettled([1, 'crash', 3, 4, 'crash', 6, 7].map((t) => pool.run(t)));
    await pool.close();
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'failed'))).toEqual([2, 'failed', 6, 8, 'failed', 12, 14]);
    expect((settled[1] as PromiseRejectedResult).reason.message).toMatch(/worker thread stopped \(exit code 3\)/);
  });

  it('runs tasks in this thread when told to, and refuses threads without a worker script', async () => {
    const missing = new URL('file:///nonexistent/worker.js');
    const pool = new WorkerPool<number, number>({ workerUrl: missing, mode: 'inline', inline: async (t) => t + 1 });
    expect(await pool.run(41)).toBe(42);
    await pool.close();
    expect(() => new WorkerPool<number, number>({ workerUrl: missing, mode: 'threads', inline: async (t) => t })).toThrow(/is missing: build first/);
  });
});
