/**
 * A progress bar on stderr, shown only when stderr is a terminal (never in pipes, logs or CI output).
 */
import cliProgress from 'cli-progress';
import type { Progress as JobProgress } from '../core/progress.js';

export interface Progress {
  start(total: number, payload?: Record<string, string | number>): void;
  update(done: number, payload?: Record<string, string | number>): void;
  stop(): void;
}

/** A bar labelled with what it counts, e.g. "files"; a no-op when stderr is not a terminal. */
export function createProgress(label: string, extra = ''): Progress {
  if (!process.stderr.isTTY) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: `{bar} {percentage}% | {value}/{total} ${label} | {eta_formatted} left${extra}`,
    hideCursor: true,
    clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  return {
    start: (total, payload) => bar.start(total, 0, payload),
    update: (done, payload) => bar.update(done, payload),
    stop: () => bar.stop(),
  };
}

/**
 * A bar fed with the services' progress events: started at the first event that has a total, with each event's
 * counters (e.g. {failed}) shown as named in `extra`.
 * @example const show = progressOf(createProgress('files', ' | {failed} failed')); hash(..., { onProgress: show })
 */
export function progressOf(bar: Progress): ((p: JobProgress) => void) & { stop(): void } {
  let started = false;
  const show = (p: JobProgress) => {
    if (!started && p.total !== undefined) {
      bar.start(p.total, p.counts);
      started = true;
    }
    if (started) bar.update(p.done, p.counts);
  };
  return Object.assign(show, { stop: () => bar.stop() });
}
