/**
 * `npm run bench:clusters`: the clustering pass of a scan of 500 new photos, into stores of different sizes
 * (SIZES=2000,20000 by default).
 * Incremental clustering looks up only the scan's own media (MD5 and PDQ bands by index), so its time should stay
 * flat as the store grows. Synthetic random PDQs (a tenth of the new photos are near copies of stored ones);
 * SQLite in a temporary folder. Prints the pass time per store size.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/io/db/open-database.js';
import { updateClusters } from '../src/services/scan/scan-clusters.js';
import { storeRepos } from '../src/services/store.js';

const NEW = 500;
const rnd = (() => { let s = 12345; return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32); })();
const hex = () => Array.from({ length: 64 }, () => Math.floor(rnd() * 16).toString(16)).join('');
const near = (h: string) => h.slice(0, 60) + ((parseInt(h.slice(60), 16) ^ 0x0f0f) >>> 0).toString(16).padStart(4, '0');

async function addPhotos(repos: ReturnType<typeof storeRepos>, chatId: number, from: number, pdqs: string[]): Promise<void> {
  for (let i = 0; i < pdqs.length; i += 1000) {
    const part = pdqs.slice(i, i + 1000);
    await repos.scans.saveBatch({
      messages: part.map((_, k) => ({ chat_id: chatId, message_id: from + i + k, type: 'message', unix_time: 1_700_000_000 + i + k, sender_hmac: null, forwarded: 0, media_class: 'photo', raw_hmac: 'x', scan_id: 1 })),
      media: part.map((pdq, k) => ({
        row: { chat_id: chatId, message_id: from + i + k, media_class: 'photo', media_kind: 'photo', status: 'hashed', error: null, width: 1, height: 1, duration_seconds: null },
        signals: [{ type: 'pdq', value: pdq, quality: 90 }, { type: 'md5', value: pdq.slice(0, 32) }],
      })),
      findings: [], matches: [], chatIds: [chatId],
    }, new Date());
  }
}

const dir = mkdtempSync(join(tmpdir(), 'unexpose-cluster-bench-'));
try {
  for (const stored of (process.env.SIZES ?? '2000,20000').split(',').map(Number)) {
    const { db, dialect, close } = await openDatabase({ dbPath: join(dir, `s${stored}.db`) });
    const repos = storeRepos(db, dialect);
    await db.insertInto('scan').values({ started_at: 'now', status: 'finished', inputs: '{}' }).execute();
    const chatId = await repos.scans.chatId({ chatKey: 'bench:1', source: 'bench', externalId: '1', name: null, type: 'group' }, 1);
    const old = Array.from({ length: stored }, hex);
    let t0 = performance.now();
    await addPhotos(repos, chatId, 1, old);
    const storeMs = performance.now() - t0;
    t0 = performance.now();
    await updateClusters(repos.clusters);
    const firstMs = performance.now() - t0;
    const fresh = Array.from({ length: NEW }, (_, i) => (i % 10 === 0 ? near(old[(i * 3) % old.length]) : hex()));
    await addPhotos(repos, chatId, stored + 1, fresh);
    const t = performance.now();
    const seen = await updateClusters(repos.clusters);
    const ms = performance.now() - t;
    console.log(`store of ${stored.toLocaleString('en')} photos (stored in ${Math.round(storeMs)} ms, first pass over all of them ${Math.round(firstMs)} ms): `
      + `clustering a scan's ${seen} new photos took ${Math.round(ms)} ms (${(ms / seen).toFixed(2)} ms per photo)`);
    await close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
