/**
 * The bit order the multi-index uses for region_dct values (core/index/bit-order.ts): the 256 bits are SimHash
 * bits of 64 numbers, so neighbouring bits are often correlated (|r| up to 0.4) and contiguous substrings of them
 * fill few buckets. This order, learnt by bench/robust/learn-bit-order.ts from 7000 real values (random regions of
 * 10 PDQ sample photos and of scenes) for 11 substrings, puts weakly correlated bits together. Any order keeps
 * the index exact; changing it needs no migration (indexes are rebuilt at load).
 */
import type { BitOrder } from '../../index/bit-order.js';

export const REGION_DCT_BIT_ORDER: BitOrder = Uint8Array.from([
  1, 4, 7, 38, 40, 47, 49, 53, 78, 89, 91, 101, 105, 130, 133, 136,
  168, 194, 205, 206, 213, 223, 249, 255, 8, 18, 21, 50, 63, 79, 81, 82,
  88, 92, 103, 112, 116, 123, 141, 145, 151, 153, 169, 203, 204, 218, 229, 252,
  2, 3, 26, 43, 56, 59, 73, 77, 80, 93, 117, 120, 134, 144, 161, 166,
  170, 180, 182, 208, 225, 230, 240, 247, 46, 48, 51, 57, 60, 66, 97, 102,
  125, 126, 148, 159, 171, 185, 186, 196, 210, 214, 221, 233, 236, 241, 245, 16,
  30, 42, 58, 74, 75, 85, 87, 94, 96, 104, 110, 114, 127, 154, 164, 173,
  174, 192, 199, 216, 224, 246, 5, 12, 27, 28, 31, 32, 36, 39, 52, 64,
  99, 118, 121, 122, 129, 131, 139, 183, 184, 237, 239, 243, 253, 9, 10, 11,
  25, 45, 61, 83, 84, 86, 132, 138, 146, 149, 157, 162, 165, 215, 217, 226,
  231, 232, 244, 254, 15, 19, 20, 23, 24, 35, 44, 55, 68, 69, 72, 90,
  111, 113, 124, 140, 142, 152, 156, 172, 212, 234, 242, 6, 29, 33, 34, 62,
  67, 70, 95, 106, 108, 119, 128, 155, 181, 188, 189, 190, 195, 197, 201, 207,
  209, 238, 0, 37, 65, 71, 76, 107, 115, 135, 150, 158, 160, 163, 167, 177,
  187, 193, 198, 200, 202, 211, 219, 222, 251, 13, 14, 17, 22, 41, 54, 98,
  100, 109, 137, 143, 147, 175, 176, 178, 179, 191, 220, 227, 228, 235, 248, 250,
]);
