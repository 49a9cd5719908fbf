/**
 * A progress bar on stderr, shown only when stderr is a terminal (never in pipes, logs or CI output).
 */
import cliProgress from 'cli-progress';

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
