/**
 * Spread: groups posts of the same picture or video into clusters, across messages and chats. Photos join when
 * their PDQ hashes are within 31 bits (both of quality >= 50) or their files are identical (MD5); videos when their
 * MD5 is identical or at least 80% of one video's frames match the other's (python-threatexchange rule). Clusters are connected
 * components (union-find), so a chain of near-duplicates is one cluster. Pure: no I/O.
 */
import { HASH_WORDS } from '../index/hamming-index.js';
import { hexToWordsInto } from '../index/hash-words.js';
import { MultiIndexHashing } from '../index/multi-index-hashing.js';
import { compareVpdq, VPDQ_QUERY_MATCH_THRESHOLD_PERCENT } from '../signals/vpdq/vpdq-compare.js';
import type { VpdqFrame } from '../content/media-hash.js';

export const CLUSTER_PDQ_DISTANCE = 31;
export const CLUSTER_MIN_QUALITY = 50;

export interface ClusterInput {
  id: number;
  chatId: number;
  mediaClass: string;
  pdq: string | null;
  quality: number | null;
  md5: string | null;
  vpdq: VpdqFrame[] | null;
  senderHmac: string | null;
  unixTime: number | null;
}

export interface MediaCluster {
  /** The smallest media id in the cluster: stable across runs over the same data. */
  id: number;
  mediaClass: string;
  /** PDQ of the earliest post (MD5 for a video). */
  representative: string;
  members: number[];
  posts: number;
  chats: number;
  senders: number;
  firstSeen: number | null;
  lastSeen: number | null;
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]];
      x = this.parent[x];
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

function joinExact(items: ClusterInput[], uf: UnionFind): void {
  const firstByMd5 = new Map<string, number>();
  items.forEach((m, i) => {
    if (!m.md5) return;
    const first = firstByMd5.get(m.md5);
    if (first === undefined) firstByMd5.set(m.md5, i);
    else uf.union(first, i);
  });
}

function joinPhotos(items: ClusterInput[], uf: UnionFind): void {
  const photos = items.map((m, i) => ({ m, i })).filter(({ m }) => m.pdq && (m.quality ?? 0) >= CLUSTER_MIN_QUALITY);
  const words = new Uint32Array(photos.length * HASH_WORDS);
  photos.forEach(({ m }, k) => hexToWordsInto(m.pdq!, words, k * HASH_WORDS));
  const index = MultiIndexHashing.build(Uint32Array.from(photos.keys()), words);
  photos.forEach(({ i }, k) => {
    for (const hit of index.query(words.subarray(k * HASH_WORDS, (k + 1) * HASH_WORDS), CLUSTER_PDQ_DISTANCE)) {
      if (hit.id > k) uf.union(i, photos[hit.id].i);
    }
  });
}

function joinVideos(items: ClusterInput[], uf: UnionFind): void {
  const videos = items.map((m, i) => ({ m, i })).filter(({ m }) => m.vpdq && m.vpdq.length > 0);
  for (let a = 0; a < videos.length; a++) {
    for (let b = a + 1; b < videos.length; b++) {
      if (uf.find(videos[a].i) === uf.find(videos[b].i)) continue;
      // One video is (mostly) inside the other: a re-post, a clip of it, or it with a logo.
      const r = compareVpdq(videos[a].m.vpdq!, videos[b].m.vpdq!);
      if (r.queryMatchPercent >= VPDQ_QUERY_MATCH_THRESHOLD_PERCENT || r.comparedMatchPercent >= VPDQ_QUERY_MATCH_THRESHOLD_PERCENT) {
        uf.union(videos[a].i, videos[b].i);
      }
    }
  }
}

/**
 * Every cluster of the given media, including single posts (posts = 1).
 * @example clusterMedia(rows).filter((c) => c.posts > 1) // pictures posted more than once
 */
export function clusterMedia(items: ClusterInput[]): MediaCluster[] {
  const uf = new UnionFind(items.length);
  joinExact(items, uf);
  joinPhotos(items, uf);
  joinVideos(items, uf);
  const groups = new Map<number, number[]>();
  items.forEach((_, i) => {
    const root = uf.find(i);
    const g = groups.get(root);
    if (g) g.push(i);
    else groups.set(root, [i]);
  });
  const out: MediaCluster[] = [];
  for (const members of groups.values()) {
    const ms = members.map((i) => items[i]);
    const times = ms.map((m) => m.unixTime).filter((t): t is number => t !== null);
    const earliest = [...ms].sort((a, b) => (a.unixTime ?? Infinity) - (b.unixTime ?? Infinity) || a.id - b.id)[0];
    out.push({
      id: Math.min(...ms.map((m) => m.id)),
      mediaClass: earliest.mediaClass,
      representative: earliest.pdq ?? earliest.md5 ?? '',
      members: ms.map((m) => m.id),
      posts: ms.length,
      chats: new Set(ms.map((m) => m.chatId)).size,
      senders: new Set(ms.map((m) => m.senderHmac).filter((s) => s !== null)).size,
      firstSeen: times.length ? Math.min(...times) : null,
      lastSeen: times.length ? Math.max(...times) : null,
    });
  }
  return out.sort((a, b) => b.chats - a.chats || b.posts - a.posts || a.id - b.id);
}
