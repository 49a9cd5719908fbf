/**
 * Matches signals given as values with their type (the server's use case: an API client sends hashes, not
 * paths): PDQ through the live index, MD5 and SHA-256 exactly, vPDQ frame by frame. A bad value fails only its
 * own answer. Thresholds, negative banks, quarantine and the bank filter are the same rules as `unexpose match`.
 */
import { MAX_PDQ_THRESHOLD, type BankSignalType } from '../core/banks/bank.js';
import { isBankSignalType, normaliseBankSignal, parseVpdqFrames } from '../core/banks/bank-signal.js';
import { UnexposeError, type ErrorCode } from '../core/errors.js';
import { resolveMatches, type CandidateHit } from '../core/match/resolve-matches.js';
import { compareVpdq } from '../core/signals/vpdq/vpdq-compare.js';
import type { VpdqFeature } from '../core/signals/vpdq/vpdq-feature.js';
import type { BankRepo, EntryWithBank } from '../io/db/repos/bank-repo.js';
import { pdqWords, type LiveIndex } from './live-index.js';

/** Most signals one call may carry. */
export const MAX_SIGNALS_PER_MATCH = 1000;

export interface SignalQuery {
  signalType: string;
  signal: string;
}

export interface SignalMatch {
  bank: string;
  /** The bank entry's id (HMA's bank_content_id). */
  entryId: number;
  signalType: BankSignalType;
  signal: string;
  distance: number;
  quality: number | null;
  sourceRef: string | null;
  labels: string[];
  queryMatchPercent?: number;
  comparedMatchPercent?: number;
}

export interface SignalAnswer {
  signalType: string;
  signal: string;
  matches: SignalMatch[];
  /** Negative-bank entries in reach: when present, matches is empty by design. */
  suppressedBy?: { bank: string; distance: number }[];
  error?: { code: ErrorCode; message: string };
}

export interface MatchSignalsDeps {
  repo: BankRepo;
  index: LiveIndex;
}

export interface MatchSignalsOptions {
  /** Answer from these banks only (negative banks always apply). */
  banks?: string[];
  /** Unknown bank names: an error (default), or simply no matches from them (HMA). */
  unknownBanks?: 'error' | 'ignore';
  /** Fixed PDQ radius instead of each bank's own threshold (HMA matches at ≤ 31 whatever the bank says). */
  pdqRadius?: number;
}

/**
 * One answer per signal, in order.
 * @example (await matchSignals(deps, [{ signalType: 'pdq', signal: 'f8f8…' }]))[0].matches
 */
export async function matchSignals(deps: MatchSignalsDeps, queries: readonly SignalQuery[], opts: MatchSignalsOptions = {}): Promise<SignalAnswer[]> {
  if (queries.length > MAX_SIGNALS_PER_MATCH) throw new UnexposeError('too_large', `at most ${MAX_SIGNALS_PER_MATCH} signals per request, got ${queries.length}`);
  if (opts.banks && opts.unknownBanks !== 'ignore') for (const b of opts.banks) await deps.repo.requireBank(b);
  const parsed = queries.map(parseQuery);
  const banks = await deps.repo.listBanks();
  const radius = opts.pdqRadius ?? Math.min(MAX_PDQ_THRESHOLD, Math.max(-1, ...banks.filter((b) => b.enabled).map((b) => b.pdqThreshold)));

  const candidates: CandidateHit[][] = parsed.map(() => []);
  const pdqHits: { at: number; id: number; distance: number }[] = [];
  let vpdq: { entry: EntryWithBank; frames: VpdqFeature[] }[] | undefined;
  for (let at = 0; at < parsed.length; at++) {
    const q = parsed[at];
    if ('error' in q) continue;
    if (q.signalType === 'pdq') {
      if (radius < 0) continue;
      const index = deps.index.current;
      if (!index) throw new UnexposeError('unavailable', 'the match index is still loading; try again shortly');
      for (const h of index.query([pdqWords(q.signal)], radius)) pdqHits.push({ at, id: h.id, distance: h.distance });
    } else if (q.signalType === 'vpdq') {
      vpdq ??= (await deps.repo.entriesOfType('vpdq')).map((entry) => ({ entry, frames: toFeatures(entry.signal) }));
      const frames = toFeatures(q.signal);
      for (const v of vpdq) {
        const c = compareVpdq(frames, v.frames);
        if (c.match) {
          candidates[at].push({
            entry: v.entry, bank: v.entry.bank, distance: round2(100 - c.queryMatchPercent),
            query_match_percent: round2(c.queryMatchPercent), compared_match_percent: round2(c.comparedMatchPercent),
          });
        }
      }
    } else {
      for (const e of await deps.repo.findExact(q.signalType, q.signal)) candidates[at].push({ entry: e, bank: e.bank, distance: 0 });
    }
  }
  if (pdqHits.length > 0) {
    const entries = new Map((await deps.repo.entriesWithBanks([...new Set(pdqHits.map((h) => h.id))])).map((e) => [e.id, e]));
    for (const h of pdqHits) {
      const e = entries.get(h.id);
      if (e) candidates[h.at].push({ entry: e, bank: e.bank, distance: h.distance });
    }
  }
  return parsed.map((q, at) => {
    if ('error' in q) return { signalType: q.signalType, signal: q.signal, matches: [], error: q.error };
    const { result, matched } = resolveMatches(q.signal, candidates[at], { banks: opts.banks });
    const answer: SignalAnswer = { signalType: q.signalType, signal: q.signal, matches: matched.map(toMatch) };
    if (result.suppressed_by) answer.suppressedBy = result.suppressed_by.map((s) => ({ bank: s.bank, distance: s.distance }));
    return answer;
  });
}

type Parsed = { signalType: BankSignalType; signal: string } | { signalType: string; signal: string; error: { code: ErrorCode; message: string } };

function parseQuery(q: SignalQuery): Parsed {
  if (!isBankSignalType(q.signalType)) {
    return { ...q, error: { code: 'invalid_input', message: `unknown signal type "${q.signalType.slice(0, 40)}"` } };
  }
  try {
    return { signalType: q.signalType, signal: normaliseBankSignal(q.signalType, q.signal) };
  } catch (err) {
    return { ...q, error: { code: err instanceof UnexposeError ? err.code : 'invalid_signal', message: err instanceof Error ? err.message : String(err) } };
  }
}

function toFeatures(value: string): VpdqFeature[] {
  return parseVpdqFrames(value).map((f, i) => ({ frame: i, timestamp: f.timestamp ?? 0, pdq: f.pdq, quality: f.quality }));
}

function toMatch(h: CandidateHit): SignalMatch {
  const m: SignalMatch = {
    bank: h.bank.name, entryId: h.entry.id, signalType: h.entry.signalType, signal: h.entry.signal, distance: h.distance,
    quality: h.entry.quality, sourceRef: h.entry.sourceRef, labels: [...new Set([...h.bank.labels, ...h.entry.labels])],
  };
  if (h.query_match_percent !== undefined) m.queryMatchPercent = h.query_match_percent;
  if (h.compared_match_percent !== undefined) m.comparedMatchPercent = h.compared_match_percent;
  return m;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
