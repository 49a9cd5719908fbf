/**
 * The browser-safe entry of the core, published as `unexpose/core` (package.json "exports"): what a victim's page,
 * a worker or another runtime needs without Node — PDQ hashing of decoded pixels, vPDQ comparison, Hamming
 * matching against an index, the signal-type registry (parse, normalise, compare), and finding, normalising and
 * redacting phone numbers and handles, and the robust photo signals (region_dct, region_mag) of decoded pixels with
 * their EXIF orientation. Nothing here touches
 * Node, the file system or a database; test/lint/browser-bundle.test.ts bundles it for the browser to prove it.
 * Decoding images (sharp) and video (ffmpeg) stays in io/: a page decodes with its canvas and passes the pixels.
 */
export { hashPdqPixels, hashPdqPixelsWithDihedral, hashPdqGrid, pdqQuality, PDQ_MIN_DIMENSION, type PdqResult, type PdqResultWithDihedral } from './signals/pdq/pdq-hash.js';
export { PdqHasher } from './signals/pdq/pdq-hasher.js';
export { pdqDistance, parsePdqHex, isPdqHex, pdqHexToWords, pdqWordsToHex, PDQ_HEX_LENGTH, PDQ_BITS } from './signals/pdq/pdq-hex.js';
export type { PixelGrid } from './signals/pdq/pixel-grid.js';
export { compareVpdq, VPDQ_DISTANCE_THRESHOLD, VPDQ_QUALITY_THRESHOLD, type VpdqComparison, type VpdqCompareOptions } from './signals/vpdq/vpdq-compare.js';
export type { VpdqFeature } from './signals/vpdq/vpdq-feature.js';
export { LinearIndex } from './index/linear-index.js';
export { MultiIndexHashing } from './index/multi-index-hashing.js';
export type { HammingHit, HammingIndex } from './index/hamming-index.js';
export { resolveMatches, type CandidateHit, type Resolved, type ResolveOptions } from './match/resolve-matches.js';
export { signalTypes, type SignalRegistry } from './signals/registry.js';
export type { SignalType } from './signals/signal-type.js';
export { detectMediaKind, MEDIA_SNIFF_BYTES } from './content/detect-media-kind.js';
export { findIdentifiers, identifierKey, redactIdentifiers, type IdentifierOptions } from './identifiers/index.js';
export { robustPhotoSignals, MIN_ROBUST_QUALITY, MIN_ROBUST_SIDE, type RobustSignals, type SignalRole } from './picture/picture-signals.js';
export { isOrientation, type Orientation } from './picture/luma-plane.js';
export type { RegionDctValue } from './content/media-hash.js';
export { storedPixelsFromShown } from './picture/stored-pixels.js';
export { jsPictureKernels, type PictureKernels } from './picture/picture-kernels.js';
export { createWasmPictureKernels } from './picture/wasm/picture-wasm.js';
