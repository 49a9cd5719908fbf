/**
 * Recomputes the spread clusters over every chat in the store from the stored hashes (so a resumed or repeated scan
 * gets the same clusters as one run, and a picture re-posted in a chat scanned last month is found), and stores them
 * with each media row's cluster id.
 */
import { clusterMedia } from '../../core/scan/cluster-media.js';
import type { VpdqFrame } from '../../core/content/media-hash.js';
import type { ScanRepo } from '../../io/db/repos/scan-repo.js';

/** Clusters all stored media; returns how many clusters have more than one post. */
export async function updateClusters(repo: ScanRepo): Promise<number> {
  const media = await repo.mediaForClustering();
  const matched = await repo.matchedMediaIds();
  const clusters = clusterMedia(media.map((m) => ({ ...m, vpdq: m.vpdq ? (JSON.parse(m.vpdq) as VpdqFrame[]) : null })));
  const assignment = new Map<number, number>();
  const rows = [];
  for (const c of clusters) {
    if (c.posts < 2) continue;
    for (const id of c.members) assignment.set(id, c.id);
    rows.push({
      id: c.id, media_class: c.mediaClass, representative: c.representative, posts: c.posts, chats: c.chats, senders: c.senders,
      first_seen: c.firstSeen, last_seen: c.lastSeen, bank_matches: c.members.filter((id) => matched.has(id)).length,
    });
  }
  await repo.replaceClusters(rows, assignment);
  return rows.length;
}
