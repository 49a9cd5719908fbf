/**
 * What incremental clustering needs to know about one media file: which hashes of it are stored as PDQ bands
 * (photos of quality >= 50; up to CLUSTER_MAX_VIDEO_FRAMES distinct good frames of a video), which are looked up
 * for a new file (the photo's hash; CLUSTER_QUERY_FRAMES frames spread over a video), and whether two files join
 * one cluster (the rule of clusterMedia: same MD5; photos within 31 bits; videos with >= 80% of one's frames in
 * the other). Pure.
 */
import type { Signal } from '../signals/signal-type.js';
import { pdqDistance } from '../signals/pdq/pdq-hex.js';
import { compareVpdq, VPDQ_QUERY_MATCH_THRESHOLD_PERCENT } from '../signals/vpdq/vpdq-compare.js';
import { vpdqFeatures } from '../signals/vpdq/vpdq-signal.js';
import { CLUSTER_MIN_QUALITY, CLUSTER_PDQ_DISTANCE } from './cluster-media.js';

export const CLUSTER_MAX_VIDEO_FRAMES = 600;
export const CLUSTER_QUERY_FRAMES = 16;

/** A stored media file as clustering sees it. */
export interface ClusterItem {
  id: number;
  mediaClass: string;
  clusterId: number | null;
  pdq: string | null;
  quality: number | null;
  md5: string | null;
  /** Canonical vPDQ value (JSON), for videos. */
  vpdq: string | null;
}

/** The item's cluster-relevant signals from its stored signals. */
export function clusterItem(base: { id: number; mediaClass: string; clusterId: number | null }, signals: readonly Signal[]): ClusterItem {
  const of = (t: string) => signals.find((s) => s.type === t);
  return { ...base, pdq: of('pdq')?.value ?? null, quality: of('pdq')?.quality ?? null, md5: of('md5')?.value ?? null, vpdq: of('vpdq')?.value ?? null };
}

function goodFrames(vpdq: string): string[] {
  return [...new Set(vpdqFeatures(vpdq).filter((f) => f.quality >= CLUSTER_MIN_QUALITY).map((f) => f.pdq))];
}

/**
 * Hashes whose bands are stored for a media file.
 * @example storedClusterHashes({ pdq: 'ab..', quality: 90, ... }) // ['ab..']
 */
export function storedClusterHashes(m: Pick<ClusterItem, 'pdq' | 'quality' | 'vpdq'>): string[] {
  if (m.pdq && (m.quality ?? 0) >= CLUSTER_MIN_QUALITY) return [m.pdq];
  if (m.vpdq) return goodFrames(m.vpdq).slice(0, CLUSTER_MAX_VIDEO_FRAMES);
  return [];
}

/** Hashes of a new media file to look up: the photo's hash, or frames spread evenly over the video. */
export function queryClusterHashes(m: Pick<ClusterItem, 'pdq' | 'quality' | 'vpdq'>): string[] {
  if (m.pdq) return (m.quality ?? 0) >= CLUSTER_MIN_QUALITY ? [m.pdq] : [];
  if (!m.vpdq) return [];
  const frames = goodFrames(m.vpdq);
  if (frames.length <= CLUSTER_QUERY_FRAMES) return frames;
  return Array.from({ length: CLUSTER_QUERY_FRAMES }, (_, i) => frames[Math.floor((i * frames.length) / CLUSTER_QUERY_FRAMES)]);
}

/** A stored media file found by a band lookup: its PDQ and quality (null for a video, whose frames' bands are stored). */
export interface BandHit { id: number; pdq: string | null; quality: number | null }

/**
 * Whether a band hit can join the item by the near-copy rule, judged from the hit's PDQ alone: a photo within 31
 * bits for a photo; any video for a video (checked on its vPDQ by joinsCluster). Same-file copies are found by MD5.
 * @example mayJoinByBand(photo, { id: 7, pdq: photo.pdq, quality: 90 }) // true
 */
export function mayJoinByBand(item: Pick<ClusterItem, 'pdq' | 'quality'>, hit: BandHit): boolean {
  if (item.pdq) {
    return hit.pdq !== null && (item.quality ?? 0) >= CLUSTER_MIN_QUALITY && (hit.quality ?? 0) >= CLUSTER_MIN_QUALITY
      && pdqDistance(item.pdq, hit.pdq) <= CLUSTER_PDQ_DISTANCE;
  }
  return hit.pdq === null;
}

/**
 * True when two media files belong in one cluster.
 * @example joinsCluster(photoA, photoB) // true when their PDQs are within 31 bits and both are of quality >= 50
 */
export function joinsCluster(a: ClusterItem, b: ClusterItem): boolean {
  if (a.md5 && a.md5 === b.md5) return true;
  if (a.pdq && b.pdq) {
    return (a.quality ?? 0) >= CLUSTER_MIN_QUALITY && (b.quality ?? 0) >= CLUSTER_MIN_QUALITY && pdqDistance(a.pdq, b.pdq) <= CLUSTER_PDQ_DISTANCE;
  }
  if (a.vpdq && b.vpdq) {
    const r = compareVpdq(vpdqFeatures(a.vpdq), vpdqFeatures(b.vpdq));
    return r.queryMatchPercent >= VPDQ_QUERY_MATCH_THRESHOLD_PERCENT || r.comparedMatchPercent >= VPDQ_QUERY_MATCH_THRESHOLD_PERCENT;
  }
  return false;
}
