/**
 * ClusterUpdate: joins a scan job's newly stored media into spread clusters (passes are serialised by the
 * cluster repository's lock, and the queue runs one at a time), then sends ScanReport in the transaction that
 * moves the job to its figures phase. Idempotent: a second run finds no media left unclustered.
 */
import { UnexposeError } from '../../core/errors.js';
import { updateClusters } from '../../services/scan/scan-clusters.js';
import type { JobContext } from '../job-queue.js';
import type { JobRuntime } from '../job-runtime.js';
import { parsePayload } from '../job-payloads.js';

export async function clusterUpdate(rt: JobRuntime, payload: unknown, jc: JobContext): Promise<unknown> {
  const { scanJobId } = parsePayload('ClusterUpdate', payload);
  const job = await rt.scanJobs.get(scanJobId);
  if (!job) throw new UnexposeError('not_found', `no scan job ${scanJobId}`);
  if (job.status !== 'queued' && job.status !== 'running') return { skipped: job.status };
  await rt.scanJobs.setPhase(scanJobId, 'clusters');
  const clustered = await updateClusters(rt.store.clusters);
  await jc.progress({ phase: 'clusters' });
  await rt.store.db.transaction().execute(async (trx) => {
    await rt.scanJobs.setPhase(scanJobId, 'figures', trx);
    await rt.queue.send('ScanReport', { scanJobId }, { tx: trx, singletonKey: scanJobId });
  });
  return { clustered };
}
