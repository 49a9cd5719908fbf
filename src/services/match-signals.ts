/**
 * Matches signals given as values with their type (the server's use case: an API client sends hashes, not
 * paths), one answer per signal, through the signal matcher (same thresholds, negative banks and quarantine as
 * `unexpose match`) over the server's live indexes. Phone numbers and handles may be sent in clear: they are
 * turned into their keyed hash here and never kept. A bad value fails only its own answer.
 */
import { UnexposeError, type ErrorCode } from '../core/errors.js';
import { parseIdentifier } from '../core/identifiers/parse-identifier.js';
import type { CandidateHit } from '../core/match/resolve-matches.js';
import { signalTypes } from '../core/signals/registry.js';
import type { IdentifierKey } from '../io/crypto/identifier-key.js';
import type { BankRepo } from '../io/db/repos/bank-repo.js';
import type { LiveIndex } from './live-index.js';
import { SignalMatcher } from './match/signal-matcher.js';
import type { MatchHit } from '../core/match/match-result.js';

/** Most signals one call may carry. */
export const MAX_SIGNALS_PER_MATCH = 1000;
const IDENTIFIER_TYPES = new Set(['phone', 'handle']);

export interface SignalQuery {
  signalType: string;
  signal: string;
}

/** A match as the API answers it: the hit plus the bank entry's id (HMA's bank_content_id). */
export interface SignalMatch extends MatchHit {
  entryId: number;
}

export interface SignalAnswer {
  signalType: string;
  /** The value looked up (normalised); for identifiers sent in clear, their redacted form. */
  signal: string;
  matches: SignalMatch[];
  /** Negative-bank entries in reach: when present, matches is empty by design. */
  suppressedBy?: { bank: string; distance: number }[];
  error?: { code: ErrorCode; message: string };
}

export interface MatchSignalsDeps {
  banks: BankRepo;
  index: LiveIndex;
  /** The store's identifier key, for phone numbers and handles sent in clear. */
  key?: () => Promise<IdentifierKey>;
}

export interface MatchSignalsOptions {
  /** Answer from these banks only (negative banks always apply). */
  banks?: string[];
  /** Unknown bank names: an error (default), or simply no matches from them (HMA). */
  unknownBanks?: 'error' | 'ignore';
}

/**
 * One answer per signal, in order.
 * @example (await matchSignals(deps, [{ signalType: 'pdq', signal: 'f8f8…' }]))[0].matches
 */
export async function matchSignals(deps: MatchSignalsDeps, queries: readonly SignalQuery[], opts: MatchSignalsOptions = {}): Promise<SignalAnswer[]> {
  if (queries.length > MAX_SIGNALS_PER_MATCH) throw new UnexposeError('too_large', `at most ${MAX_SIGNALS_PER_MATCH} signals per request, got ${queries.length}`);
  if (opts.banks && opts.unknownBanks !== 'ignore') for (const b of opts.banks) await deps.banks.requireBank(b);
  const banks = opts.banks && opts.unknownBanks === 'ignore' ? await existing(deps.banks, opts.banks) : opts.banks;
  if (banks && banks.length === 0) return queries.map((q) => ({ signalType: q.signalType, signal: q.signal, matches: [] }));
  const matcher = new SignalMatcher({ banks: deps.banks, indexes: deps.index.indexes }, { banks });
  const out: SignalAnswer[] = [];
  for (const q of queries) {
    let value: string;
    let shown: string;
    try {
      const type = signalTypes.get(q.signalType);
      if (!type) throw new UnexposeError('invalid_input', `unknown signal type "${q.signalType.slice(0, 40)}" (known: ${signalTypes.names().join(', ')})`);
      if (type.indexKind === 'hamming-256' && !deps.index.ready) throw new UnexposeError('unavailable', 'the match index is still loading; try again shortly');
      ({ value, shown } = await normalise(deps, q));
    } catch (err) {
      if (err instanceof UnexposeError && err.code === 'unavailable') throw err;
      out.push({ signalType: q.signalType, signal: q.signal, matches: [], error: errorOf(err) });
      continue;
    }
    const { result, matched } = await matcher.match(shown, [{ type: q.signalType, value }]);
    if (result.error) {
      out.push({ signalType: q.signalType, signal: shown, matches: [], error: { code: 'invalid_input', message: result.error } });
      continue;
    }
    const answer: SignalAnswer = { signalType: q.signalType, signal: shown, matches: matched.map(toMatch) };
    if (result.suppressedBy) answer.suppressedBy = result.suppressedBy.map((s) => ({ bank: s.bank, distance: s.distance }));
    out.push(answer);
  }
  return out;
}

async function existing(repo: BankRepo, names: string[]): Promise<string[]> {
  const all = new Set((await repo.listBanks()).map((b) => b.name));
  return names.filter((n) => all.has(n));
}

/** The stored form of a value, and what to show of it (an identifier only redacted). */
async function normalise(deps: MatchSignalsDeps, q: SignalQuery): Promise<{ value: string; shown: string }> {
  const type = signalTypes.require(q.signalType);
  if (IDENTIFIER_TYPES.has(type.name) && !/^[0-9a-f]{64}$/.test(q.signal)) {
    if (!deps.key) throw new UnexposeError('invalid_input', 'identifiers cannot be matched here');
    const parsed = parseIdentifier(q.signal, { kind: type.name as 'phone' | 'handle' });
    return { value: (await deps.key()).hmac(parsed.key), shown: parsed.display };
  }
  const value = type.normalise(q.signal);
  return { value, shown: value };
}

function errorOf(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof UnexposeError) return { code: err.code === 'usage' ? 'invalid_input' : err.code, message: err.message };
  return { code: 'invalid_signal', message: err instanceof Error ? err.message : String(err) };
}

function toMatch(h: CandidateHit): SignalMatch {
  const m: SignalMatch = {
    bank: h.bank.name, entryId: h.entry.id, signalType: h.entry.signalType, signal: h.entry.signal, distance: h.distance,
    quality: h.entry.quality, sourceRef: h.entry.sourceRef, labels: [...new Set([...h.bank.labels, ...h.entry.labels])],
  };
  if (h.entry.display) m.display = h.entry.display;
  if (h.detail?.queryMatchPercent !== undefined) m.queryMatchPercent = h.detail.queryMatchPercent;
  if (h.detail?.comparedMatchPercent !== undefined) m.comparedMatchPercent = h.detail.comparedMatchPercent;
  return m;
}
