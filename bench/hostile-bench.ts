/**
 * npm run bench:hostile — runs the built `unexpose` command on every input of the hostile corpus
 * (test/fixtures/hostile, generated in code into a temporary folder, never committed) and prints, per input, its
 * peak resident memory and wall time, the exit code and the first notice. Peak RSS is the kernel's maxrss of the
 * largest process of the run (the CLI with its worker threads, or an ffmpeg it started), read by GNU time
 * (/usr/bin/time); without it, the CLI's own memory is polled from /proc. Goal (issue 8): every input ≤ 400 MB
 * and ≤ 10 s. Generation time is not counted.
 * Usage: npm run bench:hostile [-- --only gif,zip]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HOSTILE_INPUTS, type HostileInput } from '../test/fixtures/hostile/hostile-inputs.js';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist/cli/main.js');
const GNU_TIME = '/usr/bin/time';
const GOAL_MB = 400;
const GOAL_S = 10;
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1].split(',') : null;

interface Measured { ms: number; peakMb: number; code: number; stderr: string }

function run(args: string[]): Promise<Measured> {
  const timed = existsSync(GNU_TIME);
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const argv = timed ? ['-f', '@@maxrss %M', process.execPath, cli, ...args] : [cli, ...args];
    const child = spawn(timed ? GNU_TIME : process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    let polledMb = 0;
    const poll = timed ? null : setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) polledMb = Math.max(polledMb, Number(m[1]) / 1024);
      } catch { /* exited */ }
    }, 10);
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const m = /@@maxrss (\d+)/.exec(stderr);
      resolvePromise({ ms: performance.now() - t0, peakMb: m ? Number(m[1]) / 1024 : polledMb, code: code ?? -1, stderr: stderr.replace(/@@maxrss \d+\n?/, '') });
    });
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'unexpose-bench-hostile-'));
try {
  const inputs: HostileInput[] = [];
  for (const make of HOSTILE_INPUTS) inputs.push(await make(tmp));
  // Two of the same files through `unexpose hash`, which reads media without a chat export around them.
  inputs.push({ name: 'hash-gif-8k-canvas', what: 'unexpose hash on the 8K-canvas GIF', args: ['hash', join(tmp, 'gif-export/video_files/canvas.gif')] });
  inputs.push({ name: 'hash-700mb-jpg', what: 'unexpose hash on the 700 MB .jpg', args: ['hash', join(tmp, 'huge-jpg-export/photos/huge.jpg')] });

  const rows: string[] = [];
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`unexpose bench:hostile — goal ≤ ${GOAL_MB} MB peak RSS and ≤ ${GOAL_S} s per input; load average ${load}\n`);
  console.log('| input | what | peak RSS MB | wall s | exit | within goal | first notice |');
  console.log('|---|---|---:|---:|---:|---|---|');
  for (const input of inputs) {
    if (only && !only.some((o) => input.name.includes(o))) continue;
    const db = join(tmp, `${input.name}.db`);
    const args = input.args[0] === 'scan' ? [...input.args, '--db', db] : input.args;
    const r = await run(args);
    const notice = (r.stderr.split('\n').find((l) => /warning|error|refused|cut|over the/i.test(l)) ?? '').replace(tmp, '…').slice(0, 110);
    const ok = r.peakMb <= GOAL_MB && r.ms / 1000 <= GOAL_S;
    const row = `| ${input.name} | ${input.what} | ${r.peakMb.toFixed(0)} | ${(r.ms / 1000).toFixed(1)} | ${r.code} | ${ok ? 'yes' : 'NO'} | ${notice.replace(/\|/g, '\\|')} |`;
    rows.push(row);
    console.log(row);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
