/**
 * Runs the built `unexpose` command as a child process and measures it: wall time and peak resident memory
 * (worker threads included, polled from /proc every 20 ms) and CPU seconds (user + system, all its threads, from
 * this process's reaped-children counters in /proc; Linux only, else NaN). Run one at a time. For benchmarks only.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * @param {string} cli path of dist/cli/main.js
 * @param {string[]} args
 * @param {Record<string, string>} [env] added to this process's environment
 * @returns {Promise<{ ms: number, cpuS: number, peakMb: number, code: number, stdout: string }>}
 */
/** CPU seconds of this process's finished children (cutime + cstime; clock ticks of 1/100 s). */
export function childrenCpuSeconds() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return NaN;
  }
}

export function runMeasured(cli, args, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const cpu0 = childrenCpuSeconds();
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    let peakMb = 0;
    const timer = setInterval(() => {
      try {
        const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakMb = Math.max(peakMb, Number(m[1]) / 1024);
      } catch { /* exited */ }
    }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ ms: performance.now() - t0, cpuS: childrenCpuSeconds() - cpu0, peakMb, code: code ?? -1, stdout });
    });
  });
}
