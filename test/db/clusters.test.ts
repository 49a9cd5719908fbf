/**
 * Incremental clusters on both databases: two exports that share pictures, scanned at once, end with the same
 * clusters as scanned one after the other, and the same as a full clustering of every stored media file
 * (core clusterMedia); a later scan folds its media into the existing clusters.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clusterMedia } from '../../src/core/scan/cluster-media.js';
import { vpdqFeatures } from '../../src/core/signals/vpdq/vpdq-signal.js';
import { identifierKeyFromBytes } from '../../src/io/crypto/identifier-key.js';
import type { OpenedDatabase } from '../../src/io/db/open-database.js';
import { scanExports } from '../../src/services/scan/scan-exports.js';
import { generateTelegramExport, type TelegramExportManifest } from '../fixtures/telegram/generate-telegram-export.js';
import { describeEachDialect } from './each-dialect.js';
import { testStore } from './test-store.js';

let dir: string;
let a: TelegramExportManifest;
let c: TelegramExportManifest;
const key = identifierKeyFromBytes(new Uint8Array(32).fill(5), 'test');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-clusters-'));
  a = await generateTelegramExport({ dir: join(dir, 'a'), seed: 41, messages: 300, photos: 40, distinctPhotos: 14, videos: 0, phoneNumbers: 1, chats: 1 });
  const b = await generateTelegramExport({ dir: join(dir, 'b'), seed: 42, messages: 300, photos: 40, distinctPhotos: 14, videos: 0, phoneNumbers: 1, chats: 1 });
  // The second group re-posts some of the first group's pictures (exact copies and the first group's altered ones).
  for (let i = 0; i < 12; i++) await copyFile(join(dir, 'a', a.photoFiles[i * 3].path), join(dir, 'b', b.photoFiles[i * 2].path));
  c = await generateTelegramExport({ dir: join(dir, 'c'), seed: 43, messages: 100, photos: 10, videos: 0, phoneNumbers: 1, chats: 1 });
  await copyFile(join(dir, 'a', a.photoFiles[0].path), join(dir, 'c', c.photoFiles[0].path));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The clusters as sets of posts (chat key + message id) with their figures: comparable across databases. */
async function clusterShape(opened: OpenedDatabase): Promise<string[]> {
  const rows = await opened.db.selectFrom('media').innerJoin('chat', 'chat.id', 'media.chat_id').innerJoin('media_cluster', 'media_cluster.id', 'media.cluster_id')
    .select(['media.cluster_id', 'chat.chat_key', 'media.message_id', 'media_cluster.posts', 'media_cluster.chats', 'media_cluster.senders',
      'media_cluster.representative', 'media_cluster.first_seen', 'media_cluster.last_seen']).execute();
  const by = new Map<number, { posts: string[]; figures: string }>();
  for (const r of rows) {
    const c = by.get(Number(r.cluster_id)) ?? { posts: [], figures: `${r.posts}/${r.chats}/${r.senders}/${r.representative}/${r.first_seen}/${r.last_seen}` };
    c.posts.push(`${r.chat_key}#${r.message_id}`);
    by.set(Number(r.cluster_id), c);
  }
  return [...by.values()].map((c) => `${c.posts.sort().join(',')} ${c.figures}`).sort();
}

/** The clusters a full clustering of every stored media file gives, as sets of posts. */
async function fullClustering(opened: OpenedDatabase): Promise<string[]> {
  const media = await opened.db.selectFrom('media').innerJoin('chat', 'chat.id', 'media.chat_id')
    .innerJoin('message', (j) => j.onRef('message.chat_id', '=', 'media.chat_id').onRef('message.message_id', '=', 'media.message_id'))
    .leftJoin('media_signal as p', (j) => j.onRef('p.media_id', '=', 'media.id').on('p.signal_type', '=', 'pdq'))
    .leftJoin('media_signal as m', (j) => j.onRef('m.media_id', '=', 'media.id').on('m.signal_type', '=', 'md5'))
    .leftJoin('media_signal as v', (j) => j.onRef('v.media_id', '=', 'media.id').on('v.signal_type', '=', 'vpdq'))
    .select(['media.id', 'media.chat_id', 'media.media_class', 'chat.chat_key', 'media.message_id', 'p.value as pdq', 'p.quality', 'm.value as md5',
      'v.value as vpdq', 'message.sender_hmac', 'message.unix_time'])
    .where('media.status', '=', 'hashed').execute();
  const post = new Map(media.map((m) => [Number(m.id), `${m.chat_key}#${m.message_id}`]));
  return clusterMedia(media.map((m) => ({
    id: Number(m.id), chatId: Number(m.chat_id), mediaClass: m.media_class, pdq: m.pdq, quality: m.quality === null ? null : Number(m.quality), md5: m.md5,
    vpdq: m.vpdq ? vpdqFeatures(m.vpdq) : null, senderHmac: m.sender_hmac, unixTime: m.unix_time === null ? null : Number(m.unix_time),
  }))).filter((c) => c.posts > 1).map((c) => c.members.map((id) => post.get(id)!).sort().join(',')).sort();
}

describeEachDialect('clusters', (open) => {
  it('two scans at once give the clusters of one after the other, and of a full clustering', async () => {
    const one = await open();
    const both = await open();
    const s1 = testStore(one);
    const s2 = testStore(both);
    try {
      await scanExports({ ...s1, key }, [join(dir, 'a')]);
      await scanExports({ ...s1, key }, [join(dir, 'b')]);
      const sequential = await clusterShape(one);
      expect(sequential.length).toBeGreaterThan(3);
      // Some cluster spans both exports.
      expect(sequential.some((c) => c.split(' ')[0].split(',').map((p) => p.split('#')[0]).some((k, _, all) => k !== all[0]))).toBe(true);
      expect(sequential.map((c) => c.split(' ')[0])).toEqual(await fullClustering(one));

      const other = testStore(both);
      await Promise.all([scanExports({ ...s2, key }, [join(dir, 'a')]), scanExports({ ...other, key }, [join(dir, 'b')])]);
      await other.pool.close();
      expect(await clusterShape(both)).toEqual(sequential);

      // A later, small scan joins its re-post to the existing cluster and looks only at its own media.
      await scanExports({ ...s1, key }, [join(dir, 'c')]);
      const later = await clusterShape(one);
      expect(later.map((x) => x.split(' ')[0])).toEqual(await fullClustering(one));
      const cKey = `telegram_export:${c.chats[0].id}`;
      expect(later.some((x) => x.includes(`${cKey}#`) && x.split(' ')[0].split(',').some((p) => !p.startsWith(`${cKey}#`)))).toBe(true);
      const pending = await sql<{ n: number }>`select count(*) as n from media where clustered = 0 and status = 'hashed'`.execute(one.db);
      expect(Number(pending.rows[0].n)).toBe(0);
    } finally {
      await s1.pool.close();
      await s2.pool.close();
      await one.close();
      await both.close();
    }
  });
});
