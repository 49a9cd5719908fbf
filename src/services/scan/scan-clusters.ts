/**
 * Incremental spread clusters: each media file a scan stored is looked up, by index, among the stored media (its
 * exact copies by MD5, its near copies by PDQ bands, then checked with the full rule), and joined with them and
 * their clusters. A pass reads what touches its own new media, never the whole store, so its cost follows the
 * scan's size; passes run one at a time, so scans at once give the clusters scans one after the other give.
 * A cluster is named by its smallest media id, as a full clustering of the same media would name it.
 */
import { joinsCluster, mayJoinByBand, queryClusterHashes, type ClusterItem } from '../../core/scan/cluster-keys.js';
import { bandProbes } from '../../core/scan/pdq-bands.js';
import type { ClusterRepo } from '../../io/db/repos/cluster-repo.js';

/** Media files looked at per transaction. */
export const CLUSTER_PAGE = 500;

class UnionFind {
  private readonly parent = new Map<number, number>();
  find(x: number): number {
    let p = this.parent.get(x) ?? x;
    while (p !== x) {
      const up = this.parent.get(p) ?? p;
      this.parent.set(x, up);
      x = p;
      p = up;
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (!this.parent.has(ra)) this.parent.set(ra, ra);
    if (!this.parent.has(rb)) this.parent.set(rb, rb);
    if (ra !== rb) this.parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  /** Every element joined with another so far. */
  nodes(): number[] {
    return [...this.parent.keys()];
  }
  groups(): number[][] {
    const by = new Map<number, number[]>();
    for (const x of this.parent.keys()) {
      const r = this.find(x);
      const g = by.get(r);
      if (g) g.push(x);
      else by.set(r, [x]);
    }
    return [...by.values()];
  }
}

/** Clusters every media file not yet clustered; returns how many media files were looked at. */
export async function updateClusters(repo: ClusterRepo): Promise<number> {
  let seen = 0;
  for (;;) {
    const n = await repo.locked(async (r) => {
      const pending = await r.pendingMedia(CLUSTER_PAGE);
      if (pending.length === 0) return 0;
      const known = new Map<number, ClusterItem>();
      const remember = (items: ClusterItem[]) => { for (const i of items) known.set(i.id, i); };
      remember(await r.items(pending));
      const items = pending.map((id) => known.get(id)!).filter((i) => i !== undefined);
      // The page's lookups at once: its MD5s, and its hashes' band probes (one query per band). Band hits grow with
      // the store (random 16-bit matches); only those within reach of the rule are kept and read in full.
      const sameFile = await r.sameFiles(items.flatMap((i) => (i.md5 ? [i.md5] : [])));
      const near = await r.bandCandidates(items.map((i) => queryClusterHashes(i).map(bandProbes)), (k, hit) => mayJoinByBand(items[k], hit));
      const candidatesOf = items.map((item, k) => {
        const c = new Set<number>([...(item.md5 ? sameFile.get(item.md5) ?? [] : []), ...near[k]]);
        c.delete(item.id);
        return c;
      });
      remember(await r.items([...new Set(candidatesOf.flatMap((c) => [...c]))].filter((c) => !known.has(c))));
      const uf = new UnionFind();
      items.forEach((item, k) => {
        for (const c of candidatesOf[k]) if (known.has(c) && joinsCluster(item, known.get(c)!)) uf.union(item.id, c);
      });
      // A joined media file that is in a stored cluster brings the whole cluster along (named by its smallest
      // member, a media id itself): two groups that touch one cluster become one.
      for (const id of uf.nodes()) {
        const c = known.get(id)?.clusterId;
        if (c !== null && c !== undefined) uf.union(id, c);
      }
      for (const group of uf.groups()) {
        if (group.length < 2) continue;
        const clusterIds = [...new Set(group.map((m) => known.get(m)?.clusterId).filter((c): c is number => c !== null && c !== undefined))];
        const id = Math.min(...group, ...clusterIds);
        await r.merge(id, group, clusterIds);
        await r.refresh(id);
      }
      await r.markClustered(pending);
      return pending.length;
    });
    if (n === 0) return seen;
    seen += n;
  }
}
