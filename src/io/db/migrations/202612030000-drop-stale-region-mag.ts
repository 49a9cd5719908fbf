/**
 * Issue 12: region_mag's bits changed (each frequency's log magnitude is now balanced on its population mean and
 * spread before ranking, core/picture/magnitude-hash.ts), so every region_mag value stored before is stale: it can
 * never meet a new one, and no picture is kept to compute it again. This drops them:
 * - bank entries of type region_mag (a bank regains off-centre-crop finding when its pictures are banked again;
 *   PDQ and region_dct entries are untouched);
 * - scanned media's stored region_mag values (media_signal), which retro-matching compares with new bank entries;
 * - findings made through a region_mag entry are kept: they move to the same picture's PDQ entry in that bank (same
 *   source reference), keeping the type and distance they were found with, unless that message already has a
 *   finding on it; a finding whose picture has no PDQ entry goes with its entry.
 * Matchers load their indexes at start: restart them after this migration (it writes no bank_change row).
 * Not undoable: down() leaves the store as it is (an older release simply finds no region_mag values).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The PDQ entry of the same picture in the same bank (the lowest id if several).
  await sql`insert into bank_match (chat_id, message_id, entry_id, signal_type, distance, found_by, scan_id, found_at)
    select bm.chat_id, bm.message_id, p.pdq_id, bm.signal_type, bm.distance, bm.found_by, bm.scan_id, bm.found_at
    from bank_match bm
    join bank_entry m on m.id = bm.entry_id
    join (select bank_id, source_ref, min(id) as pdq_id from bank_entry where signal_type = 'pdq' and source_ref is not null group by bank_id, source_ref) p
      on p.bank_id = m.bank_id and p.source_ref = m.source_ref
    where m.signal_type = 'region_mag'
    order by bm.distance
    on conflict do nothing`.execute(db);
  await sql`delete from bank_match where entry_id in (select id from bank_entry where signal_type = 'region_mag')`.execute(db);
  await sql`delete from bank_entry where signal_type = 'region_mag'`.execute(db);
  await sql`delete from media_signal where signal_type = 'region_mag'`.execute(db);
}

export async function down(): Promise<void> {
  // The dropped values cannot come back; the store works as it is with an older release.
}
