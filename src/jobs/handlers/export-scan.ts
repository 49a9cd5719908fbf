/**
 * ExportScan: reads one export input of a scan job into the store, batch by batch, each batch saved with its
 * checkpoint and the part's figures in one transaction. Run again (a killed worker's job expires and is retried,
 * or it is sent twice) it resumes from the checkpoint, and stored messages are skipped: nothing is lost or
 * counted twice. The last part to finish sends ClusterUpdate in the transaction that marks it done.
 */
import { describeError, UnexposeError } from '../../core/errors.js';
import type { IngestNotice } from '../../ingest/chat-source.js';
import { textSealer } from '../../io/crypto/sealed-text.js';
import type { PartProgress } from '../../io/db/repos/scan-job-repo.js';
import {
  inputBytes, openScanInputs, scanOpenedInput, startScanSession, type ScanDeps, type ScanEvent, type ScanOptions,
} from '../../services/scan/scan-exports.js';
import type { JobContext } from '../job-queue.js';
import type { JobRuntime } from '../job-runtime.js';
import { parsePayload } from '../job-payloads.js';
import { endScanJob, hideIn, scanOptionsOf } from '../scan-job-rows.js';

/** Notices kept per part (all are counted in the report's run). */
const MAX_PART_NOTICES = 500;

/** How often a running part looks whether its job was cancelled. */
const CANCEL_CHECK_MS = 1000;

export async function exportScan(rt: JobRuntime, payload: unknown, jc: JobContext): Promise<unknown> {
  const { scanJobId, part } = parsePayload('ExportScan', payload);
  const job = await rt.scanJobs.get(scanJobId);
  const row = await rt.scanJobs.part(scanJobId, part);
  if (!job || !row) throw new UnexposeError('not_found', `no part ${part} of scan job ${scanJobId}`);
  // Idempotent: a part already finished, or a job that ended, changes nothing.
  if (row.status === 'done' || row.status === 'failed' || (job.status !== 'queued' && job.status !== 'running')) return { skipped: row.status };
  const key = await rt.key();
  const path = textSealer(key).open(row.input);
  if (path === null) throw new UnexposeError('conflict', `part ${part} of scan job ${scanJobId}: its input does not open with this identifier key`);
  const hide = hideIn(path, job.label);
  await rt.scanJobs.markRunning(scanJobId, part, rt.now());
  // Which process holds the part, for an operator (`unexpose jobs show`) looking at a stuck job.
  await jc.progress({ part, pid: process.pid });
  const notices: IngestNotice[] = [];
  const abort = new AbortController();
  jc.signal.addEventListener('abort', () => abort.abort(), { once: true });
  let lastCheck = Date.now();
  const onEvent = (e: ScanEvent) => {
    if (e.type === 'notice' && notices.length < MAX_PART_NOTICES) notices.push({ ...e.notice, file: hide(e.notice.file), message: hide(e.notice.message) });
    if (e.type === 'progress' && Date.now() - lastCheck > CANCEL_CHECK_MS) {
      lastCheck = Date.now();
      void rt.scanJobs.get(scanJobId).then((j) => j?.status === 'cancelled' && abort.abort(), () => undefined);
    }
  };
  const opts: ScanOptions = { ...scanOptionsOf(job.options), signal: abort.signal };
  const deps: ScanDeps = { ...rt.store, key, pool: rt.pool() };
  let progress: PartProgress | undefined;
  const { inputs, early } = await openScanInputs(deps, [path], opts, onEvent);
  try {
    let chatIds: number[] = [];
    if (inputs.length > 0) {
      const totalBytes = await inputBytes(inputs);
      const s = await startScanSession(deps, [path], opts, totalBytes, early, onEvent, job.scan_id ?? undefined);
      // A resumed part goes on counting from what its earlier attempts saved.
      Object.assign(s.counts, { messages: row.messages, newMessages: row.new_messages, mediaHashed: row.media_hashed });
      s.alongside = async (trx, c) => {
        progress = { totalBytes, bytesDone: c.bytesDone, messages: c.messages, newMessages: c.newMessages, mediaHashed: c.mediaHashed };
        await trx.updateTable('scan_job_part').set({
          total_bytes: totalBytes, bytes_done: c.bytesDone, messages: c.messages, new_messages: c.newMessages, media_hashed: c.mediaHashed, updated_at: rt.now().toISOString(),
        }).where('scan_job_id', '=', scanJobId).where('part', '=', part).execute();
      };
      await scanOpenedInput(deps, s, inputs[0], opts, onEvent);
      chatIds = [...s.chatIds];
    }
    await rt.scanJobs.finishPart(scanJobId, part, 'done', { progress, chatIds, notices }, rt.now(), async (trx, allDone) => {
      if (allDone) await rt.queue.send('ClusterUpdate', { scanJobId }, { tx: trx, singletonKey: scanJobId });
    });
    return { part, chats: chatIds.length };
  } catch (err) {
    const now = await rt.scanJobs.get(scanJobId);
    // A cancelled (or otherwise ended) job stops here for good; a worker that stops (ScanInterrupted) or fails is retried.
    if (now && now.status !== 'queued' && now.status !== 'running') return { ended: now.status };
    if (jc.lastAttempt) await endScanJob(rt, scanJobId, 'failed', { error: hide(describeError(err)) });
    throw err;
  } finally {
    for (const input of inputs) await input.files.close().catch(() => undefined);
  }
}
