/**
 * Generated requests (fast-check) against every route family over real HTTP: malformed JSON, wrong hash lengths,
 * odd content types, unknown banks, huge values. The server must answer each with a client error (problem+json on
 * /v1, HMA's shapes on /m /h /c) or a success, never a 500 or a stack trace, and keep serving.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeServerEachDialect, untilReady, type TestServer } from './test-server.js';

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxyz'.split('')), minLength: n, maxLength: n });
const text = fc.oneof(fc.string({ maxLength: 40 }), hex(64), hex(32), hex(63), fc.constantFrom('', '../../etc/passwd', '%00', '\u0000', 'TEST_BANK', 'fuzz', '-1', '1e309', 'null'));
const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({ signals: fc.array(fc.record({ signalType: fc.constantFrom('pdq', 'md5', 'sha256', 'vpdq', 'phone', 'handle', 'nope'), signal: text }), { maxLength: 5 }) }),
  fc.record({ entries: fc.array(fc.record({ signalType: fc.constantFrom('pdq', 'md5', 'x'), signal: text, quality: fc.oneof(fc.integer(), fc.constant(null)) }), { maxLength: 5 }) }),
  fc.record({ name: text, thresholds: fc.dictionary(fc.constantFrom('pdq', 'md5', 'zz'), fc.integer()), enabled: fc.boolean() }),
  fc.record({ pdq: fc.oneof(fc.array(text, { maxLength: 3 }), text), video_md5: text }),
);
const body = fc.oneof(
  jsonValue.map((v) => ({ body: JSON.stringify(v), type: 'application/json' })),
  fc.string({ maxLength: 200 }).map((s) => ({ body: s, type: 'application/json' })),
  fc.string({ maxLength: 200 }).map((s) => ({ body: s, type: fc.sample(fc.constantFrom('text/csv', 'text/plain', 'application/x-ndjson', 'multipart/form-data; boundary=zz', 'application/xml', 'image/jpeg'), 1)[0] })),
  fc.constant({ body: undefined as string | undefined, type: undefined as string | undefined }),
);
const seg = fc.oneof(text, fc.constantFrom('case-1', 'TEST_BANK', '1', '999999999999', '00000000-0000-0000-0000-000000000000'));
const route = fc.oneof(
  fc.tuple(fc.constantFrom('GET', 'POST'), fc.constant('/v1/match')),
  fc.tuple(fc.constant('POST'), fc.constant('/v1/hash')),
  fc.tuple(fc.constantFrom('GET', 'POST'), fc.constant('/v1/banks')),
  fc.tuple(fc.constantFrom('GET', 'PATCH', 'DELETE'), seg.map((s) => `/v1/banks/${encodeURIComponent(s)}`)),
  fc.tuple(fc.constant('POST'), seg.map((s) => `/v1/banks/${encodeURIComponent(s)}/entries`)),
  fc.tuple(fc.constant('POST'), seg.map((s) => `/v1/banks/${encodeURIComponent(s)}/entries/remove`)),
  fc.tuple(fc.constant('POST'), seg.map((s) => `/v1/banks/${encodeURIComponent(s)}/identifiers`)),
  fc.tuple(fc.constantFrom('GET', 'DELETE'), fc.tuple(seg, seg).map(([a, b]) => `/v1/banks/${encodeURIComponent(a)}/entries/${encodeURIComponent(b)}`)),
  fc.tuple(fc.constant('POST'), seg.map((s) => `/v1/banks/${encodeURIComponent(s)}/import`)),
  fc.tuple(fc.constant('GET'), seg.map((s) => `/v1/banks/${encodeURIComponent(s)}/export`)),
  fc.tuple(fc.constantFrom('GET', 'DELETE'), seg.map((s) => `/v1/scans/${encodeURIComponent(s)}`)),
  fc.tuple(fc.constant('POST'), fc.constantFrom('/v1/scans', '/v1/scans/path')),
  fc.tuple(fc.constantFrom('GET', 'POST'), fc.constantFrom('/m/lookup', '/m/raw_lookup', '/m/compare', '/m/index/status', '/h/hash', '/c/banks', '/c/signal_type')),
  fc.tuple(fc.constantFrom('GET', 'PUT', 'DELETE'), seg.map((s) => `/c/bank/${encodeURIComponent(s)}`)),
  fc.tuple(fc.constant('POST'), fc.tuple(seg, fc.constantFrom('content', 'signal')).map(([s, r]) => `/c/bank/${encodeURIComponent(s)}/${r}`)),
  fc.tuple(fc.constantFrom('GET', 'DELETE'), fc.tuple(seg, seg).map(([a, b]) => `/c/bank/${encodeURIComponent(a)}/content/${encodeURIComponent(b)}`)),
);
const query = fc.dictionary(fc.constantFrom('signal', 'signal_type', 'banks', 'url', 'types', 'format', 'signalType', 'include_distance', 'seed'), text, { maxKeys: 4 })
  .map((q) => (Object.keys(q).length ? `?${new URLSearchParams(q).toString()}` : ''));

describeServerEachDialect('fuzz', (start) => {
  let t: TestServer;
  let admin: string;
  beforeAll(async () => {
    t = await start({ rateLimit: 0 });
    admin = await t.key('admin');
    await untilReady(t);
    await t.request('POST', '/v1/banks', { key: admin, json: { name: 'case-1' } });
    await t.request('POST', '/c/banks', { key: admin, json: { name: 'TEST_BANK' } });
  });
  afterAll(() => t.close());

  it('answers generated requests without a 500 or a stack, and keeps serving', async () => {
    await fc.assert(fc.asyncProperty(route, query, body, fc.boolean(), async ([method, path], q, b, withKey) => {
      const headers: Record<string, string> = {};
      if (b.type && b.body !== undefined && method !== 'GET') headers['content-type'] = b.type;
      const r = await t.request(method, `${path}${q}`, { key: withKey ? admin : undefined, headers, body: method === 'GET' ? undefined : b.body });
      expect(r.status, `${method} ${path}${q} -> ${r.text.slice(0, 200)}`).toBeLessThan(500);
      expect(r.text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
      if (r.status >= 400 && path.startsWith('/v1/')) {
        expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(r.json).toMatchObject({ status: r.status, code: expect.any(String), detail: expect.any(String) });
      }
      // HMA's own errors are {"message"}; a method or path HMA does not have is answered by the root handler.
      const unmatched = r.headers.get('content-type')?.startsWith('application/problem+json');
      if (r.status >= 400 && /^\/[mhc]\//.test(path) && r.status !== 422 && !unmatched) expect(typeof r.json?.message).toBe('string');
    }), { numRuns: 250 });
    expect((await t.request('GET', '/status/live')).text).toBe('I-AM-ALIVE');
    expect(t.logs.filter((l) => l.includes('unexpected error'))).toEqual([]);
  }, 120_000);
});
