/** The worker side of WorkerPool: answers each task message with the handler's result. */
import { parentPort } from 'node:worker_threads';
import type { ResultMessage, TaskMessage } from './worker-pool.js';

/** Call from a worker script; does nothing on the main thread. */
export function serveTasks<T, R>(handler: (task: T) => Promise<R>): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', async (m: TaskMessage<T>) => {
    const result = await handler(m.task);
    port.postMessage({ id: m.id, result } satisfies ResultMessage<R>);
  });
}
