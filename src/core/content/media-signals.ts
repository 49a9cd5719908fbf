/**
 * From a hashed media file to its signals: each signal type in the registry that is computed from media says
 * which values it takes from the hash result (pdq: the photo's PDQ and quality; md5/sha256: the file digests;
 * vpdq: the video's frames). Pure.
 */
import { DIHEDRAL_NAMES } from '../signals/pdq/pdq-dihedral.js';
import { signalTypes, type SignalRegistry } from '../signals/registry.js';
import type { Signal } from '../signals/signal-type.js';
import type { PhotoHashResult, VideoHashResult } from './media-hash.js';

/**
 * The stored signals of a media file, one per type.
 * @example mediaSignals(photoResult).map((s) => s.type) // ['pdq', 'md5', 'sha256']
 */
export function mediaSignals(r: PhotoHashResult | VideoHashResult, registry: SignalRegistry = signalTypes): Signal[] {
  return registry.all().flatMap((t) => t.fromMedia?.(r) ?? []);
}

/**
 * The signals to look up for a media file: its stored ones, then the 7 rotated/flipped PDQ forms when the hash
 * result has them (as extra `pdq` signals: the matcher queries every form of a type at once).
 */
export function querySignals(r: PhotoHashResult | VideoHashResult, registry: SignalRegistry = signalTypes): Signal[] {
  const out = mediaSignals(r, registry);
  if (r.kind === 'photo' && r.dihedral) for (const n of DIHEDRAL_NAMES) out.push({ type: 'pdq', value: r.dihedral[n], quality: r.quality });
  return out;
}
