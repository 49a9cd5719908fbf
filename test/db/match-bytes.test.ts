/**
 * The match service as a server calls it (both databases): a photo's bytes, hashed in memory by the pool it is
 * given, match the banked hash; signals match without any file; a query never names a path the service reads.
 */
import { expect, it } from 'vitest';
import { importBank } from '../../src/services/bank-import.js';
import { createBank } from '../../src/services/bank-manage.js';
import { matchQueries } from '../../src/services/match/match-queries.js';
import { syntheticImage } from '../support/synthetic-images.js';
import { describeEachDialect } from './each-dialect.js';
import { testStore } from './test-store.js';

describeEachDialect('match_bytes', (open) => {
  it('matches photo bytes and signals, and takes no paths', async () => {
    const opened = await open();
    const store = testStore(opened);
    try {
      const photo = await syntheticImage(400, 300, 17);
      const other = await syntheticImage(400, 300, 18);
      const hashed = await store.pool.run({ path: 'upload', opts: {}, bytes: photo });
      if (!('pdq' in hashed)) throw new Error('not hashed');
      await createBank(store, 'case', {});
      await importBank(store, 'case', [hashed.pdq]);
      const answers = [];
      for await (const r of matchQueries({ ...store }, [
        { label: 'upload-1', bytes: photo },
        { label: 'upload-2', bytes: other },
        { label: 'signal', signals: [{ type: 'pdq', value: hashed.pdq.toUpperCase(), quality: 100 }] },
        { label: '/etc/passwd', signals: [{ type: 'pdq', value: '/etc/passwd' }] },
      ])) answers.push(r);
      expect(answers.map((a) => [a.query, a.matches.length])).toEqual([['upload-1', 1], ['upload-2', 0], ['signal', 1], ['/etc/passwd', 0]]);
      expect(answers[0].matches[0]).toMatchObject({ bank: 'case', signalType: 'pdq', distance: 0 });
      expect(answers[3].error).toMatch(/not a PDQ hash/);
      const noPool = [];
      for await (const r of matchQueries({ banks: store.banks }, [{ label: 'x', bytes: photo }])) noPool.push(r.error);
      expect(noPool[0]).toMatch(/no hashing pool/);
    } finally {
      await store.pool.close();
      await opened.close();
    }
  });
});
