/**
 * What hashing one media file yields: the signals of a photo or a video, or an error in words.
 * A typed result, never an empty string standing for a failed hash.
 */
import type { DihedralHashes } from '../signals/pdq/pdq-dihedral.js';

export interface VpdqFrame {
  frame: number;
  timestamp: number;
  pdq: string;
  quality: number;
}

/** One region_dct or region_mag value (core/signals/region_dct, region_mag) with the quality of its region. */
export interface RegionDctValue {
  value: string;
  quality: number;
}

export interface PhotoHashResult {
  path: string;
  kind: 'photo';
  pdq: string;
  quality: number;
  sha256: string;
  md5: string;
  dihedral?: DihedralHashes;
  /** region_dct values as a bank keeps them (the picture upright, trimmed, two central regions). */
  regionDct?: RegionDctValue[];
  /** region_dct forms a lookup tries (more regions, the picture inside a screenshot, untilted). */
  regionDctQuery?: RegionDctValue[];
  /** region_mag values as a bank keeps them (two central regions, shift-tolerant hash). */
  regionMag?: RegionDctValue[];
  /** region_mag forms a lookup tries (four central regions). */
  regionMagQuery?: RegionDctValue[];
  /** Off-centre region_mag forms a lookup tries (16), each matched only within REGION_MAG_SHIFTED_REACH. */
  regionMagShifted?: RegionDctValue[];
}

export interface VideoHashResult {
  path: string;
  kind: 'video';
  md5: string;
  sha256: string;
  durationSeconds: number;
  width: number;
  height: number;
  frameRate?: number;
  /** How frames were chosen and at what size, e.g. "1 fps, full resolution". */
  sampling?: string;
  truncatedAt?: number;
  notes?: string[];
  vpdq: VpdqFrame[];
  /** Clockwise quarter turn of the video's display matrix, when it has one. */
  displayTurn?: number;
  /** The frames hashed as shown (turned by displayTurn): a second vPDQ value, so a re-encode with the rotation
   * applied matches; `vpdq` stays the reference's (frames as stored). */
  vpdqShown?: VpdqFrame[];
}

export interface FailedHashResult {
  path: string;
  error: string;
  code?: string;
}

export type MediaHashResult = PhotoHashResult | VideoHashResult | FailedHashResult;

/** True when the result is an error. */
export function isFailedHash(r: MediaHashResult): r is FailedHashResult {
  return 'error' in r && typeof r.error === 'string';
}
