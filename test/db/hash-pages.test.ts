/**
 * The index load's bulk read (io/db/repos/hash-pages.ts) on both databases: the store decodes the hex of a span of
 * ids itself (SQLite) or one COPY is decoded as it arrives (PostgreSQL), and what the index gets is exactly what
 * reading row by row gives, across types and page edges; a damaged value still reaches the load as text, so the
 * load names it.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { collectHashes } from '../../src/core/index/collect-hashes.js';
import { BankRepo } from '../../src/io/db/repos/bank-repo.js';
import { importBank } from '../../src/services/bank-import.js';
import { createBank } from '../../src/services/bank-manage.js';
import { describeEachDialect } from './each-dialect.js';

const hex = (i: number, digits = 64) => {
  let x = (i * 2654435761 + 3) >>> 0;
  let out = '';
  while (out.length < digits) {
    x = (x ^ (x << 13) ^ (x >>> 17) ^ (x << 5)) >>> 0;
    out += x.toString(16).padStart(8, '0');
  }
  return out.slice(0, digits);
};

/** Each id's words, in id order. */
const byId = ({ ids, words }: { ids: Uint32Array; words: Uint32Array }) =>
  [...ids].map((id, i) => [id, ...words.subarray(i * 8, i * 8 + 8)]).sort((a, b) => a[0] - b[0]);

describeEachDialect('hash_pages', (open) => {
  describe('BankRepo.streamHashPages', () => {
    it('gives the ids and words that reading row by row gives, over mixed types and page edges', async () => {
      const { db, dialect, close } = await open();
      try {
        const repo = new BankRepo(db, dialect);
        await createBank({ banks: repo }, 'a', {});
        await createBank({ banks: repo }, 'b', {});
        const lines = ['signal_type,signal,quality,labels,source_ref'];
        for (let i = 0; i < 300; i++) lines.push(i % 5 === 0 ? `md5,${hex(i, 32)},,,` : `pdq,${hex(i)},${i % 101},,`);
        await importBank({ banks: repo }, 'a', lines);
        await importBank({ banks: repo }, 'b', [hex(1000), hex(1001)]);
        const byRows = await collectHashes(repo.streamSignals('pdq', 1000));
        expect(byRows.ids.length).toBe(242);
        for (const pageSize of [1, 7, 50_000]) {
          // PostgreSQL's COPY gives the table's own order: the same (id, hash) pairs are what counts.
          expect(byId(await collectHashes(repo.streamHashPages('pdq', pageSize)))).toEqual(byId(byRows));
        }
      } finally {
        await close();
      }
    });

    it('hands a damaged value on as its text, so the load names the value', async () => {
      const { db, dialect, close } = await open();
      try {
        const repo = new BankRepo(db, dialect);
        await createBank({ banks: repo }, 'a', {});
        await importBank({ banks: repo }, 'a', [hex(1), hex(2), hex(3), hex(4)]);
        const bad = `${hex(2).slice(0, 62)}zz`;
        await sql`UPDATE bank_entry SET signal_key = ${bad} WHERE signal_key = ${hex(2)}`.execute(db);
        await expect(collectHashes(repo.streamHashPages('pdq', 2))).rejects.toThrow(/not a hex digit/);
        await sql`UPDATE bank_entry SET signal_key = ${hex(2).slice(0, 60)} WHERE signal_key = ${bad}`.execute(db);
        await expect(collectHashes(repo.streamHashPages('pdq', 50))).rejects.toThrow(/60 characters, not 64/);
      } finally {
        await close();
      }
    });

    it('gives its connection back when the reader stops early, so later reads and writes go on', async () => {
      const { db, dialect, close } = await open();
      try {
        const repo = new BankRepo(db, dialect);
        await createBank({ banks: repo }, 'a', {});
        await importBank({ banks: repo }, 'a', Array.from({ length: 40 }, (_, i) => hex(i)));
        // More early stops than the pool has connections: a reader that kept its connection would stall the rest.
        for (let round = 0; round < 6; round++) {
          for await (const page of repo.streamHashPages('pdq', 3)) {
            expect(page.ids.length).toBe(3);
            break;
          }
        }
        await importBank({ banks: repo }, 'a', [hex(100)]);
        expect((await collectHashes(repo.streamHashPages('pdq', 7))).ids.length).toBe(41);
      } finally {
        await close();
      }
    });
  });
});
