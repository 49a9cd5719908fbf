/**
 * Bank use cases the server needs beyond the CLI's: change a bank's settings (or name), add entries given as
 * values, remove one entry by id. Listeners (the live index) hear of every committed change at once.
 */
import { bankSettings, checkBankName, checkQuality, normaliseLabels, type Bank, type BankEntryInput, type BankSettings } from '../core/banks/bank.js';
import { describeError, UnexposeError } from '../core/errors.js';
import { signalTypes } from '../core/signals/registry.js';
import type { EntryWithBank, StoredEntry } from '../io/db/repos/bank-repo.js';
import type { BankDeps } from './bank-manage.js';

const IDENTIFIER_TYPES = new Set(['phone', 'handle']);

/** Most entries one add call may carry (bigger sets go through the streamed import). */
export const MAX_ENTRIES_PER_ADD = 10_000;

export interface EntryToAdd {
  signalType: string;
  signal: string;
  quality?: number | null;
  sourceRef?: string | null;
  labels?: string[];
}

export interface AddEntriesReport {
  bank: string;
  added: StoredEntry[];
  duplicates: number;
  rejected: { index: number; reason: string }[];
}

const now = (deps: BankDeps) => (deps.now ?? (() => new Date()))().toISOString();

/**
 * Changes the settings given (the rest stay); renames when `name` is given.
 * @example await updateBankSettings(deps, 'case-1', { enabled: false })
 */
export async function updateBankSettings(deps: BankDeps, name: string, change: Partial<BankSettings> & { name?: string }): Promise<Bank> {
  const bank = await deps.banks.requireBank(name);
  const { name: newName, ...settings } = change;
  const target = newName === undefined ? bank.name : checkBankName(newName);
  if (target !== bank.name && (await deps.banks.findBank(target))) throw new UnexposeError('conflict', `bank "${target}" exists already`);
  const merged = bankSettings({ ...bank, ...settings, thresholds: { ...bank.thresholds, ...settings.thresholds } }, deps.registry);
  return deps.banks.updateBank(bank.id, target, merged, now(deps));
}

/**
 * Adds entries; bad ones are rejected by position and the rest are stored in one transaction.
 * @example await addEntries(deps, 'case-1', [{ signalType: 'pdq', signal: 'f8f8…' }], 'api:3')
 */
export async function addEntries(deps: BankDeps, name: string, entries: readonly EntryToAdd[], addedBy: string): Promise<AddEntriesReport> {
  if (entries.length > MAX_ENTRIES_PER_ADD) throw new UnexposeError('too_large', `at most ${MAX_ENTRIES_PER_ADD} entries per call; import bigger sets as CSV or JSON lines`);
  const bank = await deps.banks.requireBank(name);
  const good: BankEntryInput[] = [];
  const rejected: AddEntriesReport['rejected'] = [];
  entries.forEach((e, index) => {
    try {
      const type = (deps.registry ?? signalTypes).get(e.signalType);
      if (!type) throw new UnexposeError('invalid_input', `unknown signal type "${e.signalType.slice(0, 40)}"`);
      if (IDENTIFIER_TYPES.has(type.name)) throw new UnexposeError('invalid_input', 'add phone numbers and handles through the identifiers route (they are stored as keyed hashes)');
      good.push({
        signalType: type.name, signal: type.normalise(e.signal), quality: checkQuality(e.quality),
        sourceRef: e.sourceRef ?? null, labels: normaliseLabels(e.labels ?? []),
      });
    } catch (err) {
      rejected.push({ index, reason: describeError(err) });
    }
  });
  const { added, duplicates } = await deps.banks.insertEntries(bank.id, good, addedBy, now(deps));
  for (const l of deps.listeners ?? []) l.entriesAdded(added);
  return { bank: name, added, duplicates, rejected };
}

/** One entry of a bank by id, or not_found (an id of another bank is not found either). */
export async function showEntry(deps: BankDeps, name: string, id: number): Promise<EntryWithBank> {
  const bank = await deps.banks.requireBank(name);
  const e = await deps.banks.findEntry(id);
  if (!e || e.bankId !== bank.id) throw new UnexposeError('not_found', `bank "${name}" has no entry ${id}`);
  return e;
}

/** Deletes one entry by id for real; false when the bank has no such entry. */
export async function removeEntry(deps: BankDeps, name: string, id: number): Promise<boolean> {
  const bank = await deps.banks.requireBank(name);
  const e = await deps.banks.findEntry(id);
  if (!e || e.bankId !== bank.id) return false;
  const removed = await deps.banks.removeEntryById(id);
  if (!removed) return false;
  await deps.banks.scrubDeleted();
  for (const l of deps.listeners ?? []) l.entriesRemoved([removed]);
  return true;
}
