/**
 * Runs the built `unexpose` command (or another program) as a child process and measures it: wall time and peak
 * resident memory (worker threads included, polled from /proc every 20 ms) and CPU seconds (user + system, all its
 * threads, from this process's reaped-children counters in /proc; Linux only, else NaN). Run one at a time. For
 * benchmarks only.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU seconds of this process's finished children (cutime + cstime; clock ticks of 1/100 s). */
export function childrenCpuSeconds() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * Runs `node cli ...args` (the built command) and measures it; see runMeasuredProgram.
 * @param {string} cli path of dist/cli/main.js
 * @param {string[]} args
 * @param {Record<string, string>} [env] added to this process's environment
 */
export function runMeasured(cli, args, env = {}) {
  return runMeasuredProgram(process.execPath, [cli, ...args], env);
}

/**
 * Runs any program (e.g. the C++ reference hasher) and measures it the same way.
 * @param {string} program executable path
 * @param {string[]} args
 * @param {Record<string, string>} [env] added to this process's environment
 * @param {string} [input] written to its standard input (closed after), else stdin is /dev/null
 * @returns {Promise<{ ms: number, cpuS: number, peakMb: number, peakAnonMb: number, peakFileMb: number, code: number, stdout: string }>}
 *   peakAnonMb and peakFileMb: RssAnon and RssFile at the moment of the peak
 */
export function runMeasuredProgram(program, args, env = {}, input) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const cpu0 = childrenCpuSeconds();
    const child = spawn(program, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    if (input !== undefined) child.stdin.end(input);
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    let peakMb = 0;
    let peakAnonMb = NaN;
    let peakFileMb = NaN;
    const timer = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
        const rss = kb('VmRSS');
        if (rss > peakMb) {
          peakMb = rss;
          peakAnonMb = kb('RssAnon');
          peakFileMb = kb('RssFile');
        }
      } catch { /* exited */ }
    }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ ms: performance.now() - t0, cpuS: childrenCpuSeconds() - cpu0, peakMb, peakAnonMb, peakFileMb, code: code ?? -1, stdout });
    });
  });
}
