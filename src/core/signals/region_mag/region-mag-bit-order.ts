/**
 * The bit order the multi-index uses for region_mag values (core/index/bit-order.ts): 256 SimHash bits of the
 * ranks of only 40 magnitudes, so many bits are strongly correlated and biased, and contiguous substrings of them
 * fill few buckets. This order, learnt by bench/robust/learn-bit-order.ts region_mag from 7000 real values (random
 * regions of 10 PDQ sample photos and of scenes) for 11 substrings, puts weakly correlated bits together.
 * Any order keeps the index's guarantee; changing it needs no migration (indexes are rebuilt at load).
 * Learnt from the values before their balancing (2026-12-01: magnitude-hash.ts), whose bits it was made for; the
 * matcher does not use it (natural order), only the benches' "ordered" kind: re-learn it before comparing again.
 */
import type { BitOrder } from '../../index/bit-order.js';

export const REGION_MAG_BIT_ORDER: BitOrder = Uint8Array.from([
  4, 10, 13, 47, 49, 59, 70, 87, 97, 101, 111, 127, 134, 136, 147, 169,
  177, 179, 195, 197, 223, 224, 232, 248, 19, 24, 27, 29, 30, 33, 40, 55,
  63, 65, 68, 73, 76, 91, 105, 106, 125, 126, 143, 158, 196, 200, 210, 247,
  9, 25, 26, 52, 54, 58, 61, 78, 90, 93, 118, 119, 122, 124, 137, 139,
  150, 166, 193, 205, 229, 238, 240, 242, 85, 94, 99, 103, 113, 114, 123, 145,
  151, 162, 164, 165, 168, 170, 171, 186, 192, 199, 203, 208, 215, 233, 251, 5,
  12, 15, 17, 34, 36, 41, 66, 79, 81, 89, 108, 110, 130, 133, 140, 160,
  194, 198, 202, 209, 234, 250, 18, 20, 23, 38, 39, 43, 46, 51, 53, 69,
  82, 83, 95, 104, 117, 129, 131, 149, 157, 174, 183, 206, 230, 3, 21, 31,
  45, 60, 62, 75, 98, 102, 141, 153, 156, 163, 172, 176, 178, 180, 182, 190,
  216, 243, 249, 255, 6, 35, 37, 50, 72, 92, 96, 100, 107, 112, 146, 148,
  152, 161, 175, 184, 191, 201, 211, 218, 235, 244, 254, 1, 8, 16, 22, 44,
  64, 74, 80, 121, 128, 135, 138, 159, 181, 217, 219, 221, 226, 228, 231, 237,
  246, 253, 0, 2, 14, 28, 42, 77, 84, 115, 142, 144, 173, 187, 188, 189,
  204, 212, 214, 220, 222, 227, 236, 239, 252, 7, 11, 32, 48, 56, 57, 67,
  71, 86, 88, 109, 116, 120, 132, 154, 155, 167, 185, 207, 213, 225, 241, 245,
]);
