/**
 * Answers match queries: hashes given as text (PDQ / SHA-256 as 64 hex digits, MD5 as 32) and media paths
 * (hashed in memory by hash-media: photos by PDQ, optionally its dihedral forms, MD5 and SHA-256; videos by vPDQ,
 * MD5 and SHA-256). Each query yields one answer with every match, its distance, bank, source reference and
 * labels; a bad query yields an answer with an error and the rest go on.
 */
import type { Bank } from '../core/banks/bank.js';
import { MAX_PDQ_THRESHOLD } from '../core/banks/bank.js';
import { parseVpdqFrames } from '../core/banks/bank-signal.js';
import { isFailedHash, type MediaHashResult } from '../core/content/media-hash.js';
import { describeError } from '../core/errors.js';
import { hexToWordsInto } from '../core/index/hash-words.js';
import { FloodGuard, type FloodGuardOptions } from '../core/match/flood-guard.js';
import type { QueryResult } from '../core/match/match-result.js';
import { resolveMatches, type CandidateHit } from '../core/match/resolve-matches.js';
import { DIHEDRAL_NAMES } from '../core/signals/pdq/pdq-dihedral.js';
import { compareVpdq } from '../core/signals/vpdq/vpdq-compare.js';
import type { VpdqFeature } from '../core/signals/vpdq/vpdq-feature.js';
import type { BankRepo, EntryWithBank } from '../io/db/repos/bank-repo.js';
import type { HashFileOptions } from './hash-file.js';
import { hashPaths } from './hash-media.js';
import { PdqMatchIndex } from './match-index.js';

export interface MatchDeps {
  repo: BankRepo;
  /** A loaded index to use (e.g. one kept by a server); loaded from the store on first need when absent. */
  index?: PdqMatchIndex;
  /** The SQLite file behind repo, if any: a big index then loads on two threads. */
  dbPath?: string;
  now?: () => Date;
}

export interface MatchOptions {
  /** Answer from these banks only (negative banks always apply). */
  banks?: string[];
  /** Also look up the 7 rotated/flipped forms of each photo. */
  dihedral?: boolean;
  hashOptions?: HashFileOptions;
  flood?: FloodGuardOptions;
  onIndexLoaded?: (info: { entries: number; ms: number; bytes: number }) => void;
}

const PATHS_PER_RUN = 256;
const HEX_RE = /^[0-9a-fA-F]+$/;

type Query =
  | { query: string; pdq?: { variants: Uint32Array[]; hex: string; quality?: number }; exact: { type: 'md5' | 'sha256'; value: string }[]; vpdq?: VpdqFeature[] }
  | { query: string; error: string };

/**
 * Matches every input, in order.
 * @example for await (const r of matchQueries({ repo }, ['f8f8...'])) console.log(r.matches)
 */
export async function* matchQueries(deps: MatchDeps, inputs: AsyncIterable<string> | Iterable<string>, opts: MatchOptions = {}): AsyncGenerator<QueryResult> {
  for (const name of opts.banks ?? []) await deps.repo.requireBank(name);
  const matcher = new Matcher(deps, opts);
  let paths: string[] = [];
  const runPaths = async function* (): AsyncGenerator<QueryResult> {
    const run = paths;
    paths = [];
    if (run.length === 0) return;
    for await (const r of hashPaths(run, { ...opts.hashOptions, dihedral: opts.dihedral })) {
      yield await matcher.answer(queryFromMedia(r));
    }
  };
  for await (const raw of inputs) {
    const text = raw.trim();
    if (text === '') continue;
    if (HEX_RE.test(text) && (text.length === 64 || text.length === 32)) {
      yield* runPaths();
      yield await matcher.answer(queryFromHex(text));
    } else if (HEX_RE.test(text) && text.length >= 16) {
      yield* runPaths();
      yield { query: text, matches: [], error: `not a hash: ${text.length} hex digits (PDQ and SHA-256 have 64, MD5 32)` };
    } else {
      paths.push(text);
      if (paths.length >= PATHS_PER_RUN) yield* runPaths();
    }
  }
  yield* runPaths();
}

function queryFromHex(text: string): Query {
  const hex = text.toLowerCase();
  if (hex.length === 32) return { query: text, exact: [{ type: 'md5', value: hex }] };
  const w = new Uint32Array(8);
  hexToWordsInto(hex, w, 0);
  return { query: text, pdq: { variants: [w], hex }, exact: [{ type: 'sha256', value: hex }] };
}

function queryFromMedia(r: MediaHashResult): Query {
  if (isFailedHash(r)) return { query: r.path, error: r.error };
  const exact = [{ type: 'md5' as const, value: r.md5 }, { type: 'sha256' as const, value: r.sha256 }];
  if (r.kind === 'video') return { query: r.path, exact, vpdq: r.vpdq };
  const variants = [r.pdq, ...(r.dihedral ? DIHEDRAL_NAMES.map((n) => r.dihedral![n]) : [])].map((hex) => {
    const w = new Uint32Array(8);
    hexToWordsInto(hex, w, 0);
    return w;
  });
  return { query: r.path, pdq: { variants, hex: r.pdq, quality: r.quality }, exact };
}

/** Holds what a run needs once: the banks, the index, the vPDQ entries, the flood guard. */
class Matcher {
  private banks: Bank[] | undefined;
  private index: PdqMatchIndex | undefined;
  private vpdqEntries: { entry: EntryWithBank; frames: VpdqFeature[] }[] | undefined;
  private readonly guard: FloodGuard;

  constructor(private readonly deps: MatchDeps, private readonly opts: MatchOptions) {
    this.index = deps.index;
    this.guard = new FloodGuard(opts.flood);
  }

  async answer(q: Query): Promise<QueryResult> {
    if ('error' in q) return { query: q.query, matches: [], error: q.error };
    try {
      const candidates: CandidateHit[] = [];
      if (q.pdq) candidates.push(...(await this.pdqCandidates(q.pdq.variants)));
      for (const x of q.exact) {
        for (const e of await this.deps.repo.findExact(x.type, x.value)) candidates.push({ entry: e, bank: e.bank, distance: 0 });
      }
      if (q.vpdq) candidates.push(...(await this.vpdqCandidates(q.vpdq)));
      const { result, matched } = resolveMatches(q.query, candidates, { banks: this.opts.banks, queryQuality: q.pdq?.quality });
      return await this.guardFlood(result, matched);
    } catch (err) {
      return { query: q.query, matches: [], error: describeError(err) };
    }
  }

  private async pdqCandidates(variants: Uint32Array[]): Promise<CandidateHit[]> {
    this.banks ??= await this.deps.repo.listBanks();
    const radius = Math.min(MAX_PDQ_THRESHOLD, Math.max(-1, ...this.banks.filter((b) => b.enabled).map((b) => b.pdqThreshold)));
    if (radius < 0) return [];
    if (!this.index) {
      this.index = await PdqMatchIndex.load(this.deps.repo, { dbPath: this.deps.dbPath });
      this.opts.onIndexLoaded?.({ entries: this.index.size, ms: this.index.buildMs, bytes: this.index.bytes });
    }
    const hits = this.index.query(variants, radius);
    if (hits.length === 0) return [];
    const distance = new Map(hits.map((h) => [h.id, h.distance]));
    const entries = await this.deps.repo.entriesWithBanks(hits.map((h) => h.id));
    return entries.map((e) => ({ entry: e, bank: e.bank, distance: distance.get(e.id)! }));
  }

  private async vpdqCandidates(frames: VpdqFeature[]): Promise<CandidateHit[]> {
    this.vpdqEntries ??= (await this.deps.repo.entriesOfType('vpdq')).map((entry) => ({
      entry,
      frames: parseVpdqFrames(entry.signal).map((f, i) => ({ frame: i, timestamp: f.timestamp ?? 0, pdq: f.pdq, quality: f.quality })),
    }));
    const out: CandidateHit[] = [];
    for (const { entry, frames: bankFrames } of this.vpdqEntries) {
      const c = compareVpdq(frames, bankFrames);
      if (!c.match) continue;
      out.push({
        entry, bank: entry.bank, distance: round2(100 - c.queryMatchPercent),
        query_match_percent: round2(c.queryMatchPercent), compared_match_percent: round2(c.comparedMatchPercent),
      });
    }
    return out;
  }

  /** Counts the matches; an entry that floods is quarantined in the store and dropped from this answer on. */
  private async guardFlood(result: QueryResult, matched: CandidateHit[]): Promise<QueryResult> {
    const flooding = new Set(this.guard.record(matched.map((m) => m.entry.id)));
    if (flooding.size === 0) return result;
    const now = (this.deps.now ?? (() => new Date()))().toISOString();
    const quarantined: NonNullable<QueryResult['quarantined']> = [];
    for (const m of matched) {
      if (!flooding.has(m.entry.id)) continue;
      const n = this.guard.count(m.entry.id);
      await this.deps.repo.quarantineEntry(m.entry.id, `flood: matched ${n} queries in one run, far more than other entries`, now);
      quarantined.push({ bank: m.bank.name, signal: m.entry.signal, matches_this_run: n });
    }
    // Later queries must not see it either: the store now says quarantined, and the answer drops it here.
    return { ...result, matches: result.matches.filter((_, i) => !flooding.has(matched[i].entry.id)), quarantined };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * A matcher for media already hashed elsewhere (a scan hashes in its own pool): one answer per hashed file,
 * with the same rules as `unexpose match` (thresholds, negative banks, flood guard).
 * @example const match = createMediaMatcher({ repo }); const answer = await match(hashResult)
 */
export function createMediaMatcher(deps: MatchDeps, opts: MatchOptions = {}): (r: MediaHashResult) => Promise<QueryResult> {
  const matcher = new Matcher(deps, opts);
  return (r) => matcher.answer(queryFromMedia(r));
}
