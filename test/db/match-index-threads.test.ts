/**
 * The PDQ index loaded on two threads (the server's `threads` mode: a SQLite store's id ranges read and the tables
 * built on loader threads; a store read on this thread still has its tables built there) is the index loaded on one: the same kind and size, and the same answers. Loader threads run the compiled
 * worker, so this test loads the built module (dist, made by `npm run build` before the tests); it skips without it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/io/db/open-database.js';
import { BankRepo } from '../../src/io/db/repos/bank-repo.js';
import { importBank } from '../../src/services/bank-import.js';
import { createBank } from '../../src/services/bank-manage.js';
import { pdqHexToWords } from '../../src/core/signals/pdq/pdq-hex.js';

const built = path.resolve(import.meta.dirname, '../../dist/services/match/match-index.js');
if (!existsSync(built)) console.warn('match-index-threads: skipping: dist/ is not built (npm run build)');

/** A distinct random-looking PDQ hash per i. */
function hex(i: number): string {
  let x = (i * 2654435761 + 1) >>> 0;
  let out = '';
  for (let w = 0; w < 8; w++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out += (x >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

/** The hash with its lowest `bits` bits flipped: exactly `bits` away. */
const flipped = (h: string, bits: number) => (BigInt(`0x${h}`) ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(64, '0');

describe.skipIf(!existsSync(built))('PDQ index loaded on two threads', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'unexpose-threads-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the index, and the answers, of a load on one thread', async () => {
    const { HammingMatchIndex } = (await import(pathToFileURL(built).href)) as typeof import('../../src/services/match/match-index.js');
    const dbPath = path.join(dir, 'store.db');
    const { db, close } = await openDatabase({ dbPath });
    try {
      const repo = new BankRepo(db);
      await createBank({ banks: repo }, 'b', {});
      const n = 3000;
      await importBank({ banks: repo }, 'b', Array.from({ length: n }, (_, i) => hex(i)));
      const one = await HammingMatchIndex.load(repo);
      const two = await HammingMatchIndex.load(repo, { dbPath, threads: 2, parallelFrom: 1000 });
      // Without the file (PostgreSQL's case): read here, the tables still built on the threads.
      const read = await HammingMatchIndex.load(repo, { threads: 2, parallelFrom: 1000 });
      expect(two.size).toBe(n);
      expect(two.bytes).toBe(one.bytes);
      expect(read.bytes).toBe(one.bytes);
      for (let i = 0; i < 200; i++) {
        const q = [pdqHexToWords(flipped(hex(i * 13), i % 40))];
        const answer = (index: typeof one) => index.query(q, 31).map((h) => `${h.id}:${h.distance}`).sort();
        expect(answer(two)).toEqual(answer(one));
        expect(answer(read)).toEqual(answer(one));
        expect(answer(one).length).toBe(i % 40 <= 31 ? 1 : 0);
      }
    } finally {
      await close();
    }
  });
});
