/**
 * The victim page's API over real HTTP on SQLite and PostgreSQL: a case from hashes and identifiers only, its
 * status with case number + PIN, wrong PINs locked out briefly, withdrawal leaving no row behind, the page at /
 * with its strict CSP, and the routes in /openapi.json.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { syntheticNlMobile } from '../../../src/core/identifiers/synthetic-phones.js';
import { MAX_LOCK_MS } from '../../../src/services/cases/attempt-guard.js';
import { MAX_REGION_VALUES_PER_PHOTO } from '../../../src/services/cases/victim-cases.js';
import { syntheticImage } from '../../support/synthetic-images.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPhotoBytes } from '../../../src/services/hash-photo.js';
import { RECIPIENT_IDS } from '../../../src/core/notices/recipients.js';
import { draftNotices } from '../../../src/services/notices/draft-notices.js';
import { noticeSettingsFromEnv } from '../../../src/services/notices/notice-deps.js';
import { noticeTemplates } from '../../../src/services/notices/notice-io.js';
import { generateTelegramExport } from '../../fixtures/telegram/generate-telegram-export.js';
import { describeServerEachDialect, untilReady, type TestServer } from './test-server.js';

const PDQ = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
const VPDQ = JSON.stringify([{ pdq: PDQ, quality: 90, timestamp: 0 }, { pdq: PDQ.replace(/^f8/, '07'), quality: 88, timestamp: 1 }]);
const MD5 = '0123456789abcdef0123456789abcdef';

async function countRows(t: TestServer): Promise<Record<string, number>> {
  const db = t.server.ctx.store.db;
  const out: Record<string, number> = {};
  for (const table of ['victim_case', 'bank', 'bank_entry', 'bank_match'] as const) {
    out[table] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0].n);
  }
  return out;
}

describeServerEachDialect('cases_api', (start) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await start({ helplineUrl: 'https://helpline.example/', logLevel: 'info' });
    await untilReady(t);
  });
  afterAll(() => t?.close());

  it('opens a case from hashes and identifiers without a key, shows its status, and withdraws it leaving nothing', async () => {
    const phone = syntheticNlMobile(4);
    const made = await t.request('POST', '/v1/cases', { json: { language: 'en', photos: [{ pdq: PDQ, quality: 100 }], videos: [{ vpdq: VPDQ, md5: MD5 }], identifiers: [phone, 'instagram:test.person_1'] } });
    expect(made.status, made.text).toBe(201);
    expect(made.json.caseNumber).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(made.json.pin).toMatch(/^\d{8}$/);
    expect(made.json.entries).toEqual({ photos: 1, videos: 1, identifiers: 2 });
    expect(made.headers.get('cache-control')).toBe('no-store');
    // Stored: keyed hashes and redacted forms, the PIN only as argon2id.
    const db = t.server.ctx.store.db;
    const row = await db.selectFrom('victim_case').selectAll().executeTakeFirstOrThrow();
    expect(row.pin_hash).toMatch(/^\$argon2id\$/);
    const entries = await db.selectFrom('bank_entry').select(['signal_type', 'signal', 'display']).execute();
    expect(entries.map((e) => e.signal_type).sort()).toEqual(['handle', 'md5', 'pdq', 'phone', 'vpdq']);
    const everything = JSON.stringify(entries) + JSON.stringify(row) + t.logs.join('\n');
    expect(everything).not.toContain(phone.replace(/\s/g, '').slice(-8));
    expect(everything).not.toContain('test.person_1');
    expect(everything).not.toContain(made.json.pin);

    const status = await t.request('POST', '/v1/cases/status', { json: { caseNumber: made.json.caseNumber.toLowerCase().replace(/-/g, ' '), pin: made.json.pin } });
    expect(status.status, status.text).toBe(200);
    expect(status.json).toMatchObject({ caseNumber: made.json.caseNumber, registered: { photos: 1, videos: 1, identifiers: 2 }, itemsFound: 0, places: [], actions: [] });

    const withdrawn = await t.request('POST', '/v1/cases/withdraw', { json: { caseNumber: made.json.caseNumber, pin: made.json.pin, confirm: true } });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.json).toEqual({ withdrawn: true, removed: 5 });
    expect(await countRows(t)).toEqual({ victim_case: 0, bank: 0, bank_entry: 0, bank_match: 0 });
    expect((await t.request('POST', '/v1/cases/status', { json: { caseNumber: made.json.caseNumber, pin: made.json.pin } })).status).toBe(401);
  });

  it('finds her number and photo in an earlier scan (retro-match) and shows where, without anyone else\'s data; withdrawal removes the matches', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ux-cases-scan-'));
    try {
      const m = await generateTelegramExport({ dir: join(dir, 'export'), seed: 5, messages: 200, photos: 6, videos: 0, phoneNumbers: 3 });
      const admin = await t.key('admin');
      const started = await t.request('POST', '/v1/scans/path', { key: admin, json: { path: m.dir } });
      expect(started.status, started.text).toBe(202);
      for (let i = 0; i < 600; i++) {
        const job = await t.request('GET', started.json.links.self, { key: admin });
        if (job.json.status === 'done') break;
        expect(job.json.status).not.toBe('failed');
        await new Promise((r) => setTimeout(r, 100));
      }
      // Her browser banks the PDQ and the region values: the same post is found by both, and is one place, one post.
      const h = await hashPhotoBytes(await readFile(join(m.dir, m.photoFiles[0].path)), 'full', { robust: 'bank' });
      const photo = { pdq: h.hash, quality: h.quality, regionDct: h.regionDct ?? [], regionMag: h.regionMag ?? [] };
      const made = await t.request('POST', '/v1/cases', { json: { photos: [photo], identifiers: [m.phones[0]] } });
      expect(made.status, made.text).toBe(201);
      const status = await t.request('POST', '/v1/cases/status', { json: { caseNumber: made.json.caseNumber, pin: made.json.pin } });
      expect(status.json.itemsFound).toBe(2);
      const kinds = status.json.places.map((p: { kind: string }) => p.kind).sort();
      expect(kinds).toContain('identifier');
      expect(kinds).toContain('photo');
      type Place = { kind: string; item: string | null; signals: string[]; platform: string; chatType: string; posts: number; chats: number };
      const photoPlaces = (status.json.places as Place[]).filter((p) => p.kind === 'photo');
      const placeKeys = photoPlaces.map((p) => `${p.platform} ${p.chatType}`);
      expect(new Set(placeKeys).size, 'each photo listed once per kind of place').toBe(placeKeys.length);
      for (const p of photoPlaces) expect(p.item).toBe('photo 1');
      const signals = new Set(photoPlaces.flatMap((p) => p.signals));
      expect(signals).toContain('pdq');
      expect([...signals].some((s) => s.startsWith('region_')), `found by ${[...signals].join(', ')}`).toBe(true);
      // Posts: the distinct posts any of her photo's entries matched, whichever signals found each.
      const photoMatches = await t.server.ctx.store.db.selectFrom('bank_match').innerJoin('bank_entry', 'bank_entry.id', 'bank_match.entry_id')
        .select(['bank_match.chat_id as c', 'bank_match.message_id as m', 'bank_entry.signal_type as s']).where('bank_entry.source_ref', '=', 'photo 1').execute();
      const distinctPosts = new Set(photoMatches.map((r) => `${r.c}:${r.m}`)).size;
      expect(photoMatches.length, 'some posts were found by more than one of her values').toBeGreaterThan(distinctPosts);
      expect(photoPlaces.reduce((n, p) => n + p.posts, 0)).toBe(distinctPosts);
      const identifierPlaces = (status.json.places as Place[]).filter((p) => p.kind === 'identifier');
      for (const p of identifierPlaces) expect(p).toMatchObject({ item: null, signals: ['phone'] });
      for (const p of status.json.places) {
        expect(p).toMatchObject({ platform: 'telegram_export', chats: expect.any(Number), posts: expect.any(Number) });
        expect(p.posts).toBeGreaterThan(0);
        expect(Date.parse(p.lastSeen)).toBeGreaterThanOrEqual(Date.parse(p.firstSeen));
      }
      for (const c of m.chats as { name?: string }[]) if (c.name) expect(status.text).not.toContain(c.name);
      expect(status.text).not.toContain(m.phones[0].slice(-6));
      expect(status.json.actions).toEqual([]);
      // A caseworker drafts takedown notices for her case: her status says what was done, to whom, in which state.
      const drafted = await draftNotices({
        db: t.server.ctx.store.db, key: await t.server.ctx.identifierKey(), templates: noticeTemplates(),
        settings: noticeSettingsFromEnv({ UNEXPOSE_NOTIFIER_NAME: 'Helpline', UNEXPOSE_NOTIFIER_EMAIL: 'meldpunt@helpline.example' }, {}, RECIPIENT_IDS),
      }, { caseBank: `case-${made.json.caseNumber}` });
      expect(drafted.drafted.length).toBeGreaterThan(0);
      const later = await t.request('POST', '/v1/cases/status', { json: { caseNumber: made.json.caseNumber, pin: made.json.pin } });
      expect(later.json.actions.length).toBeGreaterThan(0);
      for (const a of later.json.actions) expect(a).toMatchObject({ kind: expect.any(String), status: 'draft', at: expect.any(String) });
      const withdrawn = await t.request('POST', '/v1/cases/withdraw', { json: { caseNumber: made.json.caseNumber, pin: made.json.pin, confirm: true } });
      expect(withdrawn.status).toBe(200);
      const rows = await countRows(t);
      expect(rows).toMatchObject({ victim_case: 0, bank_match: 0 });
      // Her notices carried her hashes: they went with the case.
      expect(Number((await sql<{ n: number }>`select count(*) as n from notice`.execute(t.server.ctx.store.db)).rows[0].n)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad hashes and identifiers by place, storing nothing', async () => {
    const bad = await t.request('POST', '/v1/cases', { json: { photos: [{ pdq: 'abc' }] } });
    expect(bad.status).toBe(400);
    const badId = await t.request('POST', '/v1/cases', { json: { photos: [{ pdq: PDQ }], identifiers: ['not a number at all'] } });
    expect(badId.status).toBe(400);
    expect(badId.json.detail).toContain('identifier 1');
    const empty = await t.request('POST', '/v1/cases', { json: {} });
    expect(empty.status).toBe(400);
    const withBytes = await t.request('POST', '/v1/cases', { json: { photos: [{ pdq: PDQ }], image: 'iVBORw0KGgo=' } });
    expect(withBytes.status).toBe(400);
    expect(await countRows(t)).toEqual({ victim_case: 0, bank: 0, bank_entry: 0, bank_match: 0 });
  });

  it('banks the region_dct and region_mag values her browser computed beside the PDQ, bounded per photo', async () => {
    const bytes = await syntheticImage(640, 480, 12, 'jpeg');
    const h = await hashPhotoBytes(bytes, 'full', { robust: 'bank' });
    const photo = { pdq: h.hash, quality: h.quality, regionDct: h.regionDct!, regionMag: h.regionMag! };
    expect(photo.regionDct.length).toBeGreaterThan(0);
    const tooMany = await t.request('POST', '/v1/cases', { json: { photos: [{ ...photo, regionDct: Array.from({ length: MAX_REGION_VALUES_PER_PHOTO + 1 }, () => photo.regionDct[0]) }] } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.detail).toContain('regionDct');
    const badValue = await t.request('POST', '/v1/cases', { json: { photos: [{ ...photo, regionMag: [{ value: 'xyz', quality: 50 }] }] } });
    expect(badValue.status).toBe(400);
    const extra = await t.request('POST', '/v1/cases', { json: { photos: [{ ...photo, pixels: 'iVBORw0KGgo=' }] } });
    expect(extra.status).toBe(400);
    expect(await countRows(t)).toEqual({ victim_case: 0, bank: 0, bank_entry: 0, bank_match: 0 });

    const made = await t.request('POST', '/v1/cases', { json: { photos: [photo] } });
    expect(made.status, made.text).toBe(201);
    expect(made.json.entries).toEqual({ photos: 1, videos: 0, identifiers: 0 });
    const entries = await t.server.ctx.store.db.selectFrom('bank_entry').select(['signal_type', 'signal', 'source_ref']).execute();
    expect(entries.map((e) => [e.signal_type, e.signal.toLowerCase()]).sort()).toEqual([
      ['pdq', photo.pdq], ...photo.regionDct.map((r) => ['region_dct', r.value]), ...photo.regionMag.map((r) => ['region_mag', r.value]),
    ].sort());
    expect(new Set(entries.map((e) => e.source_ref))).toEqual(new Set(['photo 1']));
    const status = await t.request('POST', '/v1/cases/status', { json: { caseNumber: made.json.caseNumber, pin: made.json.pin } });
    expect(status.json.registered).toEqual({ photos: 1, videos: 0, identifiers: 0 });
    const withdrawn = await t.request('POST', '/v1/cases/withdraw', { json: { caseNumber: made.json.caseNumber, pin: made.json.pin, confirm: true } });
    expect(withdrawn.json).toEqual({ withdrawn: true, removed: entries.length });
    expect(await countRows(t)).toEqual({ victim_case: 0, bank: 0, bank_entry: 0, bank_match: 0 });
  });

  it('answers an unknown case like a wrong PIN, and locks out wrong PINs only briefly', async () => {
    const made = (await t.request('POST', '/v1/cases', { json: { photos: [{ pdq: PDQ }] } })).json;
    const unknown = await t.request('POST', '/v1/cases/status', { json: { caseNumber: '0000-0000-0000-0000', pin: '12345678' } });
    const wrong = await t.request('POST', '/v1/cases/status', { json: { caseNumber: made.caseNumber, pin: '00000000' } });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.json.detail).toBe(wrong.json.detail);
    let locked: { status: number; json: any } | undefined;
    for (let i = 0; i < 8 && !locked; i++) {
      const r = await t.request('POST', '/v1/cases/status', { json: { caseNumber: made.caseNumber, pin: '00000000' } });
      if (r.status === 429) locked = r;
    }
    expect(locked?.json.detail).toMatch(/try again in \d+ s/);
    expect(Number(/in (\d+) s/.exec(locked!.json.detail)![1]) * 1000).toBeLessThanOrEqual(MAX_LOCK_MS);
    const c = await t.server.ctx.store.db.selectFrom('victim_case').select(['failed_attempts', 'locked_until']).where('case_number', '=', made.caseNumber).executeTakeFirstOrThrow();
    expect(Number(c.failed_attempts)).toBeGreaterThan(0);
    if (c.locked_until !== null) expect(Date.parse(c.locked_until) - Date.now()).toBeLessThanOrEqual(MAX_LOCK_MS);
  });

  it('serves the page at / with a strict CSP, help links, and the routes in /openapi.json', async () => {
    const page = await t.request('GET', '/');
    if (page.status === 503) {
      console.warn('cases_api: web/dist is not built (npm run build); the page checks are skipped');
    } else {
      expect(page.status).toBe(200);
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).toContain("worker-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(page.text).not.toMatch(/<script(?![^>]*src=)[^>]*>/);
      expect(page.text).not.toMatch(/https?:\/\//);
    }
    expect((await t.request('GET', '/assets/../package.json')).status).toBe(404);
    expect((await t.request('GET', '/v1/cases/page-config')).json).toEqual({ helplineUrl: 'https://helpline.example/', policeUrl: null });
    const doc = (await t.request('GET', '/openapi.json')).json;
    for (const p of ['/v1/cases', '/v1/cases/status', '/v1/cases/withdraw']) expect(Object.keys(doc.paths)).toContain(p);
  });
});
