/**
 * The bit order the multi-index uses for region_mag values (core/index/bit-order.ts): 256 SimHash bits of the
 * ranks of only 40 magnitudes, so many bits are strongly correlated and biased, and contiguous substrings of them
 * fill few buckets. This order, learnt by bench/robust/learn-bit-order.ts region_mag from 7000 real values (random
 * regions of 10 PDQ sample photos and of scenes) for 11 substrings, puts weakly correlated bits together.
 * Any order keeps the index's guarantee; changing it needs no migration (indexes are rebuilt at load).
 * Re-learnt 2026-12-01 after the balancing. The matcher does not use it (natural order), only the benches: at 1M
 * Gaussian-model pictures it halves the candidates per value (272 -> 131, bench:robust-lookup natural@8 vs
 * ordered@8), but exact to 8 it finds 2 fewer real edits (bench/robust/index-recall.ts morder=learnt: 633/666 vs
 * 635/666; exact to 10: 635/666).
 */
import type { BitOrder } from '../../index/bit-order.js';

export const REGION_MAG_BIT_ORDER: BitOrder = Uint8Array.from([
  9, 20, 31, 36, 38, 43, 53, 59, 70, 98, 115, 129, 130, 131, 140, 152,
  160, 173, 177, 179, 198, 223, 224, 247, 2, 3, 8, 25, 29, 54, 96, 127,
  155, 157, 174, 178, 189, 191, 215, 220, 222, 226, 227, 234, 235, 240, 245, 253,
  10, 15, 32, 37, 41, 48, 55, 64, 77, 78, 85, 116, 119, 120, 122, 137,
  147, 181, 193, 205, 211, 214, 237, 252, 11, 18, 19, 23, 26, 33, 50, 57,
  60, 88, 90, 103, 132, 135, 139, 185, 202, 203, 207, 209, 217, 221, 229, 34,
  47, 49, 63, 68, 72, 87, 91, 97, 105, 108, 125, 133, 136, 159, 168, 171,
  188, 197, 201, 208, 246, 254, 1, 16, 30, 40, 67, 89, 92, 93, 110, 113,
  134, 138, 153, 158, 162, 165, 166, 180, 183, 192, 194, 228, 244, 4, 17, 39,
  58, 62, 65, 66, 69, 71, 81, 82, 86, 94, 102, 106, 112, 154, 170, 175,
  184, 190, 230, 231, 0, 13, 14, 24, 28, 42, 61, 80, 84, 141, 142, 143,
  150, 156, 167, 172, 187, 213, 225, 232, 236, 238, 248, 7, 12, 46, 73, 95,
  107, 111, 117, 121, 123, 124, 148, 151, 164, 169, 176, 186, 210, 212, 241, 243,
  249, 255, 6, 22, 45, 52, 56, 74, 75, 79, 99, 101, 104, 126, 128, 144,
  146, 195, 199, 206, 219, 233, 242, 250, 251, 5, 21, 27, 35, 44, 51, 76,
  83, 100, 109, 114, 118, 145, 149, 161, 163, 182, 196, 200, 204, 216, 218, 239,
]);
