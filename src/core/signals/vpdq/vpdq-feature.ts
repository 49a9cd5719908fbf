/**
 * One hashed video frame, the unit vPDQ works with: frame number (0-based, decode order), timestamp in seconds,
 * PDQ hash (64 hex digits) and PDQ quality (0..100). The same shape `unexpose hash` prints in `vpdq`.
 */
import type { VpdqFrame } from '../../content/media-hash.js';

export type VpdqFeature = VpdqFrame;
