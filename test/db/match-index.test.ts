/**
 * The in-memory PDQ index kept current by the bank services (both databases): built from the store, it finds an
 * import at once and forgets a removed value and a withdrawn bank at once, with no reload.
 */
import { describe, expect, it } from 'vitest';
import { pdqHexToWords } from '../../src/core/signals/pdq/pdq-hex.js';
import { BankRepo } from '../../src/io/db/repos/bank-repo.js';
import { importBank } from '../../src/services/bank-import.js';
import { createBank, removeFromBank, withdrawBank, type BankDeps } from '../../src/services/bank-manage.js';
import { HammingMatchIndex } from '../../src/services/match/match-index.js';
import { matchQueries } from '../../src/services/match/match-queries.js';
import { signalsOfHashText } from '../../src/core/match/hash-text.js';
import { describeEachDialect } from './each-dialect.js';
import type { Signal } from '../../src/core/signals/signal-type.js';
import { REGION_MAG_SHIFTED_REACH, REGION_MAG_THRESHOLD } from '../../src/core/signals/region_mag/region-mag.js';

/** A distinct random-looking PDQ hash per i (far apart from each other). */
const hex = (i: number) => {
  let x = i * 2654435761 + 1;
  let out = '';
  for (let w = 0; w < 8; w++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out += (x >>> 0).toString(16).padStart(8, '0');
  }
  return out;
};

const q = (text: string) => ({ label: text, signals: signalsOfHashText(text) });
/** The hash with its lowest `bits` bits flipped: exactly `bits` away. */
const flipped = (h: string, bits: number) => (BigInt(`0x${h}`) ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(64, '0');

describeEachDialect('match_index', (open) => {
  describe('HammingMatchIndex with the bank services', () => {
    it('holds a looked-up form with a reach to it: an off-centre region_mag form matches no further than its reach', async () => {
      const { db, dialect, close } = await open();
      try {
        const repo = new BankRepo(db, dialect);
        await createBank({ banks: repo }, 'r', {});
        await importBank({ banks: repo }, 'r', [hex(7)], { signalType: 'region_mag' });
        const distances = async (signals: Signal[]) => {
          const out: number[][] = [];
          for await (const r of matchQueries({ banks: repo }, [{ label: 'q', signals }])) out.push(r.matches.map((m) => m.distance));
          return out[0];
        };
        const beyond = flipped(hex(7), REGION_MAG_SHIFTED_REACH + 2);
        expect(REGION_MAG_SHIFTED_REACH + 2).toBeLessThanOrEqual(REGION_MAG_THRESHOLD);
        // Within the bank's threshold: found as a plain form, not as a form with a tighter reach.
        expect(await distances([{ type: 'region_mag', value: beyond }])).toEqual([REGION_MAG_SHIFTED_REACH + 2]);
        expect(await distances([{ type: 'region_mag', value: beyond, reach: REGION_MAG_SHIFTED_REACH }])).toEqual([]);
        expect(await distances([{ type: 'region_mag', value: flipped(hex(7), REGION_MAG_SHIFTED_REACH), reach: REGION_MAG_SHIFTED_REACH }])).toEqual([REGION_MAG_SHIFTED_REACH]);
        // A form with a reach does not narrow the plain forms of the same query.
        expect(await distances([{ type: 'region_mag', value: beyond }, { type: 'region_mag', value: flipped(hex(7), 30), reach: REGION_MAG_SHIFTED_REACH }])).toEqual([REGION_MAG_SHIFTED_REACH + 2]);
      } finally {
        await close();
      }
    });

    it('loads a lean index (plain multi-index) on request: less memory, the same answers', async () => {
      const { db, dialect, close } = await open();
      try {
        const repo = new BankRepo(db, dialect);
        await createBank({ banks: repo }, 'l', {});
        await importBank({ banks: repo }, 'l', Array.from({ length: 400 }, (_, i) => hex(i)));
        const fast = await HammingMatchIndex.load(repo);
        const lean = await HammingMatchIndex.load(repo, { indexMemory: 'lean' });
        expect(lean.size).toBe(400);
        // Same tables (16 at this size); the sketched entries keep 12 bytes more a hash in each (3 sketch words).
        expect(fast.bytes - lean.bytes).toBe(400 * 16 * 12);
        for (let i = 0; i < 60; i++) {
          const q = [pdqHexToWords(flipped(hex(i * 6), i % 40))];
          const answer = (index: HammingMatchIndex) => index.query(q, 31).map((h) => h.distance);
          expect(answer(lean)).toEqual(answer(fast));
          expect(answer(fast)).toEqual(i % 40 <= 31 ? [i % 40] : []);
        }
      } finally {
        await close();
      }
    });

    it('finds imports and forgets removals and withdrawals at once', async () => {
      const { db, dialect, close } = await open();
      try {
        const repo = new BankRepo(db, dialect);
        const base: BankDeps = { banks: repo };
        await createBank(base, 'a', {});
        await createBank(base, 'b', {});
        await importBank(base, 'a', [hex(1), hex(2)]);
        const index = await HammingMatchIndex.load(repo);
        expect(index.size).toBe(2);
        const deps: BankDeps = { ...base, listeners: [index] };
        const near = (i: number) => [pdqHexToWords(hex(i))];
        expect(index.query(near(3), 31)).toEqual([]);
        await importBank(deps, 'b', [hex(3), 'bad line']);
        expect(index.query(near(3), 0)).toHaveLength(1);
        const answers = [];
        for await (const r of matchQueries({ banks: repo, indexes: new Map([['pdq', index]]) }, [hex(3), hex(1)].map(q))) answers.push(r.matches.map((m) => m.bank));
        expect(answers).toEqual([['b'], ['a']]);
        await removeFromBank(deps, 'a', hex(1));
        expect(index.query(near(1), 0)).toEqual([]);
        await withdrawBank(deps, 'b');
        expect(index.query(near(3), 0)).toEqual([]);
        expect(index.size).toBe(1);
        const after = [];
        for await (const r of matchQueries({ banks: repo, indexes: new Map([['pdq', index]]) }, [hex(3), hex(2)].map(q))) after.push(r.matches.map((m) => m.bank));
        expect(after).toEqual([[], ['a']]);
      } finally {
        await close();
      }
    });

    it('serves region_dct through its registry index (its own bit order): near values found at their distance, adds and removals at once', async () => {
      const { db, dialect, close } = await open();
      try {
        const repo = new BankRepo(db, dialect);
        const base: BankDeps = { banks: repo };
        await createBank(base, 'r', {});
        await importBank(base, 'r', [hex(11), hex(12)], { signalType: 'region_dct' });
        const index = await HammingMatchIndex.load(repo, { signalType: 'region_dct' });
        expect(index.size).toBe(2);
        const flipped = (i: number, bits: number) => {
          const w = pdqHexToWords(hex(i));
          for (let b = 0; b < bits; b++) w[b % 8] ^= 1 << (3 * b % 32);
          return w;
        };
        expect(index.query([flipped(11, 20)], 32).map((h) => h.distance)).toEqual([20]);
        expect(index.query([flipped(11, 20)], 19)).toEqual([]);
        const deps: BankDeps = { ...base, listeners: [index] };
        await importBank(deps, 'r', [hex(13)], { signalType: 'region_dct' });
        expect(index.query([flipped(13, 32)], 32).map((h) => h.distance)).toEqual([32]);
        await removeFromBank(deps, 'r', hex(12), 'region_dct');
        expect(index.query([flipped(12, 5)], 32)).toEqual([]);
        expect(index.size).toBe(2);
      } finally {
        await close();
      }
    });
  });
});
