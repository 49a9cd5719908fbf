/**
 * `unexpose scan` as a use case: reads chat exports (Telegram JSON, WhatsApp text; folders or zips), stores every
 * message's metadata, identifier findings and media hashes batch by batch with a checkpoint, matches media against
 * the enabled banks, then groups re-posted media into clusters and computes the figures. Killed half-way, it
 * resumes from the last checkpoint when run again; run again on the same or a newer export, it adds only what is
 * new. Never prints: progress and notices go to onEvent.
 */
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { describeError, UnexposeError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import { redactUntrusted, type IdentifierOptions } from '../../core/identifiers/index.js';
import type { Checkpoint, IngestNotice, MessageBatch, OpenExport } from '../../ingest/chat-source.js';
import { checkTimeZone } from '../../ingest/local-time.js';
import { chatSources } from '../../ingest/registry.js';
import type { IdentifierKey } from '../../io/crypto/identifier-key.js';
import { textSealer, type TextSealer } from '../../io/crypto/sealed-text.js';
import { bindIdentifierKey } from '../identifier-key-binding.js';
import { keyedCheckpointFile, keyedInputKey } from './untrusted-keys.js';
import { openExportFiles, type ExportFiles } from '../../io/fs/export-files.js';
import type { BankRepo } from '../../io/db/repos/bank-repo.js';
import type { ClusterRepo } from '../../io/db/repos/cluster-repo.js';
import type { MatchRepo } from '../../io/db/repos/match-repo.js';
import type { ScanRepo } from '../../io/db/repos/scan-repo.js';
import type { HashFileOptions } from '../hash-file.js';
import type { HashPool } from '../hash-media.js';
import { SignalMatcher } from '../match/signal-matcher.js';
import { signalTypes } from '../../core/signals/registry.js';
import { processBatch, type BatchContext, type BatchOutcome } from './scan-batch.js';
import { buildScanReport, type ScanReport } from './scan-report.js';
import { updateClusters } from './scan-clusters.js';

/** Messages per batch: a batch is one transaction and one checkpoint; two are in flight at once. */
const SCAN_BATCH_SIZE = 1000;

/** Notices kept for the report (all are still passed to onEvent). */
const MAX_NOTICES_KEPT = 1000;

export interface ScanOptions {
  /** Match against these banks only (default: every enabled bank; negative banks always apply). */
  banks?: string[];
  identifiers?: IdentifierOptions;
  hash?: HashFileOptions;
  batchSize?: number;
  now?: () => Date;
  /** Set to stop after the current batch (Ctrl-C): the scan is saved and resumes on the next run. */
  signal?: AbortSignal;
  /** IANA zone of the phone that wrote local times (WhatsApp); default this machine's zone (said in a notice). */
  timeZone?: string;
}

export type ScanEvent =
  | { type: 'start'; totalBytes: number; inputs: number }
  | { type: 'input'; path: string; source: string; files: number }
  /** job `scan`: bytes of message files read of the total, with counts messages, newMessages, mediaHashed. */
  | { type: 'progress'; progress: Progress }
  | { type: 'notice'; notice: IngestNotice }
  | { type: 'phase'; phase: 'clusters' | 'figures' };

/** What a scan works with, made by the face: the repositories, the identifier key and the hashing pool. */
export interface ScanDeps {
  scans: ScanRepo;
  banks: BankRepo;
  matches: MatchRepo;
  clusters: ClusterRepo;
  key: IdentifierKey;
  pool: HashPool;
}

interface OpenedInput {
  path: string;
  inputKey: string;
  files: ExportFiles;
  exports: OpenExport[];
}

/** Everything an input's path shows up in (events, notices, the scan row) is redacted: a path can name a person. */
async function openInput(path: string, key: IdentifierKey, onEvent: (e: ScanEvent) => void): Promise<OpenedInput | null> {
  const shown = redactUntrusted(path);
  let files: ExportFiles;
  try {
    files = await openExportFiles(path);
  } catch (err) {
    onEvent({ type: 'notice', notice: { level: 'error', code: 'unreadable', file: path, message: describeError(err) } });
    return null;
  }
  for (const r of files.refused()) {
    onEvent({ type: 'notice', notice: { level: 'warning', code: 'zip_entry_refused', file: `${path}/${r.name}`, message: r.message } });
  }
  const exports: OpenExport[] = [];
  for (const source of chatSources) {
    const messageFiles = await source.detect(files);
    if (messageFiles.length > 0) {
      exports.push(source.open(files, messageFiles));
      onEvent({ type: 'input', path: shown, source: source.name, files: messageFiles.length });
    }
  }
  if (exports.length === 0) {
    onEvent({ type: 'notice', notice: { level: 'error', code: 'not_an_export', file: shown,
      message: `${shown}: no Telegram export (result.json or messages.html) or WhatsApp chat (.txt) found in it` } });
    await files.close();
    return null;
  }
  const inputKey = keyedInputKey(key, createHash('sha256').update(await realpath(path)).digest('hex'));
  return { path, inputKey, files, exports };
}

/**
 * Where to resume an export. Checkpoints are stored under a keyed hash of the file's name and sealed (their
 * parser state can hold a personal chat's name); one that does not open is ignored and the file read again.
 */
async function resumePoint(repo: ScanRepo, key: IdentifierKey, sealer: TextSealer, inputKey: string, exp: OpenExport): Promise<Checkpoint | undefined> {
  let latest: Checkpoint | undefined;
  for (const file of exp.messageFiles) {
    const saved = await repo.checkpoint(inputKey, keyedCheckpointFile(key, exp.source, file));
    const opened = saved === null ? null : sealer.open(saved);
    if (opened === null) break;
    const cp = { ...(JSON.parse(opened) as Omit<Checkpoint, 'file'>), file } as Checkpoint;
    const size = await exp.files.size(file).catch(() => -1);
    if (cp.fileSize !== size) break; // the file changed: read it again (stored messages are skipped)
    latest = cp;
    if (!cp.done) break;
  }
  return latest;
}

/**
 * Scans the exports at the given paths into the database and returns the report.
 * @example const report = await scanExports({ db, key }, ['export/'], {}, (e) => {})
 */
export async function scanExports(deps: ScanDeps, paths: string[], opts: ScanOptions = {}, onEvent: (e: ScanEvent) => void = () => {}): Promise<ScanReport> {
  const now = opts.now ?? (() => new Date());
  const repo = deps.scans;
  const bankRepo = deps.banks;
  await bindIdentifierKey(repo.db, deps.key, now());
  const sealer = textSealer(deps.key);
  for (const name of opts.banks ?? []) await bankRepo.requireBank(name);
  if (opts.timeZone !== undefined) checkTimeZone(opts.timeZone);
  const inputs: OpenedInput[] = [];
  // A notice names files, and a file name can hold a phone number or handle: never show or store one in clear.
  const redact = (n: IngestNotice): IngestNotice => ({
    ...n, file: redactUntrusted(n.file, opts.identifiers), message: redactUntrusted(n.message, opts.identifiers),
  });
  const early: IngestNotice[] = [];
  for (const p of paths) {
    const opened = await openInput(p, deps.key, (e) => {
      if (e.type !== 'notice') return onEvent(e);
      const notice = redact(e.notice);
      early.push(notice);
      onEvent({ type: 'notice', notice });
    });
    if (opened) inputs.push(opened);
  }
  if (inputs.length === 0) throw new UnexposeError('invalid_input', `nothing to scan: ${paths.map((p) => redactUntrusted(p)).join(', ')} holds no chat export`);
  let totalBytes = 0;
  for (const input of inputs) for (const exp of input.exports) for (const f of exp.messageFiles) totalBytes += await input.files.size(f).catch(() => 0);
  onEvent({ type: 'start', totalBytes, inputs: inputs.length });

  const scanId = await repo.createScan({ paths: paths.map((p) => redactUntrusted(p)), banks: opts.banks ?? null }, now());
  const hasBanks = (await bankRepo.listBanks()).some((b) => b.enabled);
  // No flood judgement in a scan: a picture re-posted a hundred times is what a scan is there to count, not a
  // sign of a bad bank entry (the switch protects long-running matching, where one entry matching everything is).
  const matcher = hasBanks ? new SignalMatcher({ banks: bankRepo }, { banks: opts.banks }) : undefined;
  const textTypes = signalTypes.forContent('text').map((t) => t.name);
  const chatIds = new Set<number>();
  const ctx: BatchContext = {
    scanId, repo, key: deps.key, pool: deps.pool, hashOptions: { robust: matcher ? 'both' : 'bank', ...opts.hash }, identifierOptions: opts.identifiers ?? {}, matcher,
    matchIdentifiers: hasBanks && (await bankRepo.countEntriesOfTypes(textTypes)) > 0, senderHmacs: new Map(), now,
  };
  const counts = { bytesBefore: 0, messages: 0, newMessages: 0, mediaHashed: 0 };
  const notices: IngestNotice[] = early.slice(0, MAX_NOTICES_KEPT);
  const notify = (raw: IngestNotice): void => {
    const notice = redact(raw);
    if (notices.length < MAX_NOTICES_KEPT) notices.push(notice);
    onEvent({ type: 'notice', notice });
  };
  try {
    for (const input of inputs) {
      for (const exp of input.exports) {
        const from = await resumePoint(repo, deps.key, sealer, input.inputKey, exp);
        let bytesInFile = 0;
        // Two batches in flight: while the pool hashes one batch's media, this thread parses the next.
        // Batches are saved strictly in order, each with its checkpoint.
        let inFlight: { batch: MessageBatch; work: Promise<BatchOutcome> } | null = null;
        const save = async ({ batch, work }: { batch: MessageBatch; work: Promise<BatchOutcome> }) => {
          const out = await work;
          for (const notice of out.notices) notify(notice);
          const { file: _file, ...cp } = batch.checkpoint;
          out.rows.checkpoint = { inputKey: input.inputKey, file: keyedCheckpointFile(deps.key, exp.source, batch.checkpoint.file), checkpoint: sealer.seal(JSON.stringify(cp)) };
          await repo.saveBatch(out.rows, now());
          for (const id of out.rows.chatIds) chatIds.add(id);
          counts.messages += batch.messages.length;
          counts.newMessages += out.newMessages;
          counts.mediaHashed += out.hashed;
          if (batch.checkpoint.done) {
            counts.bytesBefore += batch.checkpoint.fileSize;
            bytesInFile = 0;
          } else bytesInFile = batch.checkpoint.byteOffset;
          onEvent({ type: 'progress', progress: {
            job: 'scan', done: counts.bytesBefore + bytesInFile, total: totalBytes, unit: 'bytes',
            counts: { messages: counts.messages, newMessages: counts.newMessages, mediaHashed: counts.mediaHashed },
          } });
        };
        for await (const batch of exp.stream({ from, batchSize: opts.batchSize ?? SCAN_BATCH_SIZE, timeZone: opts.timeZone })) {
          for (const notice of batch.notices) notify(notice);
          const work = processBatch(batch.messages, exp, ctx);
          work.catch(() => undefined); // awaited in save(); this only keeps an early failure from going unhandled
          if (inFlight) await save(inFlight);
          inFlight = { batch, work };
          if (opts.signal?.aborted) break;
        }
        if (inFlight) await save(inFlight);
        if (opts.signal?.aborted) throw new ScanInterrupted();
      }
      // Chats read earlier and already complete still belong in this scan's report.
      for (const id of await repo.chatIdsOfInput(input.inputKey)) chatIds.add(id);
    }
    onEvent({ type: 'phase', phase: 'clusters' });
    await updateClusters(deps.clusters);
    onEvent({ type: 'phase', phase: 'figures' });
    const report = await buildScanReport({ scans: repo, matches: deps.matches }, [...chatIds], {
      scanId, mediaHashedThisRun: counts.mediaHashed, newMessages: counts.newMessages, notices, now: now(),
    });
    await repo.finishScan(scanId, 'finished', report.summary, now());
    return report;
  } catch (err) {
    await repo.finishScan(scanId, err instanceof ScanInterrupted ? 'interrupted' : 'failed', null, now()).catch(() => undefined);
    throw err;
  } finally {
    for (const input of inputs) await input.files.close().catch(() => undefined);
  }
}

/** Thrown when a scan was stopped on request after saving its last batch. */
export class ScanInterrupted extends UnexposeError {
  constructor() {
    super('interrupted', 'scan interrupted: what was read so far is saved; run the same command again to resume');
    this.name = 'ScanInterrupted';
  }
}
