/**
 * The worker thread `unexpose scan` runs its work in (see scan.ts for why): takes the paths and options from
 * workerData, posts the scan's output and its outcome to the command's thread, and stops after the current batch
 * when that thread posts `abort` (Ctrl-C).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UnexposeError } from '../../core/errors.js';
import { runScan, type ScanCliOptions } from './scan-run.js';
import type { ScanWorkerMessage } from './scan-messages.js';

const port = parentPort;
if (!port) throw new Error('scan-worker.js runs as a worker thread of `unexpose scan`');
const { paths, options } = workerData as { paths: string[]; options: ScanCliOptions };
const post = (m: ScanWorkerMessage) => port.postMessage(m);
const abort = new AbortController();
port.on('message', (m: { type: string }) => { if (m.type === 'abort') abort.abort(); });
// The port alone does not keep this thread alive: it ends when the scan has.
port.unref();

try {
  const code = await runScan(paths, options, abort.signal, {
    note: (text) => post({ type: 'note', text }),
    line: (text) => post({ type: 'line', text }),
    event: (event) => post({ type: 'event', event }),
  });
  post({ type: 'done', code });
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  post({
    type: 'error', name: e.name, message: e.message, stack: e.stack, unexpose: err instanceof UnexposeError,
    code: typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : undefined,
  });
}
