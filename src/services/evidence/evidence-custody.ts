/**
 * The chain-of-custody log of a package, before its own entry: which scans stored the posts (and their digests),
 * and which notices were drafted, sent and answered about them.
 */
import type { Kysely } from 'kysely';
import type { CustodyEntry } from '../../core/evidence/evidence-manifest.js';
import { noticeReference } from '../../core/notices/notice-payload.js';
import { FindingRepo, type StoredPost } from '../../io/db/repos/finding-repo.js';
import type { Database } from '../../io/db/schema.js';

/** Custody entries for the posts, oldest first. */
export async function custodyOfPosts(db: Kysely<Database>, posts: StoredPost[]): Promise<CustodyEntry[]> {
  const repo = new FindingRepo(db);
  const out: CustodyEntry[] = [];
  const perScan = new Map<number, number>();
  for (const p of posts) perScan.set(p.scanId, (perScan.get(p.scanId) ?? 0) + 1);
  for (const s of await repo.scans([...perScan.keys()])) {
    out.push({
      at: s.startedAt, who: 'unexpose scan', from: `scan ${s.id} (${s.status}${s.finishedAt ? `, finished ${s.finishedAt}` : ''})`,
      action: `hashed the media and stored the digests of ${perScan.get(s.id)} of these post(s); no text, name or image was stored`,
    });
  }
  for (const n of await repo.noticesCiting(posts)) {
    out.push({ at: n.createdAt, who: 'unexpose notices', from: `notice ${noticeReference(n.id)}`, action: `notice to ${n.recipient} drafted; now ${n.state}${n.sentAt ? `, sent ${n.sentAt}` : ''}${n.closedAt ? `, closed ${n.closedAt}` : ''}` });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}
