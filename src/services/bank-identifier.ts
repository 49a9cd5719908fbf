/**
 * Identifier alerts: a victim's phone number or handle as a bank entry. The identifier is normalised as the chat
 * finder normalises it, and only its keyed hash (HMAC under the store's identifier key) and redacted form are
 * stored; then earlier scans are searched for it (retro-match) and the messages that hold it are reported.
 */
import { normaliseLabels } from '../core/banks/bank.js';
import { parseIdentifier } from '../core/identifiers/parse-identifier.js';
import type { Platform } from '../core/identifiers/identifier.js';
import type { MatchReport } from '../core/scan/scan-report.js';
import { UnexposeError } from '../core/errors.js';
import type { IdentifierKey } from '../io/crypto/identifier-key.js';
import type { RemovedEntry } from '../io/db/repos/bank-repo.js';
import type { ImportDeps } from './bank-import.js';
import { forgetRemoved, type BankDeps } from './bank-manage.js';
import { retroMatch } from './bank-retro-match.js';

export interface AddIdentifierOptions {
  /** Force a phone number or a handle (default: from the text). */
  kind?: 'phone' | 'handle';
  /** The platform of a handle written without one ("@jane.doe"). */
  platform?: Platform;
  /** Country for numbers written without +country (default NL). */
  region?: string;
  labels?: string[];
  sourceRef?: string;
  addedBy?: string;
}

export interface AddIdentifierResult {
  bank: string;
  signalType: 'phone' | 'handle';
  /** Redacted, e.g. "+31 6 •••• ••78". */
  display: string;
  /** False when the bank held it already. */
  added: boolean;
  /** Messages in earlier scans that hold it (stored as retro-matches); empty when a background job matches it. */
  newMatches: MatchReport[];
}

function parse(text: string, opts: Pick<AddIdentifierOptions, 'kind' | 'platform' | 'region'>) {
  try {
    return parseIdentifier(text, { kind: opts.kind, platform: opts.platform, defaultRegion: opts.region });
  } catch (err) {
    throw new UnexposeError('invalid_signal', (err as Error).message);
  }
}

/**
 * Deletes a phone number or handle from a bank, given as the victim writes it (the bank holds only its keyed
 * hash), with the matches it produced and the doxxing notices about it.
 * @example await removeIdentifier({ banks, key }, 'case-12', '+31 6 12345678') // [{ id, signalType: 'phone', ... }]
 */
export async function removeIdentifier(deps: BankDeps & { key: IdentifierKey }, bankName: string, text: string,
  opts: Pick<AddIdentifierOptions, 'kind' | 'platform' | 'region'> = {}): Promise<RemovedEntry[]> {
  const bank = await deps.banks.requireBank(bankName);
  const parsed = parse(text, opts);
  const removed = await deps.banks.removeEntries(bank.id, deps.key.hmac(parsed.key), parsed.kind);
  await forgetRemoved(deps, bankName, removed);
  return removed;
}

/**
 * Adds a phone number or handle to a bank as its keyed hash and reports where earlier scans found it.
 * @example await addIdentifier({ ...deps, key }, 'case-12', '+31 6 12345678') // { signalType: 'phone', display: '+31 6 •••• ••78', ... }
 */
export async function addIdentifier(deps: ImportDeps & { key: IdentifierKey }, bankName: string, text: string, opts: AddIdentifierOptions = {}): Promise<AddIdentifierResult> {
  const bank = await deps.banks.requireBank(bankName);
  const parsed = parse(text, opts);
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const { added } = await deps.banks.insertEntries(bank.id, [{
    signalType: parsed.kind, signal: deps.key.hmac(parsed.key), quality: null, sourceRef: opts.sourceRef?.trim() || null,
    labels: normaliseLabels(opts.labels ?? []), display: parsed.display,
  }], opts.addedBy ?? 'add-identifier', now);
  for (const l of deps.listeners ?? []) l.entriesAdded(added);
  let newMatches: MatchReport[] = [];
  if (deps.retroInBackground) {
    // Matched by a job (the server): its newMatches stay empty here and the matches appear in the case's scans.
    for (const e of added) await deps.retroInBackground({ bankId: bank.id, afterId: e.id - 1, lastId: e.id });
  } else if (deps.stored && deps.matches) {
    newMatches = await retroMatch({ ...deps, stored: deps.stored, matches: deps.matches }, added);
  }
  return { bank: bankName, signalType: parsed.kind, display: parsed.display, added: added.length > 0, newMatches };
}
