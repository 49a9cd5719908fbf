/**
 * The 8 dihedral variants of a PDQ hash, computed in the DCT domain as the reference does: sign flips and
 * transposition of the 16x16 coefficients, each variant thresholded at its own median.
 * These are NOT the hashes of the rotated pixels (decimation is not symmetric); they are close on natural photos.
 */
import { thresholdToHex } from './pdq-dct.js';

export const DIHEDRAL_NAMES = ['rot90', 'rot180', 'rot270', 'flipx', 'flipy', 'flipplus1', 'flipminus1'] as const;
export type DihedralName = (typeof DIHEDRAL_NAMES)[number];
export type DihedralHashes = Record<DihedralName, string>;

type Rule = (u: number, v: number) => { transpose: boolean; negate: boolean };

const RULES: Record<DihedralName, Rule> = {
  rot90: (_u, v) => ({ transpose: true, negate: v % 2 === 0 }),
  rot180: (u, v) => ({ transpose: false, negate: (u + v) % 2 === 1 }),
  rot270: (u) => ({ transpose: true, negate: u % 2 === 0 }),
  flipx: (u) => ({ transpose: false, negate: u % 2 === 0 }),
  flipy: (_u, v) => ({ transpose: false, negate: v % 2 === 0 }),
  flipplus1: () => ({ transpose: true, negate: false }),
  flipminus1: (u, v) => ({ transpose: true, negate: (u + v) % 2 === 1 }),
};

/** The coefficients of one dihedral variant of b (16x16, row-major). */
export function dihedralCoefficients(b: Float32Array, name: DihedralName): Float32Array {
  const out = new Float32Array(256);
  const rule = RULES[name];
  for (let u = 0; u < 16; u++) {
    for (let v = 0; v < 16; v++) {
      const { transpose, negate } = rule(u, v);
      const x = b[u * 16 + v];
      out[transpose ? v * 16 + u : u * 16 + v] = negate ? -x : x;
    }
  }
  return out;
}

/**
 * All 7 non-identity variants as hex.
 * @example dihedralHashes(coefficients).flipplus1 // hash of the transposed image, in the DCT domain
 */
export function dihedralHashes(b: Float32Array): DihedralHashes {
  const out = {} as DihedralHashes;
  for (const name of DIHEDRAL_NAMES) out[name] = thresholdToHex(dihedralCoefficients(b, name));
  return out;
}
