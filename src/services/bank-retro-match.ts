/**
 * Retro-matching: when a bank gains entries, they are looked up in everything earlier scans stored (media signals
 * and identifier findings), so that a victim who comes forward in March learns what was posted in January. The
 * new matches are stored with found_by = 'retro' and returned. Cost: exact types and identifiers, an index lookup;
 * PDQ, one multi-index over the stored media values, built once per import (a RetroIndexCache shared by its
 * pages) and queried with each added value; then the normal matcher on the few hits.
 */
import { thresholdFor } from '../core/banks/bank.js';
import { collectHashes } from '../core/index/collect-hashes.js';
import { HASH_WORDS, type HammingIndex } from '../core/index/hamming-index.js';
import { hexToWordsInto } from '../core/index/hash-words.js';
import { buildHammingIndex } from '../core/index/index-spec.js';
import type { CandidateHit } from '../core/match/resolve-matches.js';
import type { MatchReport } from '../core/scan/scan-report.js';
import { signalTypes, type SignalRegistry } from '../core/signals/registry.js';
import type { Signal, SignalType } from '../core/signals/signal-type.js';
import type { BankRepo, StoredEntry } from '../io/db/repos/bank-repo.js';
import type { MatchRepo, MatchRow } from '../io/db/repos/match-repo.js';
import type { StoredSignalRepo } from '../io/db/repos/stored-signal-repo.js';
import type { Progress } from '../core/progress.js';
import { SignalMatcher } from './match/signal-matcher.js';
import { matchReport, postRef } from './scan/scan-report.js';

/** The stored media values of a Hamming type as an index (ids = media ids), kept between the pages of one import. */
export type RetroIndexCache = Map<string, HammingIndex>;

export interface RetroMatchDeps {
  banks: BankRepo;
  stored: StoredSignalRepo;
  matches: MatchRepo;
  registry?: SignalRegistry;
  now?: () => Date;
}

/**
 * Matches the added entries against the stored scans; returns the new matches (already stored).
 * @example const found = await retroMatch(deps, added) // [{ chat: 'telegram_export:42', messageId: 7, foundBy: 'retro', ... }]
 */
export async function retroMatch(deps: RetroMatchDeps, added: readonly StoredEntry[], onProgress?: (p: Progress) => void,
  cache: RetroIndexCache = new Map()): Promise<MatchReport[]> {
  if (added.length === 0) return [];
  const registry = deps.registry ?? signalTypes;
  const byType = new Map<SignalType, string[]>();
  for (const e of added) {
    const t = registry.get(e.signalType);
    if (!t) continue;
    const values = byType.get(t);
    if (values) values.push(e.signal);
    else byType.set(t, [e.signal]);
  }
  const mediaIds = new Set<number>();
  const mentions: { chatId: number; messageId: number; signal: Signal }[] = [];
  let done = 0;
  for (const [type, values] of byType) {
    if (type.contentKinds.includes('text')) {
      for (const f of await deps.stored.findingsWithHmacs(type.name, values)) mentions.push({ chatId: f.chatId, messageId: f.messageId, signal: { type: type.name, value: f.hmac } });
    } else if (type.indexKind === 'exact') {
      for (const id of await deps.stored.mediaWithValues(type.name, values)) mediaIds.add(id);
    } else {
      for (const id of await nearMedia(deps, type, values, cache)) mediaIds.add(id);
    }
    onProgress?.({ job: 'retro_match', done: ++done, total: byType.size, unit: 'signal types' });
  }
  const addedIds = new Set(added.map((e) => e.id));
  const matcher = new SignalMatcher({ banks: deps.banks, registry });
  const foundAt = (deps.now ?? (() => new Date()))().toISOString();
  const rows: MatchRow[] = [];
  const keep = (chatId: number, messageId: number, matched: CandidateHit[]) => {
    for (const h of matched) {
      if (!addedIds.has(h.entry.id)) continue;
      rows.push({ chat_id: chatId, message_id: messageId, entry_id: h.entry.id, signal_type: h.entry.signalType, distance: h.distance,
        found_by: 'retro', scan_id: null, found_at: foundAt });
    }
  };
  const ids = [...mediaIds];
  const signals = await deps.stored.signalsOfMedia(ids);
  const messages = await deps.stored.messagesOfMedia(ids);
  for (const id of ids) {
    const at = messages.get(id);
    if (!at) continue;
    keep(at.chatId, at.messageId, (await matcher.match(`media ${id}`, signals.get(id) ?? [])).matched);
  }
  for (const m of mentions) keep(m.chatId, m.messageId, (await matcher.match(`message ${m.messageId}`, [m.signal])).matched);
  const fresh = await deps.matches.insert(rows);
  return (await deps.matches.ofRows(fresh)).map((m) => matchReport(m, postRef({ chatKey: m.chatKey, source: m.chatSource, type: m.chatType, externalId: m.chatExternalId }, m.messageId)));
}

/**
 * Stored media within the widest bank threshold of any added value. PDQ: the stored values are read once into an
 * index (cached for the next page of the same import) and each added value is looked up in it; other types compare
 * every stored value with every added one (they are small: vPDQ banks hold a video's frames per entry).
 */
async function nearMedia(deps: RetroMatchDeps, type: SignalType, values: string[], cache: RetroIndexCache): Promise<number[]> {
  const banks = (await deps.banks.listBanks()).filter((b) => b.enabled);
  const radius = Math.min(type.maxThreshold, Math.max(-1, ...banks.map((b) => thresholdFor(b, type))));
  if (radius < 0) return [];
  const out = new Set<number>();
  if (type.indexKind === 'hamming-256') {
    let index = cache.get(type.name);
    if (!index) {
      const { ids, words } = await collectHashes(mediaPages(deps, type.name));
      index = buildHammingIndex(type.hammingIndex, ids, words);
      cache.set(type.name, index);
    }
    if (index.size === 0) return [];
    const q = new Uint32Array(HASH_WORDS);
    for (const v of values) {
      hexToWordsInto(v, q, 0);
      for (const hit of index.query(q, radius)) out.add(hit.id);
    }
    return [...out];
  }
  for await (const page of deps.stored.streamMediaSignals(type.name)) {
    for (const s of page) if (values.some((v) => type.compare(s.value, v, radius).match)) out.add(s.mediaId);
  }
  return [...out];
}

async function* mediaPages(deps: RetroMatchDeps, type: string): AsyncGenerator<{ ids: number[]; signals: string[] }> {
  for await (const page of deps.stored.streamMediaSignals(type, 20_000)) yield { ids: page.map((s) => s.mediaId), signals: page.map((s) => s.value) };
}
