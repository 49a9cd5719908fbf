/**
 * Learns the bit order the multi-index uses for region_dct (src/core/signals/region_dct/region-dct-bit-order.ts),
 * or with the argument region_mag for region_mag (src/core/signals/region_mag/region-mag-bit-order.ts), from real
 * values (region-pool.ts: random regions of the PDQ sample photos and of scenes) and writes that file.
 * Run: node --import tsx bench/robust/learn-bit-order.ts [region_mag]  (then review the diff; the order only moves
 * bits between substrings, so any order keeps the index's guarantee; a better one only makes lookups cheaper).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { learnBitOrder } from '../../src/core/index/bit-order.js';
import { poolWords, realPool } from './region-pool.js';

const SUBSTRINGS = 11;
const mag = process.argv[2] === 'region_mag';
const pool = await realPool(Number(process.env.BENCH_POOL_PER_PHOTO ?? 400), Number(process.env.BENCH_POOL_SCENES ?? 150), 7, mag ? 'region_mag' : 'region_dct');
const order = learnBitOrder(poolWords(pool), pool.count, SUBSTRINGS);
const rows: string[] = [];
for (let i = 0; i < 256; i += 16) rows.push(`  ${Array.from(order.subarray(i, i + 16)).join(', ')},`);
const out = resolve(import.meta.dirname, mag ? '../../src/core/signals/region_mag/region-mag-bit-order.ts' : '../../src/core/signals/region_dct/region-dct-bit-order.ts');
writeFileSync(out, mag ? `/**
 * The bit order the multi-index uses for region_mag values (core/index/bit-order.ts): 256 SimHash bits of the
 * ranks of only 40 magnitudes, so many bits are strongly correlated and biased, and contiguous substrings of them
 * fill few buckets. This order, learnt by bench/robust/learn-bit-order.ts region_mag from ${pool.count} real values (random
 * regions of ${pool.photos} PDQ sample photos and of scenes) for ${SUBSTRINGS} substrings, puts weakly correlated bits together.
 * Any order keeps the index's guarantee; changing it needs no migration (indexes are rebuilt at load).
 */
import type { BitOrder } from '../../index/bit-order.js';

export const REGION_MAG_BIT_ORDER: BitOrder = Uint8Array.from([
${rows.join('\n')}
]);
` : `/**
 * The bit order the multi-index uses for region_dct values (core/index/bit-order.ts): the 256 bits are SimHash
 * bits of 64 numbers, so neighbouring bits are often correlated (|r| up to 0.4) and contiguous substrings of them
 * fill few buckets. This order, learnt by bench/robust/learn-bit-order.ts from ${pool.count} real values (random regions of
 * ${pool.photos} PDQ sample photos and of scenes) for ${SUBSTRINGS} substrings, puts weakly correlated bits together. Any order keeps
 * the index exact; changing it needs no migration (indexes are rebuilt at load).
 */
import type { BitOrder } from '../../index/bit-order.js';

export const REGION_DCT_BIT_ORDER: BitOrder = Uint8Array.from([
${rows.join('\n')}
]);
`);
console.log(`wrote ${out} from ${pool.count} values`);
