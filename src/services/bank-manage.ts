/**
 * Bank use cases: create, list, show, remove an entry, withdraw a whole bank, release a quarantined entry.
 * Deletes are real (rows gone, SQLite pages zeroed, WAL truncated) and listeners hear of them at once.
 */
import { bankSettings, checkBankName, type Bank, type BankSettings } from '../core/banks/bank.js';
import { signalTypes, type SignalRegistry } from '../core/signals/registry.js';
import { signalKey, type BankRepo, type RemovedEntry } from '../io/db/repos/bank-repo.js';
import type { NoticeRepo } from '../io/db/repos/notice-repo.js';
import type { BankChangeListener } from './bank-changes.js';

export interface BankDeps {
  banks: BankRepo;
  listeners?: BankChangeListener[];
  /** The signal types entries may have (default: all registered). */
  registry?: SignalRegistry;
  /** The takedown outbox, so that removing an entry or withdrawing a case deletes the notices about it too. */
  notices?: Pick<NoticeRepo, 'deleteForBank' | 'deleteItems'>;
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
  return deps.banks.createBank(checkBankName(name), bankSettings(settings, deps.registry), clock(deps));
}

/** Every bank with its entry counts. */
export async function listBanks(deps: BankDeps): Promise<BankSummary[]> {
  const banks = await deps.banks.listBanks();
  return Promise.all(banks.map((b) => summarise(deps, b)));
}

/** One bank with its entry counts, or not_found. */
export async function showBank(deps: BankDeps, name: string): Promise<BankSummary> {
  return summarise(deps, await deps.banks.requireBank(name));
}

async function summarise(deps: BankDeps, bank: Bank): Promise<BankSummary> {
  const c = await deps.banks.countEntries(bank.id);
  return { ...bank, entries: c.byType, total: Object.values(c.byType).reduce((a, b) => a + b, 0), quarantined: c.quarantined };
}

/**
 * Deletes the entries of a bank holding this value (any signal type, or the one given), with the matches they
 * produced.
 * @returns what was deleted; empty when the bank did not hold the value.
 */
export async function removeFromBank(deps: BankDeps, name: string, signal: string, signalType?: string): Promise<RemovedEntry[]> {
  const bank = await deps.banks.requireBank(name);
  if (signalType !== undefined) (deps.registry ?? signalTypes).require(signalType);
  const value = normaliseForLookup(deps, signal, signalType);
  const removed = await deps.banks.removeEntries(bank.id, value, signalType);
  await forgetRemoved(deps, name, removed);
  return removed;
}

/** The notice item keys about entries of a bank: "identifier:<hmac>" for numbers and handles, else "entry:…". */
function noticeKeys(bankName: string, removed: readonly RemovedEntry[]): string[] {
  return removed.map((e) => (e.signalType === 'phone' || e.signalType === 'handle'
    ? `identifier:${e.signal}` : `entry:${bankName}/${e.signalType}/${signalKey(e.signal)}`));
}

/**
 * After entries went: the notices about them go too (a removed number leaves no doxxing notice naming it), the
 * freed pages are scrubbed and listeners hear of it.
 */
export async function forgetRemoved(deps: BankDeps, bankName: string, removed: readonly RemovedEntry[]): Promise<void> {
  if (removed.length === 0) return;
  await deps.notices?.deleteItems(noticeKeys(bankName, removed));
  await deps.banks.scrubDeleted();
  for (const l of deps.listeners ?? []) l.entriesRemoved([...removed]);
}

/**
 * Deletes a bank, all its entries and everything derived from them (stored matches; its name in scan options):
 * a withdrawn case must leave nothing behind. Returns how many entries went.
 */
export async function withdrawBank(deps: BankDeps, name: string): Promise<{ bank: string; removed: number }> {
  const bank = await deps.banks.requireBank(name);
  const removed = await deps.banks.withdrawBank(bank.id);
  // Notices about the case's matches carry her hashes in their item keys: they go too.
  // … and so do the doxxing notices about the bank's own numbers and handles (keyed by their HMAC).
  const identifierKeys = removed.filter((e) => e.signalType === 'phone' || e.signalType === 'handle').map((e) => `identifier:${e.signal}`);
  await deps.notices?.deleteForBank(name, identifierKeys);
  await deps.banks.scrubDeleted();
  for (const l of deps.listeners ?? []) l.entriesRemoved(removed);
  return { bank: name, removed: removed.length };
}

/** Lets a quarantined entry match again; returns how many entries were released. */
export async function releaseEntry(deps: BankDeps, name: string, signal: string): Promise<number> {
  const bank = await deps.banks.requireBank(name);
  return deps.banks.releaseEntries(bank.id, normaliseForLookup(deps, signal));
}

/** Hex values are stored lower case; vPDQ JSON is stored canonical. */
function normaliseForLookup(deps: BankDeps, signal: string, type?: string): string {
  const t = signal.trim();
  const registry = deps.registry ?? signalTypes;
  if (type) return registry.require(type).normalise(t);
  if (t.startsWith('[') && registry.has('vpdq')) return registry.require('vpdq').normalise(t);
  return /^[0-9a-fA-F]+$/.test(t) ? t.toLowerCase() : t;
}
