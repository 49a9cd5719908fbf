/**
 * Bank use cases: create, list, show, remove an entry, withdraw a whole bank, release a quarantined entry.
 * Deletes are real (rows gone, SQLite pages zeroed, WAL truncated) and listeners hear of them at once.
 */
import { bankSettings, checkBankName, type Bank, type BankSettings, type BankSignalType } from '../core/banks/bank.js';
import { isBankSignalType, normaliseBankSignal } from '../core/banks/bank-signal.js';
import { UnexposeError } from '../core/errors.js';
import type { DialectName } from '../io/db/open-database.js';
import type { BankRepo, RemovedEntry } from '../io/db/repos/bank-repo.js';
import type { NoticeRepo } from '../io/db/repos/notice-repo.js';
import type { BankChangeListener } from './bank-changes.js';

export interface BankDeps {
  repo: BankRepo;
  dialect: DialectName;
  listeners?: BankChangeListener[];
  /** The takedown outbox, so that withdrawing a case deletes the notices about its matches too. */
  notices?: Pick<NoticeRepo, 'deleteForBank'>;
  now?: () => Date;
}

export interface BankSummary extends Bank {
  entries: Record<string, number>;
  total: number;
  quarantined: number;
}

const clock = (deps: BankDeps) => (deps.now ?? (() => new Date()))().toISOString();

/**
 * Creates a bank.
 * @example await createBank(deps, 'case-2026-0012', { source: 'case:2026-0012' })
 */
export async function createBank(deps: BankDeps, name: string, settings: Partial<BankSettings>): Promise<Bank> {
  return deps.repo.createBank(checkBankName(name), bankSettings(settings), clock(deps));
}

/** Every bank with its entry counts. */
export async function listBanks(deps: BankDeps): Promise<BankSummary[]> {
  const banks = await deps.repo.listBanks();
  return Promise.all(banks.map((b) => summarise(deps, b)));
}

/** One bank with its entry counts, or not_found. */
export async function showBank(deps: BankDeps, name: string): Promise<BankSummary> {
  return summarise(deps, await deps.repo.requireBank(name));
}

async function summarise(deps: BankDeps, bank: Bank): Promise<BankSummary> {
  const c = await deps.repo.countEntries(bank.id);
  return { ...bank, entries: c.byType, total: Object.values(c.byType).reduce((a, b) => a + b, 0), quarantined: c.quarantined };
}

/**
 * Deletes the entries of a bank holding this value (any signal type, or the one given).
 * @returns what was deleted; empty when the bank did not hold the value.
 */
export async function removeFromBank(deps: BankDeps, name: string, signal: string, signalType?: string): Promise<RemovedEntry[]> {
  const bank = await deps.repo.requireBank(name);
  let type: BankSignalType | undefined;
  if (signalType !== undefined) {
    if (!isBankSignalType(signalType)) throw new UnexposeError('usage', `unknown signal type "${signalType}"`);
    type = signalType;
  }
  const value = normaliseForLookup(signal, type);
  const removed = await deps.repo.removeEntries(bank.id, value, type);
  if (removed.length > 0) {
    await deps.repo.scrubDeleted(deps.dialect);
    for (const l of deps.listeners ?? []) l.entriesRemoved(removed);
  }
  return removed;
}

/** Deletes a bank and all its entries (a withdrawn case must leave nothing behind); returns how many entries went. */
export async function withdrawBank(deps: BankDeps, name: string): Promise<{ bank: string; removed: number }> {
  const bank = await deps.repo.requireBank(name);
  const removed = await deps.repo.withdrawBank(bank.id);
  // Notices about the case's matches carry her hashes in their item keys: they go too.
  await deps.notices?.deleteForBank(name);
  await deps.repo.scrubDeleted(deps.dialect);
  for (const l of deps.listeners ?? []) l.entriesRemoved(removed);
  return { bank: name, removed: removed.length };
}

/** Lets a quarantined entry match again; returns how many entries were released. */
export async function releaseEntry(deps: BankDeps, name: string, signal: string): Promise<number> {
  const bank = await deps.repo.requireBank(name);
  return deps.repo.releaseEntries(bank.id, normaliseForLookup(signal));
}

/** Hex values are stored lower case; vPDQ JSON is stored canonical. */
function normaliseForLookup(signal: string, type?: BankSignalType): string {
  const t = signal.trim();
  if (type) return normaliseBankSignal(type, t);
  if (t.startsWith('[')) return normaliseBankSignal('vpdq', t);
  return /^[0-9a-fA-F]+$/.test(t) ? t.toLowerCase() : t;
}
