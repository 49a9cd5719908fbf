/**
 * `match` as a use case: each query is signals (hashes already computed: by the CLI from files or text, by a
 * browser, by an API client) or the bytes of a photo to hash in memory, never a path — a service behind an API
 * must not be made to read its own files. Each query yields one answer with every match; a bad query yields an
 * answer with an error and the rest go on.
 */
import { isFailedHash, type MediaHashResult } from '../../core/content/media-hash.js';
import { querySignals } from '../../core/content/media-signals.js';
import type { QueryResult } from '../../core/match/match-result.js';
import type { Signal } from '../../core/signals/signal-type.js';
import type { HashFileOptions } from '../hash-file.js';
import type { HashPool } from '../hash-media.js';
import { SignalMatcher, type SignalMatcherDeps, type SignalMatcherOptions } from './signal-matcher.js';

export type MatchQuery =
  /** Signals already computed; `label` names the query in the answer (a path, the hash as written). */
  | { label: string; signals: Signal[] }
  /** A photo's bytes, hashed in memory by the pool and dropped. */
  | { label: string; bytes: Uint8Array }
  /** A query that failed before matching (a file that could not be hashed): answered with its error. */
  | { label: string; error: string };

export interface MatchDeps extends SignalMatcherDeps {
  /** Hashes byte queries; needed only when some query is bytes. */
  pool?: HashPool;
}

export interface MatchOptions extends SignalMatcherOptions {
  /** How byte queries are hashed (pipeline, dihedral forms). */
  hashOptions?: HashFileOptions;
}

/**
 * Matches every query, in order.
 * @example for await (const r of matchQueries({ banks: repo }, [{ label: 'x', signals: [{ type: 'md5', value }] }])) console.log(r.matches)
 */
export async function* matchQueries(deps: MatchDeps, queries: AsyncIterable<MatchQuery> | Iterable<MatchQuery>, opts: MatchOptions = {}): AsyncGenerator<QueryResult> {
  const matcher = new SignalMatcher(deps, opts);
  await matcher.checkBanks();
  for await (const q of queries) {
    if ('error' in q) yield { query: q.label, matches: [], error: q.error };
    else if ('signals' in q) yield (await matcher.match(q.label, q.signals)).result;
    else yield await matchBytes(deps, matcher, q, opts);
  }
}

async function matchBytes(deps: MatchDeps, matcher: SignalMatcher, q: { label: string; bytes: Uint8Array }, opts: MatchOptions): Promise<QueryResult> {
  if (!deps.pool) return { query: q.label, matches: [], error: 'this matcher takes no media bytes (no hashing pool)' };
  const r = await deps.pool.run({ path: q.label, opts: { robust: 'query', ...opts.hashOptions }, bytes: q.bytes });
  const answer = await answerMedia(matcher, r);
  return answer;
}

/**
 * The answer for a media file hashed elsewhere (the CLI's file walk, a scan's pool): its signals, with the
 * rotated/flipped PDQ forms when the hash result has them.
 */
export async function answerMedia(matcher: SignalMatcher, r: MediaHashResult): Promise<QueryResult> {
  if (isFailedHash(r)) return { query: r.path, matches: [], error: r.error };
  return (await matcher.match(r.path, querySignals(r))).result;
}
