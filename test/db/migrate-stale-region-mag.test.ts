/**
 * Migration 202612030000 on both databases: region_mag's bits changed, so a store made before it loses its stale
 * region_mag values (bank entries and scanned media's stored values) and keeps everything else: PDQ and region_dct
 * entries and values, and the findings made through region_mag, moved to the same picture's PDQ entry.
 */
import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { migrateToLatest, migrateUpTo } from '../../src/io/db/migrate.js';
import { BankRepo } from '../../src/io/db/repos/bank-repo.js';
import { describeEachDialect } from './each-dialect.js';

const PDQ = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
const DCT = '6c1e0b5a9f3d2e4c8b7a69584736251403f2e1d0c9b8a7968574635241302f1e';
const MAG = ['1'.repeat(64), '2'.repeat(64), '3'.repeat(64)];
const t = '2026-01-01T00:00:00.000Z';

describeEachDialect('migrate_stale_region_mag', (open) => {
  it('drops the stale region_mag values, keeps the other signals and moves region_mag findings to the picture\'s PDQ entry', async () => {
    const { db, dialect, close } = await open({ migrate: false });
    try {
      const schema = dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0].s : undefined;
      await migrateUpTo(db as Kysely<unknown>, '202612020050-media-cluster-index', schema);
      const old = db as Kysely<any>;
      await old.insertInto('bank').values({ name: 'case-1', created_at: t, updated_at: t }).execute();
      // Picture ref-1: PDQ (id 1), region_dct (2), region_mag x2 (3, 4); picture ref-2 banked with region_mag only (5).
      const entries = [['pdq', PDQ, 'ref-1'], ['region_dct', DCT, 'ref-1'], ['region_mag', MAG[0], 'ref-1'], ['region_mag', MAG[1], 'ref-1'], ['region_mag', MAG[2], 'ref-2']];
      for (const [type, key, ref] of entries) {
        await old.insertInto('bank_entry').values({ bank_id: 1, signal_type: type, signal_key: key, quality: 90, added_at: t, added_by: 't', source_ref: ref }).execute();
      }
      await old.insertInto('scan').values({ started_at: t, status: 'finished', inputs: '{}' }).execute();
      await old.insertInto('chat').values({ chat_key: 'telegram_export:1', source: 'telegram_export', external_id: '1', name: 'g', type: 'private_group', first_scan_id: 1 }).execute();
      for (const id of [1, 2, 3]) {
        await old.insertInto('message').values({ chat_id: 1, message_id: id, type: 'message', forwarded: 0, raw_hmac: 'r', scan_id: 1, media_class: 'photo' }).execute();
        await old.insertInto('media').values({ chat_id: 1, message_id: id, media_class: 'photo', media_kind: 'photo', status: 'hashed' }).execute();
        for (const [type, value] of [['pdq', PDQ], ['region_dct', DCT], ['region_mag', MAG[0]]]) {
          await old.insertInto('media_signal').values({ media_id: id, signal_type: type, value, value_key: value, quality: 90 }).execute();
        }
      }
      // Message 1: found by both region_mag values of ref-1; message 2: by PDQ and by region_mag; message 3: by ref-2's region_mag only.
      const matches = [[1, 3, 'region_mag', 20], [1, 4, 'region_mag', 14], [2, 1, 'pdq', 5], [2, 3, 'region_mag', 9], [3, 5, 'region_mag', 12]] as const;
      for (const [message, entry, type, distance] of matches) {
        await old.insertInto('bank_match').values({ chat_id: 1, message_id: message, entry_id: entry, signal_type: type, distance, found_by: 'scan', scan_id: 1, found_at: t }).execute();
      }

      await migrateToLatest(db as Kysely<unknown>, schema);

      expect(await old.selectFrom('bank_entry').select(['id', 'signal_type']).orderBy('id').execute()).toEqual([
        { id: 1, signal_type: 'pdq' }, { id: 2, signal_type: 'region_dct' },
      ]);
      const signals = await old.selectFrom('media_signal').select(['media_id', 'signal_type']).orderBy('media_id').orderBy('signal_type').execute();
      expect(signals.map((s) => `${s.media_id}:${s.signal_type}`)).toEqual(['1:pdq', '1:region_dct', '2:pdq', '2:region_dct', '3:pdq', '3:region_dct']);
      const found = await old.selectFrom('bank_match').select(['message_id', 'entry_id', 'signal_type', 'distance']).orderBy('message_id').execute();
      expect(found.map((f) => [Number(f.message_id), f.entry_id, f.signal_type, Number(f.distance)])).toEqual([
        [1, 1, 'region_mag', 14],
        [2, 1, 'pdq', 5],
      ]);

      // The store works on: the kept values are found, and a new region_mag value can be banked.
      const repo = new BankRepo(db, dialect);
      expect((await repo.findExact('region_dct', DCT)).map((e) => e.bank.name)).toEqual(['case-1']);
      const bank = await repo.requireBank('case-1');
      const load = await repo.bulkInsert(bank.id, 'test', t);
      load.push({ signalType: 'region_mag', signal: MAG[0], quality: 90, sourceRef: 'ref-1', labels: [] });
      expect((await load.commit()).added).toBe(1);
    } finally {
      await close();
    }
  });
});
