/**
 * Real `unexpose serve` processes for multi-process tests: spawn the built CLI, wait until it listens and is
 * ready, and kill every one left at the end. A probe variant runs the same server in a child with --expose-gc
 * that answers heap measurements over IPC (memory tests).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { cliPath } from './run-cli.js';
import { repoRoot } from './shared-data.js';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stderr(): string;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

/** Kills (SIGKILL) every process these helpers started that is still running; call it in afterAll. */
export function killServeProcesses(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    children.delete(child);
  };
}

/** Starts `unexpose serve --port 0 …` and resolves once it listens. */
export function serveProcess(args: string[], env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--log-level', 'warn', ...args], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  let err = '';
  return new Promise((res, rej) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const m = /listening on (http:\/\/[^\s,]+)/.exec(err);
      if (m) res({ child, url: m[1], stderr: () => err, stop: stopper(child) });
    });
    child.once('exit', (code) => rej(new Error(`serve exited with ${code}: ${err}`)));
  });
}

/** Waits until /status/ready says ready. */
export async function waitReady(url: string, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if ((await fetch(`${url}/status/ready`).catch(() => undefined))?.status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} not ready after ${ms} ms`);
}

export interface ProbeProcess extends ServeProcess {
  /** Heap and array-buffer bytes after full garbage collections, and the index's size and change seq. */
  heap(): Promise<{ heapUsed: number; arrayBuffers: number; entries: number; seq: number; loads: number }>;
}

/** The server (startServer from dist) in a child with --expose-gc, configured by flags as `serve` would be. */
export function probeProcess(flags: Record<string, string>, env: Record<string, string>): Promise<ProbeProcess> {
  const child = fork(resolve(repoRoot, 'test/support/serve-probe.mjs'), [JSON.stringify({ port: '0', logLevel: 'warn', ...flags })], {
    execArgv: ['--expose-gc'], env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  children.add(child);
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const ask = <T>(what: string): Promise<T> => new Promise((res) => {
    const on = (m: { reply?: string }) => {
      if (m.reply !== what) return;
      child.off('message', on);
      res(m as T);
    };
    child.on('message', on);
    child.send(what);
  });
  return new Promise((res, rej) => {
    child.once('message', (m: { url: string }) => res({ child, url: m.url, stderr: () => err, stop: stopper(child), heap: () => ask('heap') }));
    child.once('exit', (code) => rej(new Error(`probe exited with ${code}: ${err}`)));
  });
}
