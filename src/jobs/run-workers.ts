/**
 * Starts the handlers of a role on a queue: `unexpose worker` (any machine that reaches DATABASE_URL) and
 * `unexpose serve` (in-process, role all). Checks the handler table first.
 */
import type { WorkerRole } from './job-names.js';
import { jobsOfRole } from './job-flow.js';
import { checkHandlers, JOB_HANDLERS } from './handler-registry.js';
import type { JobRuntime } from './job-runtime.js';

/** Hashing is the heavy part: ExportScan runs `concurrency` at a time, the short curator jobs one at a time. */
export async function runWorkers(rt: JobRuntime, role: WorkerRole, concurrency: number): Promise<string[]> {
  checkHandlers();
  const names = jobsOfRole(role);
  for (const name of names) {
    const handler = JOB_HANDLERS[name];
    await rt.queue.work(name, name === 'ExportScan' ? concurrency : 1, async (payload, jc) => {
      const started = performance.now();
      const result = await handler(rt, payload, jc);
      // The handler's own time, beside the queue's timestamps: what the queue adds per job can be read off.
      return { ...(result && typeof result === 'object' ? result : { result }), handlerMs: Math.round(performance.now() - started) };
    });
  }
  return names;
}
