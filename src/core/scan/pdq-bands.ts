/**
 * PDQ hashes cut into 16 bands of 16 bits, for finding near copies with an ordinary database index: two hashes
 * within CLUSTER_PDQ_DISTANCE (31) bits differ in at most 1 bit in some band (pigeonhole: 31 < 2 × 16), so the
 * candidates of a hash are the stored hashes that equal, in some band, its value or one of its 16 one-bit
 * neighbours (16 × 17 lookups). Candidates are then checked with the full distance. Pure.
 */

export const PDQ_BANDS = 16;
const BAND_HEX = 4;

/**
 * The 16 band values of a PDQ hash (64 hex digits), band 0 first.
 * @example pdqBands('0'.repeat(64)) // [0, 0, ... 0]
 */
export function pdqBands(hex: string): number[] {
  const out: number[] = [];
  for (let b = 0; b < PDQ_BANDS; b++) out.push(parseInt(hex.slice(b * BAND_HEX, (b + 1) * BAND_HEX), 16));
  return out;
}

/**
 * For each band: the value and its 16 one-bit neighbours (what a stored hash within 31 bits must match in some band).
 * @example bandProbes('0'.repeat(64))[0].length // 17
 */
export function bandProbes(hex: string): number[][] {
  return pdqBands(hex).map((v) => [v, ...Array.from({ length: 16 }, (_, bit) => v ^ (1 << bit))]);
}
