/**
 * `unexpose scan` as a use case: reads chat exports (Telegram JSON, WhatsApp text; folders or zips), stores every
 * message's metadata, identifier findings and media hashes batch by batch with a checkpoint, matches media against
 * the enabled banks, then groups re-posted media into clusters and computes the figures. Killed half-way, it
 * resumes from the last checkpoint when run again; run again on the same or a newer export, it adds only what is
 * new. Never prints: progress and notices go to onEvent.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../io/db/schema.js';
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
import { createMediaGate, processBatch, type BatchContext, type BatchOutcome } from './scan-batch.js';
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

export interface OpenedInput {
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

/** A scan in progress: its row, its batch context and what it gathered so far (one per process). */
export interface ScanSession {
  scanId: number;
  ctx: BatchContext;
  sealer: TextSealer;
  totalBytes: number;
  counts: { bytesBefore: number; messages: number; newMessages: number; mediaHashed: number };
  chatIds: Set<number>;
  notices: IngestNotice[];
  notify(raw: IngestNotice): void;
  /** Writes in each batch's transaction, with the counts after that batch (a scan job part's figures). */
  alongside?: (trx: Transaction<Database>, counts: ScanSession['counts'] & { bytesDone: number }) => Promise<void>;
}

/**
 * Opens the inputs (notices for those that cannot be read go to onEvent and into `early`); checks the options.
 * Binds the identifier key on first use.
 */
export async function openScanInputs(deps: ScanDeps, paths: string[], opts: ScanOptions, onEvent: (e: ScanEvent) => void): Promise<{ inputs: OpenedInput[]; early: IngestNotice[] }> {
  const now = opts.now ?? (() => new Date());
  await bindIdentifierKey(deps.scans.db, deps.key, now());
  for (const name of opts.banks ?? []) await deps.banks.requireBank(name);
  if (opts.timeZone !== undefined) checkTimeZone(opts.timeZone);
  const inputs: OpenedInput[] = [];
  const early: IngestNotice[] = [];
  for (const p of paths) {
    const opened = await openInput(p, deps.key, (e) => {
      if (e.type !== 'notice') return onEvent(e);
      const notice = redactNotice(e.notice, opts);
      early.push(notice);
      onEvent({ type: 'notice', notice });
    });
    if (opened) inputs.push(opened);
  }
  return { inputs, early };
}

// A notice names files, and a file name can hold a phone number or handle: never show or store one in clear.
function redactNotice(n: IngestNotice, opts: ScanOptions): IngestNotice {
  return { ...n, file: redactUntrusted(n.file, opts.identifiers), message: redactUntrusted(n.message, opts.identifiers) };
}

/** Bytes of message files in the inputs (the progress total). */
export async function inputBytes(inputs: OpenedInput[]): Promise<number> {
  let totalBytes = 0;
  for (const input of inputs) for (const exp of input.exports) for (const f of exp.messageFiles) totalBytes += await input.files.size(f).catch(() => 0);
  return totalBytes;
}

/** Starts a session under an existing `scan` row (a scan job's part) or a new one. */
export async function startScanSession(deps: ScanDeps, paths: string[], opts: ScanOptions, totalBytes: number, early: IngestNotice[],
  onEvent: (e: ScanEvent) => void, scanId?: number): Promise<ScanSession> {
  const now = opts.now ?? (() => new Date());
  const bankRepo = deps.banks;
  const id = scanId ?? await deps.scans.createScan({ paths: paths.map((p) => redactUntrusted(p)), banks: opts.banks ?? null }, now());
  const hasBanks = (await bankRepo.listBanks()).some((b) => b.enabled);
  // No flood judgement in a scan: a picture re-posted a hundred times is what a scan is there to count, not a
  // sign of a bad bank entry (the switch protects long-running matching, where one entry matching everything is).
  const matcher = hasBanks ? new SignalMatcher({ banks: bankRepo }, { banks: opts.banks }) : undefined;
  const textTypes = signalTypes.forContent('text').map((t) => t.name);
  const ctx: BatchContext = {
    scanId: id, repo: deps.scans, key: deps.key, pool: deps.pool, hashOptions: { robust: matcher ? 'both' : 'bank', ...opts.hash }, identifierOptions: opts.identifiers ?? {}, matcher,
    matchIdentifiers: hasBanks && (await bankRepo.countEntriesOfTypes(textTypes)) > 0, senderHmacs: new Map(), now,
    mediaGate: createMediaGate(deps.pool.size),
  };
  const notices: IngestNotice[] = early.slice(0, MAX_NOTICES_KEPT);
  return {
    scanId: id, ctx, sealer: textSealer(deps.key), totalBytes, chatIds: new Set(), notices,
    counts: { bytesBefore: 0, messages: 0, newMessages: 0, mediaHashed: 0 },
    notify(raw) {
      const notice = redactNotice(raw, opts);
      if (notices.length < MAX_NOTICES_KEPT) notices.push(notice);
      onEvent({ type: 'notice', notice });
    },
  };
}

/**
 * Reads one opened input into the session, batch by batch, each batch saved with its checkpoint; resumes from the
 * stored checkpoint. Throws ScanInterrupted when opts.signal stops it (after saving the batch in hand).
 */
export async function scanOpenedInput(deps: ScanDeps, s: ScanSession, input: OpenedInput, opts: ScanOptions, onEvent: (e: ScanEvent) => void): Promise<void> {
  const now = s.ctx.now;
  const repo = deps.scans;
  const counts = s.counts;
  for (const exp of input.exports) {
    const from = await resumePoint(repo, deps.key, s.sealer, input.inputKey, exp);
    let bytesInFile = 0;
    // Two batches in flight: while the pool hashes one batch's media, this thread parses the next.
    // Batches are saved strictly in order, each with its checkpoint.
    let inFlight: { batch: MessageBatch; work: Promise<BatchOutcome> } | null = null;
    const save = async ({ batch, work }: { batch: MessageBatch; work: Promise<BatchOutcome> }) => {
      const out = await work;
      for (const notice of out.notices) s.notify(notice);
      const { file: _file, ...cp } = batch.checkpoint;
      out.rows.checkpoint = { inputKey: input.inputKey, file: keyedCheckpointFile(deps.key, exp.source, batch.checkpoint.file), checkpoint: s.sealer.seal(JSON.stringify(cp)) };
      const after = {
        ...counts, messages: counts.messages + batch.messages.length, newMessages: counts.newMessages + out.newMessages, mediaHashed: counts.mediaHashed + out.hashed,
        bytesBefore: counts.bytesBefore + (batch.checkpoint.done ? batch.checkpoint.fileSize : 0),
      };
      const bytesDone = after.bytesBefore + (batch.checkpoint.done ? 0 : batch.checkpoint.byteOffset);
      await repo.saveBatch(out.rows, now(), s.alongside ? (trx) => s.alongside!(trx, { ...after, bytesDone }) : undefined);
      for (const id of out.rows.chatIds) s.chatIds.add(id);
      Object.assign(counts, after);
      bytesInFile = batch.checkpoint.done ? 0 : batch.checkpoint.byteOffset;
      onEvent({ type: 'progress', progress: {
        job: 'scan', done: counts.bytesBefore + bytesInFile, total: s.totalBytes, unit: 'bytes',
        counts: { messages: counts.messages, newMessages: counts.newMessages, mediaHashed: counts.mediaHashed },
      } });
    };
    for await (const batch of exp.stream({ from, batchSize: opts.batchSize ?? SCAN_BATCH_SIZE, timeZone: opts.timeZone })) {
      for (const notice of batch.notices) s.notify(notice);
      const work = processBatch(batch.messages, exp, s.ctx);
      work.catch(() => undefined); // awaited in save(); this only keeps an early failure from going unhandled
      if (inFlight) await save(inFlight);
      inFlight = { batch, work };
      if (opts.signal?.aborted) break;
    }
    if (inFlight) await save(inFlight);
    if (opts.signal?.aborted) throw new ScanInterrupted();
  }
  // Chats read earlier and already complete still belong in this scan's report.
  for (const id of await repo.chatIdsOfInput(input.inputKey)) s.chatIds.add(id);
}

/** Groups re-posted media into clusters, then reads the report of the chats back and marks the scan finished. */
export async function finishScanReport(deps: Pick<ScanDeps, 'scans' | 'matches' | 'clusters'>, run: { scanId: number; chatIds: number[]; mediaHashed: number; newMessages: number; notices: IngestNotice[]; now: Date },
  onEvent: (e: ScanEvent) => void = () => {}): Promise<ScanReport> {
  onEvent({ type: 'phase', phase: 'clusters' });
  await updateClusters(deps.clusters);
  onEvent({ type: 'phase', phase: 'figures' });
  const report = await buildScanReport({ scans: deps.scans, matches: deps.matches }, run.chatIds, {
    scanId: run.scanId, mediaHashedThisRun: run.mediaHashed, newMessages: run.newMessages, notices: run.notices, now: run.now,
  });
  await deps.scans.finishScan(run.scanId, 'finished', report.summary, run.now);
  return report;
}

/**
 * Scans the exports at the given paths into the database and returns the report.
 * @example const report = await scanExports({ db, key }, ['export/'], {}, (e) => {})
 */
export async function scanExports(deps: ScanDeps, paths: string[], opts: ScanOptions = {}, onEvent: (e: ScanEvent) => void = () => {}): Promise<ScanReport> {
  const now = opts.now ?? (() => new Date());
  const { inputs, early } = await openScanInputs(deps, paths, opts, onEvent);
  if (inputs.length === 0) throw new UnexposeError('no_input', `nothing to scan: ${paths.map((p) => redactUntrusted(p)).join(', ')} holds no chat export`);
  let s: ScanSession | undefined;
  try {
    const totalBytes = await inputBytes(inputs);
    onEvent({ type: 'start', totalBytes, inputs: inputs.length });
    s = await startScanSession(deps, paths, opts, totalBytes, early, onEvent);
    for (const input of inputs) await scanOpenedInput(deps, s, input, opts, onEvent);
    return await finishScanReport(deps, {
      scanId: s.scanId, chatIds: [...s.chatIds], mediaHashed: s.counts.mediaHashed, newMessages: s.counts.newMessages, notices: s.notices, now: now(),
    }, onEvent);
  } catch (err) {
    if (s) await deps.scans.finishScan(s.scanId, err instanceof ScanInterrupted ? 'interrupted' : 'failed', null, now()).catch(() => undefined);
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
