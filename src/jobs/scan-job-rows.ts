/**
 * Small shared pieces of the scan job handlers and board: the options a job stores (no path), hiding an input's
 * path behind its label, and ending a job (its row, and an upload's private folder deleted, whatever the outcome).
 */
import { rm } from 'node:fs/promises';
import { z } from 'zod';
import { redactUntrusted } from '../core/identifiers/index.js';
import { textSealer } from '../io/crypto/sealed-text.js';
import type { ScanOptions } from '../services/scan/scan-exports.js';
import type { JobRuntime } from './job-runtime.js';

/** The options of a scan job, stored as JSON in scan_job.options (no path, no identifier). */
export const scanJobOptions = z.object({
  banks: z.array(z.string()).optional(),
  region: z.string().regex(/^[A-Z]{2}$/).optional(),
  timeZone: z.string().max(64).optional(),
  batchSize: z.number().int().positive().optional(),
}).strict();

export type ScanJobOptions = z.output<typeof scanJobOptions>;

export function scanOptionsOf(json: string): ScanOptions {
  const o = scanJobOptions.parse(JSON.parse(json));
  return {
    banks: o.banks, timeZone: o.timeZone, batchSize: o.batchSize,
    ...(o.region ? { identifiers: { defaultRegion: o.region as never } } : {}),
  };
}

/** Replaces the input's path with its label in a text (an upload's temporary folder is nobody's business). */
export function hideIn(path: string, label: string): (text: string) => string {
  return (text) => text.split(path).join(label);
}

/** Ends a job (once) and deletes its parts' private folders. */
export async function endScanJob(rt: JobRuntime, id: string, status: 'done' | 'failed' | 'cancelled', out: { report?: unknown; error?: string }): Promise<boolean> {
  // The folder goes first: whoever sees the job ended may count on it being gone.
  const row = await rt.scanJobs.get(id);
  // A job must end even when its folders cannot be found again (a key that does not open them is the usual cause).
  if (row && (row.status === 'queued' || row.status === 'running')) await cleanupParts(rt, id).catch(() => undefined);
  return rt.scanJobs.finish(id, status, { ...out, error: out.error === undefined ? undefined : redactUntrusted(out.error).slice(0, 2000) }, rt.now());
}

/** Deletes the private folders of a job's parts (uploads), if this machine has them. */
export async function cleanupParts(rt: JobRuntime, id: string): Promise<void> {
  const sealer = textSealer(await rt.key());
  for (const p of await rt.scanJobs.parts(id)) {
    const dir = p.cleanup === null ? null : sealer.open(p.cleanup);
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
