/** HMA's /m (matcher) and /h (hasher) routes over the same match and hash services as /v1. */
import type { FastifyInstance } from 'fastify';
import { matchSignals, type SignalAnswer } from '../../../services/match-signals.js';
import type { ServerContext } from '../../context.js';
import { HMA_PDQ_THRESHOLD, HMA_SIGNAL_TYPES, HmaError, hmaDistance, hmaSignalValue, selectTypes } from './hma-shapes.js';
import { readHmaUpload } from './hma-upload.js';

type Query = Record<string, string | undefined>;
const tags = ['hma'];
const UNSAFE_URL = 'Invalid or unsafe URL provided';

/** {BANK: [{bank_content_id, distance}]} for one answer. */
function byBank(a: SignalAnswer): Record<string, { bank_content_id: number; distance: string }[]> {
  const out: Record<string, { bank_content_id: number; distance: string }[]> = {};
  for (const m of a.matches) (out[m.bank] ??= []).push({ bank_content_id: m.entryId, distance: hmaDistance(m.signalType, m.distance) });
  return out;
}

/** 422 with a pydantic-style array, for a missing required query field. */
function missing(field: string, input: unknown): HmaError & { body: unknown } {
  const e = new HmaError(422, 'Field required') as HmaError & { body: unknown };
  e.body = [{ type: 'missing', loc: [field], msg: 'Field required', input, url: 'https://errors.pydantic.dev/2.9/v/missing' }];
  return e;
}

export function hmaMatchingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const deps = { banks: ctx.store.banks, index: ctx.index };
  const banksOf = (q: Query) => (q.banks ? q.banks.split(',').map((b) => b.trim()).filter((b) => b !== '') : undefined);

  /** One signal looked up as HMA does: type checked, value checked, 503 while the index loads. */
  async function lookupOne(type: string, value: unknown, banks: string[] | undefined) {
    const ours = HMA_SIGNAL_TYPES[type];
    if (!ours) throw new HmaError(400, `No such SignalType '${type}'`);
    let signal: string;
    try {
      signal = hmaSignalValue(type, value);
    } catch (err) {
      throw new HmaError(400, `invalid signal: ${(err as Error).message}`);
    }
    if (ours === 'pdq' && !ctx.index.ready) throw new HmaError(503, 'index not yet ready');
    const [a] = await matchSignals(deps, [{ signalType: ours, signal }], { banks, unknownBanks: 'ignore' });
    ctx.metrics.lookups.inc({ api: 'hma' });
    ctx.metrics.matches.inc({ api: 'hma' }, a.matches.length);
    return a;
  }

  app.get('/m/lookup', { config: { scope: 'match' }, schema: { tags, summary: 'HMA lookup (signal + signal_type)' } }, async (req) => {
    const q = req.query as Query;
    if (q.signal !== undefined && q.signal_type !== undefined) return byBank(await lookupOne(q.signal_type, q.signal, banksOf(q)));
    if (q.url !== undefined) throw new HmaError(400, UNSAFE_URL);
    throw new HmaError(400, 'Either url or both signal and signal_type are required');
  });

  app.post('/m/lookup', { config: { scope: 'match' }, schema: { tags, summary: 'HMA lookup of an uploaded file (field = content type)' } }, async (req) => {
    const q = req.query as Query;
    const up = await readHmaUpload(req, ctx.hasher, ctx.config.uploadLimit);
    const out: Record<string, unknown> = {};
    for (const t of selectTypes(q.types, Object.keys(up.signals))) out[t] = byBank(await lookupOne(t, up.signals[t], banksOf(q)));
    return out;
  });

  app.get('/m/raw_lookup', { config: { scope: 'match' }, schema: { tags, summary: 'HMA raw lookup (ids only)' } }, async (req) => {
    const q = req.query as Query;
    if (q.signal === undefined) throw missing('signal', q);
    if (q.signal_type === undefined) throw missing('signal_type', q);
    const a = await lookupOne(q.signal_type, q.signal, banksOf(q));
    if (q.include_distance === 'true') return { matches: a.matches.map((m) => ({ bank_content_id: m.entryId, distance: hmaDistance(m.signalType, m.distance) })) };
    return { matches: a.matches.map((m) => m.entryId) };
  });

  app.post('/m/compare', { config: { scope: 'match' }, schema: { tags, summary: 'HMA compare two hashes per signal type' } }, async (req) => {
    const body = req.body as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HmaError(400, 'Request input was not a dict');
    const out: Record<string, unknown> = {};
    for (const [type, pair] of Object.entries(body)) {
      if (!HMA_SIGNAL_TYPES[type]) throw new HmaError(400, `No such SignalType '${type}'`);
      if (!Array.isArray(pair)) throw new HmaError(400, `Comparison hashes for ${type} was not a list`);
      if (pair.length !== 2) throw new HmaError(400, 'Comparison hash list length must be exactly 2');
      let a: string;
      let b: string;
      try {
        a = hmaSignalValue(type, pair[0]);
        b = hmaSignalValue(type, pair[1]);
      } catch (err) {
        throw new HmaError(400, `Invalid ${type} hash: ${(err as Error).message}`);
      }
      const distance = type === 'pdq' ? hammingHex(a, b) : a === b ? 0 : 1;
      out[type] = [type === 'pdq' ? distance <= HMA_PDQ_THRESHOLD : distance === 0, { distance }];
    }
    return out;
  });

  app.get('/m/index/status', { config: { scope: 'match' }, schema: { tags, summary: 'HMA index status' } }, async (req) => {
    const q = req.query as Query;
    const types = q.signal_type === undefined ? Object.keys(HMA_SIGNAL_TYPES) : [q.signal_type];
    const out: Record<string, unknown> = {};
    for (const t of types) {
      if (!HMA_SIGNAL_TYPES[t]) throw new HmaError(400, `No such signal type '${t}'`);
      const present = t !== 'pdq' || ctx.index.ready;
      const size = t === 'pdq' ? ctx.index.sizeOf('pdq') : await countType(ctx, 'md5');
      out[t] = present ? { built_to: Math.floor(ctx.index.refreshedAt / 1000), present: true, size } : { built_to: -1, present: false, size: 0 };
    }
    return out;
  });

  app.get('/h/hash', { config: { scope: 'hash' }, schema: { tags, summary: 'HMA hash of a URL (URL fetching is off: always "unsafe URL")' } }, async (req) => {
    const q = req.query as Query;
    if (q.url === undefined) throw missing('url', q);
    throw new HmaError(400, UNSAFE_URL);
  });

  app.post('/h/hash', { config: { scope: 'hash' }, schema: { tags, summary: 'HMA hash of an uploaded file (field = content type)' } }, async (req) => {
    const q = req.query as Query;
    const up = await readHmaUpload(req, ctx.hasher, ctx.config.uploadLimit);
    return Object.fromEntries(selectTypes(q.types, Object.keys(up.signals)).map((t) => [t, up.signals[t]]));
  });
}

async function countType(ctx: ServerContext, type: string): Promise<number> {
  let n = 0;
  for (const b of await ctx.store.banks.listBanks()) n += (await ctx.store.banks.countEntries(b.id)).byType[type] ?? 0;
  return n;
}

function hammingHex(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < a.length; i += 8) {
    let x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      d++;
    }
  }
  return d;
}
