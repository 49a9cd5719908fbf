/**
 * The HMA-compatible routes against ../shared/reference/hma-api.md's documented shapes, over real HTTP on SQLite
 * and PostgreSQL: paths, parameters, status codes, string distances, `{"message"}` errors, 422 arrays, sorted keys,
 * text I-AM-ALIVE; keys required on the keyed listener, none on the open listener the operator names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticImage } from '../../support/synthetic-images.js';
import { describeServerEachDialect, untilReady, type TestServer } from './test-server.js';

const PDQ = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

function flip(hex: string, bits: number): string {
  const b = Buffer.from(hex, 'hex');
  for (let i = 0; i < bits; i++) b[i] ^= 1;
  return b.toString('hex');
}

describeServerEachDialect('hma', (start) => {
  let t: TestServer;
  let key: string;
  let readOnly: string;
  const hma = (method: string, path: string, opts: Parameters<TestServer['request']>[2] = {}) => t.request(method, path, { key, ...opts });

  beforeAll(async () => {
    t = await start({ hmaOpenListen: '127.0.0.1:0' });
    key = await t.key('match,hash,banks:write');
    readOnly = await t.key('banks:read');
    await untilReady(t);
  });
  afterAll(() => t.close());

  it('status: text I-AM-ALIVE, always on, no key', async () => {
    for (const p of ['/status', '/status/live']) {
      const r = await t.request('GET', p);
      expect(r.status).toBe(200);
      expect(r.text).toBe('I-AM-ALIVE');
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    }
  });

  it('site map: every route rule, sorted', async () => {
    const m = await t.request('GET', '/site-map');
    expect(m.json).toEqual([...m.json].sort());
    expect(m.json).toEqual(expect.arrayContaining(['/c/bank/<name>', '/m/lookup', '/status', '/status/live']));
  });

  it('banks: create 201, name rule 400, exists 403, missing name 422 array, list and get sorted', async () => {
    const c = await hma('POST', '/c/banks', { json: { name: 'TEST_BANK' } });
    expect(c.status).toBe(201);
    expect(c.text).toBe('{"matching_enabled_ratio":1.0,"name":"TEST_BANK"}');
    expect(await hma('POST', '/c/banks', { json: { name: 'lower_case' } })).toMatchObject({ status: 400, json: { message: 'Bank names must be UPPER_WITH_UNDERSCORE' } });
    expect(await hma('POST', '/c/banks', { json: { name: '9_LEADING_DIGIT' } })).toMatchObject({ status: 400 });
    expect(await hma('POST', '/c/banks', { json: { name: 'TEST_BANK' } })).toMatchObject({ status: 403, json: { message: 'Bank already exists' } });
    const missing = await hma('POST', '/c/banks', { json: {} });
    expect(missing.status).toBe(422);
    expect(Array.isArray(missing.json)).toBe(true);
    expect(missing.json[0]).toMatchObject({ type: 'missing', loc: ['name'], msg: 'Field required' });
    expect(missing.json.message).toBeUndefined();
    await hma('POST', '/c/banks', { json: { name: 'OTHER_BANK', enabled_ratio: 0.0 } });
    const list = await hma('GET', '/c/banks', { key: readOnly });
    expect(list.json).toEqual(expect.arrayContaining([{ matching_enabled_ratio: 1, name: 'TEST_BANK' }, { matching_enabled_ratio: 0, name: 'OTHER_BANK' }]));
    expect((await hma('GET', '/c/bank/TEST_BANK')).json).toEqual({ matching_enabled_ratio: 1, name: 'TEST_BANK' });
    expect(await hma('GET', '/c/bank/NOPE')).toMatchObject({ status: 404, json: { message: "bank 'NOPE' not found" } });
  });

  it('bank update and delete: 404 Bank not found, 403 name taken, DELETE always Done', async () => {
    expect((await hma('PUT', '/c/bank/OTHER_BANK', { json: { enabled_ratio: 1.0 } })).text).toBe('{"matching_enabled_ratio":1.0,"name":"OTHER_BANK"}');
    expect(await hma('PUT', '/c/bank/NOPE', { json: { enabled: true } })).toMatchObject({ status: 404, json: { message: 'Bank not found' } });
    expect(await hma('PUT', '/c/bank/OTHER_BANK', { json: { name: 'TEST_BANK' } })).toMatchObject({ status: 403, json: { message: 'Bank name already exists' } });
    expect(await hma('PUT', '/c/bank/OTHER_BANK', { json: { name: 'bad name' } })).toMatchObject({ status: 400 });
    expect(await hma('DELETE', '/c/bank/OTHER_BANK')).toMatchObject({ status: 200, json: { message: 'Done' } });
    expect(await hma('DELETE', '/c/bank/NEVER_WAS')).toMatchObject({ status: 200, json: { message: 'Done' } });
  });

  it('signal add 200 {id, signals}, then lookup with string distances and the banks filter', async () => {
    const add = await hma('POST', '/c/bank/TEST_BANK/signal', { json: { pdq: PDQ, video_md5: ` ${MD5.toUpperCase()} ` } });
    expect(add.status).toBe(200);
    expect(add.json).toEqual({ id: expect.any(Number), signals: { pdq: PDQ, video_md5: MD5 } });
    expect(await hma('POST', '/c/bank/TEST_BANK/signal', { json: { sha1: 'x' } })).toMatchObject({ status: 400, json: { message: 'No such signal type sha1' } });
    expect(await hma('POST', '/c/bank/TEST_BANK/signal', { json: { pdq: PDQ.toUpperCase() } })).toMatchObject({ status: 400, json: { message: 'Invalid pdq signal: invalid PDQ hash' } });
    expect(await hma('POST', '/c/bank/TEST_BANK/signal', { json: {} })).toMatchObject({ status: 400, json: { message: 'No signals given' } });
    expect(await hma('POST', '/c/bank/NOPE/signal', { json: { pdq: PDQ } })).toMatchObject({ status: 404 });

    const near = await hma('GET', `/m/lookup?signal_type=pdq&signal=${flip(PDQ, 9)}`);
    expect(near.status).toBe(200);
    expect(near.json).toEqual({ TEST_BANK: [{ bank_content_id: add.json.id, distance: '9' }] });
    expect((await hma('GET', `/m/lookup?signal_type=pdq&signal=${flip(PDQ, 32)}`)).json).toEqual({});
    expect((await hma('GET', `/m/lookup?signal_type=video_md5&signal=${MD5}`)).json.TEST_BANK[0].distance).toBe('-');
    expect((await hma('GET', `/m/lookup?signal_type=pdq&signal=${PDQ}&banks=NOPE,OTHER`)).json).toEqual({});
    expect((await hma('GET', `/m/lookup?signal_type=pdq&signal=${PDQ}&banks=TEST_BANK`)).json.TEST_BANK).toHaveLength(1);
  });

  it('lookup errors: the documented texts and codes', async () => {
    expect(await hma('GET', '/m/lookup')).toMatchObject({ status: 400, json: { message: 'Either url or both signal and signal_type are required' } });
    expect(await hma('GET', `/m/lookup?signal_type=nope&signal=${PDQ}`)).toMatchObject({ status: 400, json: { message: "No such SignalType 'nope'" } });
    expect(await hma('GET', '/m/lookup?signal_type=pdq&signal=abc')).toMatchObject({ status: 400, json: { message: 'invalid signal: invalid PDQ hash' } });
    expect(await hma('GET', '/m/lookup?url=http://169.254.169.254/')).toMatchObject({ status: 400, json: { message: 'Invalid or unsafe URL provided' } });
    expect((await hma('GET', '/h/hash')).status).toBe(422);
    expect(await hma('GET', '/h/hash?url=https://example.com/a.jpg')).toMatchObject({ status: 400, json: { message: 'Invalid or unsafe URL provided' } });
    const raw = await hma('GET', '/m/raw_lookup?signal_type=pdq');
    expect(raw.status).toBe(422);
    expect(raw.json[0]).toMatchObject({ type: 'missing', loc: ['signal'] });
    expect((await hma('GET', `/m/raw_lookup?signal_type=pdq&signal=${PDQ}`)).json).toEqual({ matches: [expect.any(Number)] });
    expect((await hma('GET', `/m/raw_lookup?signal_type=pdq&signal=${PDQ}&include_distance=true`)).json.matches[0].distance).toBe('0');
  });

  it('compare: [match, {distance}] and its error texts', async () => {
    const r = await hma('POST', '/m/compare', { json: { pdq: [PDQ, flip(PDQ, 9)] } });
    expect(r.json).toEqual({ pdq: [true, { distance: 9 }] });
    expect((await hma('POST', '/m/compare', { json: { pdq: [PDQ, flip(PDQ, 32)] } })).json).toEqual({ pdq: [false, { distance: 32 }] });
    expect(await hma('POST', '/m/compare', { json: [1] })).toMatchObject({ status: 400, json: { message: 'Request input was not a dict' } });
    expect(await hma('POST', '/m/compare', { json: { pdq: PDQ } })).toMatchObject({ status: 400, json: { message: 'Comparison hashes for pdq was not a list' } });
    expect(await hma('POST', '/m/compare', { json: { pdq: [PDQ] } })).toMatchObject({ status: 400, json: { message: 'Comparison hash list length must be exactly 2' } });
    expect(await hma('POST', '/m/compare', { json: { nope: [1, 2] } })).toMatchObject({ status: 400, json: { message: "No such SignalType 'nope'" } });
    expect(await hma('POST', '/m/compare', { json: { pdq: [PDQ, 'x'] } })).toMatchObject({ status: 400, json: { message: 'Invalid pdq hash: invalid PDQ hash' } });
  });

  it('uploads: field name is the content type; hash, lookup and content add', async () => {
    const jpeg = new Uint8Array(await syntheticImage(256, 256, 11));
    const form = (field: string, n = 1) => {
      const f = new FormData();
      for (let i = 0; i < n; i++) f.append(field, new Blob([jpeg]), `p${i}.jpg`);
      return f;
    };
    const h = await hma('POST', '/h/hash', { body: form('photo') });
    expect(h.status).toBe(200);
    expect(Object.keys(h.json)).toEqual(['pdq']);
    expect(h.json.pdq).toMatch(/^[0-9a-f]{64}$/);
    expect(await hma('POST', '/h/hash', { body: form('file') })).toMatchObject({ status: 400, json: { message: "no such content_type: 'file'" } });
    expect(await hma('POST', '/h/hash', { body: form('photo', 2) })).toMatchObject({ status: 400, json: { message: 'Only one file allowed per request' } });
    expect(await hma('POST', '/h/hash', { body: new FormData() })).toMatchObject({ status: 400, json: { message: 'Missing multipart/form-data file upload' } });
    expect(await hma('POST', '/h/hash?types=nope', { body: form('photo') })).toMatchObject({ status: 400, json: { message: "signal type 'nope' doesn't exist or is disabled" } });
    expect((await hma('POST', '/m/lookup', { body: form('photo') })).json).toEqual({ pdq: {} });
    const f = form('photo');
    f.append('note', 'from the test');
    const added = await hma('POST', '/c/bank/TEST_BANK/content', { body: f });
    expect(added.status).toBe(200);
    expect(added.json).toEqual({ id: expect.any(Number), signals: { pdq: h.json.pdq } });
    expect((await hma('POST', '/m/lookup', { body: form('photo') })).json).toEqual({ pdq: { TEST_BANK: [{ bank_content_id: added.json.id, distance: '0' }] } });
    const got = await hma('GET', `/c/bank/TEST_BANK/content/${added.json.id}?include_signals=true`);
    expect(got.json).toMatchObject({ id: added.json.id, disable_until_ts: 1, original_media_uri: null, signals: { pdq: h.json.pdq }, note: 'from the test', bank: { name: 'TEST_BANK' } });
    expect(Object.keys((await hma('GET', `/c/bank/TEST_BANK/content/${added.json.id}`)).json)).not.toContain('signals');
    expect(await hma('POST', '/c/bank/TEST_BANK/content', { json: {} })).toMatchObject({ status: 400, json: { message: 'Neither `url` nor multipart file upload was received' } });
    expect((await hma('DELETE', `/c/bank/TEST_BANK/content/${added.json.id}`)).json).toEqual({ deleted: 1 });
    expect((await hma('DELETE', `/c/bank/TEST_BANK/content/${added.json.id}`)).json).toEqual({ deleted: 0 });
    expect((await hma('POST', '/m/lookup', { body: form('photo') })).json).toEqual({ pdq: {} });
  });

  it('index status and type lists', async () => {
    const s = await hma('GET', '/m/index/status');
    expect(s.json.pdq).toMatchObject({ present: true, size: expect.any(Number), built_to: expect.any(Number) });
    expect(await hma('GET', '/m/index/status?signal_type=x')).toMatchObject({ status: 400, json: { message: "No such signal type 'x'" } });
    expect((await hma('GET', '/c/signal_type')).text).toBe('[{"enabled_ratio":1.0,"name":"pdq"},{"enabled_ratio":1.0,"name":"video_md5"}]');
    expect((await hma('GET', '/c/content_type')).json).toEqual([{ enabled: true, name: 'photo' }, { enabled: true, name: 'video' }]);
  });

  it('keys: the keyed listener wants a Bearer key with the scope; the open listener serves HMA routes without one', async () => {
    const none = await t.request('GET', `/m/lookup?signal_type=pdq&signal=${PDQ}`);
    expect(none.status).toBe(401);
    expect(none.json.message).toMatch(/API key/);
    expect((await t.request('POST', '/c/banks', { key: readOnly, json: { name: 'X_BANK' } })).status).toBe(403);
    expect(t.openUrl).toBeTruthy();
    const open = await t.request('GET', `/m/lookup?signal_type=pdq&signal=${PDQ}`, { base: t.openUrl });
    expect(open.status).toBe(200);
    expect(open.json.TEST_BANK).toHaveLength(1);
    expect((await t.request('GET', '/v1/banks', { base: t.openUrl })).status).toBe(404);
  });
});

describe('HMA routes while the index loads', () => {
  it('answer 503 index not yet ready, and /status INDEX-NOT-LOADED', async () => {
    const { startServer } = await import('../../../src/server/start-server.js');
    const { loadServerConfig } = await import('../../../src/server/config.js');
    const { mkdtemp, rm } = await import('node:fs/promises');
    const dir = await mkdtemp(`${(await import('node:os')).tmpdir()}/unexpose-hma-`);
    const s = await startServer(loadServerConfig({ port: 0, dbPath: `${dir}/x.db`, hmaOpenListen: '127.0.0.1:0', logLevel: 'silent' }, {}), { mode: 'inline' });
    try {
      while (!s.ctx.index.ready) await new Promise((r) => setTimeout(r, 20));
      // Put the index back in its loading state, as a big store is for a while on start.
      (s.ctx.index as unknown as { loaded: boolean }).loaded = false;
      s.ctx.index.state = 'loading';
      const st = await fetch(`${s.url}/status`);
      expect(st.status).toBe(503);
      expect(await st.text()).toBe('INDEX-NOT-LOADED');
      const r = await fetch(`${s.openUrl}/m/lookup?signal_type=pdq&signal=${PDQ}`);
      expect(r.status).toBe(503);
      expect(await r.json()).toEqual({ message: 'index not yet ready' });
      expect((await fetch(`${s.url}/status/ready`)).status).toBe(503);
    } finally {
      await s.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
