/**
 * From a hashed media file to its signals: each signal type in the registry that is computed from media says
 * which values it takes from the hash result (pdq: the photo's PDQ and quality; md5/sha256: the file digests;
 * vpdq: the video's frames). Pure.
 */
import { DIHEDRAL_NAMES } from '../signals/pdq/pdq-dihedral.js';
import { signalTypes, type SignalRegistry } from '../signals/registry.js';
import type { Signal } from '../signals/signal-type.js';
import { REGION_MAG_SHIFTED_REACH } from '../signals/region_mag/region-mag.js';
import type { PhotoHashResult, VideoHashResult } from './media-hash.js';

/**
 * Every signal of a media file, as its types take them from the hash result (a photo: pdq, region_dct x7,
 * region_mag x2, md5, sha256; a video with a display rotation: two vpdq values).
 * @example mediaSignals(photoResult).map((s) => s.type) // ['pdq', 'region_dct', ..., 'region_mag', 'region_mag', 'md5', 'sha256']
 */
export function mediaSignals(r: PhotoHashResult | VideoHashResult, registry: SignalRegistry = signalTypes): Signal[] {
  return registry.all().flatMap((t) => t.fromMedia?.(r) ?? []);
}

/**
 * The signals a scan stores for a media file: one per type, the first the type gives (a photo's whole trimmed
 * region_dct value; a video's vPDQ as stored, the reference's). A bank keeps every value (see bank-file-format.ts).
 * @example storedSignals(photoResult).filter((s) => s.type === 'region_dct').length // 1
 */
export function storedSignals(r: PhotoHashResult | VideoHashResult, registry: SignalRegistry = signalTypes): Signal[] {
  const seen = new Set<string>();
  return mediaSignals(r, registry).filter((s) => !seen.has(s.type) && seen.add(s.type));
}

/**
 * The signals to look up for a media file: its stored ones, then the 7 rotated/flipped PDQ forms when the hash
 * result has them (as extra `pdq` signals: the matcher queries every form of a type at once), and the region_dct
 * and region_mag forms a lookup tries when the photo was hashed for a lookup (the off-centre region_mag forms with
 * their reach).
 */
export function querySignals(r: PhotoHashResult | VideoHashResult, registry: SignalRegistry = signalTypes): Signal[] {
  const out = mediaSignals(r, registry);
  if (r.kind === 'photo' && r.dihedral) for (const n of DIHEDRAL_NAMES) out.push({ type: 'pdq', value: r.dihedral[n], quality: r.quality });
  // The looked-up forms of the robust types replace the banked ones (they include the trimmed whole picture).
  let result = out;
  if (r.kind === 'photo') {
    for (const [type, forms] of [['region_dct', r.regionDctQuery], ['region_mag', r.regionMagQuery]] as const) {
      if (!forms || !registry.has(type)) continue;
      result = [...result.filter((s) => s.type !== type), ...forms.map((v) => ({ type, value: v.value, quality: v.quality }))];
    }
    if (r.regionMagShifted && registry.has('region_mag')) {
      result.push(...r.regionMagShifted.map((v) => ({ type: 'region_mag', value: v.value, quality: v.quality, reach: REGION_MAG_SHIFTED_REACH })));
    }
  }
  return result;
}
