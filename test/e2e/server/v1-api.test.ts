/** The platform API v1 over real HTTP, on SQLite and PostgreSQL: keys and scopes, banks, entries, match, hash, docs, logs. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { syntheticNlMobile } from '../../../src/core/identifiers/synthetic-phones.js';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticImage } from '../../support/synthetic-images.js';
import { hasFfmpeg, lavfiVideo, warnIfNoFfmpeg } from '../video-fixtures.js';
import { describeServerEachDialect, untilReady, type TestServer } from './test-server.js';

const PDQ = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
/** PDQ with 3 bits flipped. */
const NEAR = flip(PDQ, 3);

function flip(hex: string, bits: number): string {
  const b = Buffer.from(hex, 'hex');
  for (let i = 0; i < bits; i++) b[i * 3] ^= 1;
  return b.toString('hex');
}

function randomPdq(seed: number): string {
  let s = seed;
  return Array.from({ length: 64 }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16 & 15).toString(16)).join('');
}

warnIfNoFfmpeg('the video upload case');

describeServerEachDialect('v1_api', (start) => {
  let t: TestServer;
  let admin: string;
  let writer: string;
  let matcher: string;

  beforeAll(async () => {
    t = await start();
    admin = await t.key('admin');
    writer = await t.key('banks:write,hash');
    matcher = await t.key('match');
    await untilReady(t);
  });
  afterAll(() => t.close());

  it('refuses requests without a key, with a bad key and without the scope, as problem+json', async () => {
    const none = await t.request('GET', '/v1/banks');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.json).toMatchObject({ status: 401, code: 'unauthorized' });
    expect((await t.request('GET', '/v1/banks', { key: 'uxk_not-a-real-key' })).json.code).toBe('unauthorized');
    const scoped = await t.request('POST', '/v1/banks', { key: matcher, json: { name: 'x' } });
    expect(scoped.status).toBe(403);
    expect(scoped.json.code).toBe('forbidden');
  });

  it('creates, lists, reads, changes and refuses duplicate banks', async () => {
    const created = await t.request('POST', '/v1/banks', { key: writer, json: { name: 'case-1', labels: ['ncii'], thresholds: { pdq: 20 } } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'case-1', thresholds: { pdq: 20 }, enabled: true, negative: false, labels: ['ncii'] });
    expect((await t.request('POST', '/v1/banks', { key: writer, json: { name: 'case-1' } })).json).toMatchObject({ status: 409, code: 'conflict' });
    expect((await t.request('POST', '/v1/banks', { key: writer, json: { name: '../etc' } })).status).toBe(400);
    expect((await t.request('POST', '/v1/banks', { key: writer, json: { name: 'x', thresholds: { pdq: 99 } } })).json.code).toBe('invalid_input');
    const changed = await t.request('PATCH', '/v1/banks/case-1', { key: writer, json: { thresholds: { pdq: 31 } } });
    expect(changed.json.thresholds.pdq).toBe(31);
    await t.request('POST', '/v1/banks', { key: writer, json: { name: 'tmp-name' } });
    expect((await t.request('PATCH', '/v1/banks/tmp-name', { key: writer, json: { name: 'case-1' } })).json.code).toBe('conflict');
    expect((await t.request('PATCH', '/v1/banks/tmp-name', { key: writer, json: { name: 'renamed', enabled: false } })).json).toMatchObject({ name: 'renamed', enabled: false });
    const list = await t.request('GET', '/v1/banks', { key: writer });
    expect(list.json.banks.map((b: { name: string }) => b.name)).toContain('case-1');
    expect((await t.request('GET', '/v1/banks/nope', { key: writer })).json).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('adds entries, rejects bad ones by position, and matches at once (single and batch)', async () => {
    const add = await t.request('POST', '/v1/banks/case-1/entries', {
      key: writer,
      json: { entries: [{ signalType: 'pdq', signal: PDQ, sourceRef: 'msg-1', labels: ['x'] }, { signalType: 'md5', signal: 'nothex' }, { signalType: 'md5', signal: 'd41d8cd98f00b204e9800998ecf8427e' }] },
    });
    expect(add.status).toBe(200);
    expect(add.json).toMatchObject({ added: 2, duplicates: 0, rejected: [{ index: 1 }] });
    const one = await t.request('GET', `/v1/match?signal_type=pdq&signal=${NEAR}`, { key: matcher });
    expect(one.status).toBe(200);
    expect(one.json.matches).toEqual([expect.objectContaining({ bank: 'case-1', signalType: 'pdq', signal: PDQ, distance: 3, sourceRef: 'msg-1', labels: ['ncii', 'x'] })]);
    const signals = Array.from({ length: 1000 }, (_, i) => ({ signalType: 'pdq', signal: i === 500 ? NEAR : randomPdq(i + 1) }));
    signals[7] = { signalType: 'pdq', signal: 'abc' };
    const batch = await t.request('POST', '/v1/match', { key: matcher, json: { signals } });
    expect(batch.status).toBe(200);
    expect(batch.json.results).toHaveLength(1000);
    expect(batch.json.results[500].matches[0].distance).toBe(3);
    expect(batch.json.results[7].error.code).toBe('invalid_signal');
    expect(batch.json.results.filter((r: { matches: unknown[] }) => r.matches.length > 0)).toHaveLength(1);
    const tooMany = await t.request('POST', '/v1/match', { key: matcher, json: { signals: [...signals, signals[0]] } });
    expect(tooMany.status).toBe(400);
  });

  it('a negative bank suppresses a match; removing the entry stops it matching at once', async () => {
    await t.request('POST', '/v1/banks', { key: writer, json: { name: 'false-positives', negative: true } });
    const neg = await t.request('POST', '/v1/banks/false-positives/entries', { key: writer, json: { entries: [{ signalType: 'pdq', signal: flip(PDQ, 5) }] } });
    const suppressed = await t.request('GET', `/v1/match?signal_type=pdq&signal=${PDQ}`, { key: matcher });
    expect(suppressed.json.matches).toEqual([]);
    expect(suppressed.json.suppressedBy[0].bank).toBe('false-positives');
    const one = await t.request('GET', `/v1/banks/false-positives/entries/${neg.json.ids[0]}`, { key: writer });
    expect(one.json).toMatchObject({ id: neg.json.ids[0], bank: 'false-positives', signalType: 'pdq', signal: flip(PDQ, 5) });
    expect((await t.request('GET', `/v1/banks/case-1/entries/${neg.json.ids[0]}`, { key: writer })).status).toBe(404);
    const del = await t.request('DELETE', `/v1/banks/false-positives/entries/${neg.json.ids[0]}`, { key: writer });
    expect(del.json).toEqual({ removed: 1 });
    expect((await t.request('GET', `/v1/match?signal_type=pdq&signal=${PDQ}`, { key: matcher })).json.matches).toHaveLength(1);
    const removed = await t.request('POST', '/v1/banks/case-1/entries/remove', { key: writer, json: { signal: PDQ, signalType: 'pdq' } });
    expect(removed.json.removed).toBe(1);
    expect((await t.request('GET', `/v1/match?signal_type=pdq&signal=${PDQ}`, { key: matcher })).json.matches).toEqual([]);
  });

  it('refuses an import body over the import limit as too large, and keeps none of its lines', async () => {
    const small = await start({ importLimit: 4096 });
    try {
      const key = await small.key('banks:write');
      await small.request('POST', '/v1/banks', { key, json: { name: 'limited' } });
      const rows = Array.from({ length: 120 }, (_, i) => `pdq,${randomPdq(i + 1)},90,,`);
      const body = `signal_type,signal,quality,labels,source_ref\n${rows.join('\n')}\n`;
      expect(body.length).toBeGreaterThan(4096);
      const imp = await small.request('POST', '/v1/banks/limited/import?format=csv', { key, body, headers: { 'content-type': 'text/csv' } });
      expect(imp.status).toBe(413);
      expect(imp.json).toMatchObject({ code: 'too_large' });
      expect(imp.json.detail).toMatch(/limit of 4096 bytes/);
      expect((await small.request('GET', '/v1/banks/limited/export?format=jsonl', { key })).text.trim()).toBe('');
      // Under the limit the same rows go in, read a chunk at a time.
      const fits = `signal_type,signal,quality,labels,source_ref\n${rows.slice(0, 40).join('\n')}\n`;
      const ok = await small.request('POST', '/v1/banks/limited/import?format=csv', { key, body: fits, headers: { 'content-type': 'text/csv' } });
      expect(ok.json).toMatchObject({ lines: 41, added: 40, skipped: 0 });
    } finally {
      await small.close();
    }
  });

  it('imports CSV as a stream with bad lines reported by number, and exports what it holds', async () => {
    await t.request('POST', '/v1/banks', { key: writer, json: { name: 'imported' } });
    const csv = `signal_type,signal,quality,labels,source_ref\npdq,${PDQ},90,a;b,ref-1\npdq,zz,,,\nmd5,${'a'.repeat(32)},,,\n`;
    const imp = await t.request('POST', '/v1/banks/imported/import?format=csv', { key: writer, body: csv, headers: { 'content-type': 'text/csv' } });
    expect(imp.status).toBe(200);
    expect(imp.json).toMatchObject({ added: 2, skipped: 1, badLines: [{ line: 3 }] });
    const exp = await t.request('GET', '/v1/banks/imported/export?format=jsonl', { key: writer });
    expect(exp.headers.get('content-type')).toMatch(/ndjson/);
    const lines = exp.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.signal).sort()).toEqual([PDQ, 'a'.repeat(32)].sort());
    const hit = await t.request('GET', `/v1/match?signal_type=pdq&signal=${NEAR}&banks=imported`, { key: matcher });
    expect(hit.json.matches[0]).toMatchObject({ bank: 'imported', quality: 90, sourceRef: 'ref-1' });
    expect((await t.request('GET', `/v1/match?signal_type=pdq&signal=${NEAR}&banks=nope`, { key: matcher })).status).toBe(404);
  });

  it('stores identifiers only as keyed hashes with a redacted form, and matches them sent in clear', async () => {
    const phone = syntheticNlMobile(42);
    const digits = phone.replace(/\D/g, '');
    const add = await t.request('POST', '/v1/banks/case-1/identifiers', { key: writer, json: { identifiers: [{ value: phone }, { value: 'instagram:synthetic.victim_7' }, { value: 'hello' }] } });
    expect(add.status).toBe(200);
    expect(add.json.results[0]).toMatchObject({ index: 0, signalType: 'phone', added: true });
    expect(add.json.results[0].display).toContain('•');
    expect(add.json.results[1]).toMatchObject({ signalType: 'handle', added: true });
    expect(add.json.results[2].error).toBeTruthy();
    const hit = await t.request('GET', `/v1/match?signal_type=phone&signal=${encodeURIComponent(phone)}`, { key: matcher });
    expect(hit.json.matches).toHaveLength(1);
    expect(hit.json.matches[0].display).toBe(add.json.results[0].display);
    expect(JSON.stringify(hit.json)).not.toContain(digits.slice(-7));
    const rows = await t.server.ctx.store.db.selectFrom('bank_entry').selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(digits.slice(-7));
    expect(dump).not.toContain('synthetic.victim_7');
    const exp = await t.request('GET', '/v1/banks/case-1/export?format=csv', { key: writer });
    expect(exp.text).not.toContain(digits.slice(-7));
    expect((await t.request('POST', '/v1/banks/case-1/entries', { key: writer, json: { entries: [{ signalType: 'phone', signal: phone }] } })).json.rejected).toHaveLength(1);
  });

  it('withdraws a bank: it and its entries are gone and match no more', async () => {
    const w = await t.request('DELETE', '/v1/banks/imported', { key: writer });
    expect(w.json).toEqual({ bank: 'imported', removed: 2 });
    expect((await t.request('GET', `/v1/match?signal_type=pdq&signal=${NEAR}`, { key: matcher })).json.matches).toEqual([]);
    expect((await t.request('GET', '/v1/banks/imported', { key: writer })).status).toBe(404);
  });

  it('hashes an uploaded photo without storing it, and matches an upload', async () => {
    const jpeg = await syntheticImage(320, 240, 7);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'private-name-0612345678.jpg');
    const h = await t.request('POST', '/v1/hash', { key: writer, body: form });
    expect(h.status).toBe(200);
    expect(h.json.kind).toBe('photo');
    const pdq = h.json.signals.find((s: { signalType: string }) => s.signalType === 'pdq').signal;
    expect(pdq).toMatch(/^[0-9a-f]{64}$/);
    await t.request('POST', '/v1/banks/case-1/entries', { key: writer, json: { entries: [{ signalType: 'pdq', signal: pdq }] } });
    const form2 = new FormData();
    form2.append('file', new Blob([new Uint8Array(jpeg)]), 'x.jpg');
    const m = await t.request('POST', '/v1/match', { key: matcher, body: form2 });
    expect(m.status).toBe(200);
    expect(m.json.results[0].matches[0]).toMatchObject({ bank: 'case-1', distance: 0 });
    const junk = new FormData();
    junk.append('file', new Blob(['not an image at all']), 'junk.bin');
    const bad = await t.request('POST', '/v1/hash', { key: writer, body: junk });
    expect(bad.status).toBe(415);
    expect(bad.json.code).toBe('unsupported_media');
    expect((await t.request('POST', '/v1/hash', { key: writer, json: {} })).status).toBe(415);
  });

  it.skipIf(!hasFfmpeg)('hashes an uploaded video (vPDQ, MD5, SHA-256) from memory and writes no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'unexpose-v1-video-'));
    try {
      await lavfiVideo(join(dir, 'clip.mp4'), 'testsrc=size=160x120:rate=10:duration=3');
      const uploads = async () => (await readdir(tmpdir())).filter((n) => n.startsWith('unexpose-upload-video-'));
      const before = await uploads();
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(await readFile(join(dir, 'clip.mp4')))]), 'clip.mp4');
      const h = await t.request('POST', '/v1/hash', { key: writer, body: form });
      expect(h.status).toBe(200);
      expect(h.json.kind).toBe('video');
      expect(h.json.signals.map((s: { signalType: string }) => s.signalType)).toEqual(['vpdq', 'md5', 'sha256']);
      expect(JSON.parse(h.json.signals[0].signal).length).toBeGreaterThan(1);
      const { createHash } = await import('node:crypto');
      expect(h.json.signals[1].signal).toBe(createHash('md5').update(await readFile(join(dir, 'clip.mp4'))).digest('hex'));
      expect(await uploads()).toEqual(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serves status, metrics (admin only), the OpenAPI document and a docs page without outside assets', async () => {
    expect((await t.request('GET', '/status/live')).text).toBe('I-AM-ALIVE');
    expect((await t.request('GET', '/status/ready')).json).toMatchObject({ ready: true, database: 'ok', index: 'ready' });
    expect((await t.request('GET', '/metrics', { key: writer })).status).toBe(403);
    const metrics = await t.request('GET', '/metrics', { key: admin });
    expect(metrics.text).toMatch(/unexpose_http_request_duration_seconds_bucket\{.*route="\/v1\/match"/);
    expect(metrics.text).toMatch(/unexpose_bank_entries\{bank="case-1"\} \d+/);
    expect(metrics.text).toMatch(/unexpose_lookups_total\{api="v1"\} \d+/);
    expect(metrics.text).toMatch(/unexpose_job_queue_depth 0/);
    const doc = await t.request('GET', '/openapi.json');
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths)).toEqual(expect.arrayContaining(['/v1/match', '/v1/banks/{name}', '/v1/scans/{id}/events', '/m/lookup']));
    expect(doc.json.paths['/v1/match'].post.requestBody).toBeDefined();
    const docs = await t.request('GET', '/docs');
    expect(docs.text).toContain('/v1/banks/{name}/import');
    expect(docs.text).not.toMatch(/(src|href)="https?:/);
    expect(docs.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(docs.headers.get('access-control-allow-origin')).toBeNull();
    expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('logs request id, route, status and time, and never a hash or a file name', async () => {
    const lines = t.logs.map((l) => JSON.parse(l));
    const req = lines.filter((l) => l.msg === 'request');
    expect(req.length).toBeGreaterThan(10);
    expect(req[0]).toEqual(expect.objectContaining({ reqId: expect.any(String), route: expect.any(String), status: expect.any(Number), ms: expect.any(Number) }));
    expect(req.some((l) => l.route === '/v1/match' && l.method === 'GET')).toBe(true);
    const all = t.logs.join('\n');
    for (const secret of [PDQ, NEAR, PDQ.slice(0, 16), 'private-name', '0612345678', 'msg-1', 'ref-1', syntheticNlMobile(42).replace(/\D/g, '').slice(-7), 'synthetic.victim_7']) expect(all).not.toContain(secret);
  });

  it('a revoked key stops working within a second', async () => {
    const k = await t.key('match');
    expect((await t.request('GET', `/v1/match?signal_type=pdq&signal=${PDQ}`, { key: k })).status).toBe(200);
    const id = (await t.server.ctx.apiKeyRepo.listKeys()).at(-1)!.id;
    await t.server.ctx.apiKeyRepo.revokeKey(id, new Date().toISOString());
    await new Promise((r) => setTimeout(r, 1100));
    expect((await t.request('GET', `/v1/match?signal_type=pdq&signal=${PDQ}`, { key: k })).status).toBe(401);
  });
});

describeServerEachDialect('v1_limits', (start) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await start({ rateLimit: 5, bodyLimit: 4096, uploadLimit: 2048 });
    await untilReady(t);
  });
  afterAll(() => t.close());

  it('limits requests per key, JSON bodies and uploads', async () => {
    const a = await t.key('match,hash');
    const b = await t.key('match');
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await t.request('GET', `/v1/match?signal_type=md5&signal=${'a'.repeat(32)}`, { key: a })).status);
    expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const limited = await t.request('GET', `/v1/match?signal_type=md5&signal=${'a'.repeat(32)}`, { key: a });
    expect(limited.status).toBe(429);
    expect(limited.json.code).toBe('rate_limited');
    expect((await t.request('GET', `/v1/match?signal_type=md5&signal=${'a'.repeat(32)}`, { key: b })).status).toBe(200);
    const big = await t.request('POST', '/v1/match', { key: b, json: { signals: [{ signalType: 'md5', signal: 'a'.repeat(10_000) }] } });
    expect(big.status).toBe(413);
    expect(big.json.code).toBe('too_large');
    const c = await t.key('hash');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await syntheticImage(400, 400, 3))]), 'a.jpg');
    const up = await t.request('POST', '/v1/hash', { key: c, body: form });
    expect(up.status).toBe(413);
    expect(up.json.code).toBe('too_large');
  });
});
