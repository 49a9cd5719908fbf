/**
 * HMA's /c (curator) routes over the same bank services as /v1. HMA's matching_enabled_ratio maps to our
 * `enabled` (ratio > 0 → enabled; shown as 1.0 or 0.0); a content item is one entry per signal, and its id is
 * the first signal's entry id.
 */
import type { FastifyInstance } from 'fastify';
import type { Bank } from '../../../core/banks/bank.js';
import { UnexposeError } from '../../../core/errors.js';
import { addEntries, removeEntry, updateBankSettings } from '../../../services/bank-entries.js';
import { createBank, withdrawBank } from '../../../services/bank-manage.js';
import type { ServerContext } from '../../context.js';
import { checkHmaBankName, HMA_SIGNAL_TYPES, HmaError, hmaSignalValue, hmaTypeName } from './hma-shapes.js';
import { readHmaUpload } from './hma-upload.js';

const tags = ['hma'];
type Body = Record<string, unknown>;

function bankJson(b: Bank): { matching_enabled_ratio: number; name: string } {
  return { matching_enabled_ratio: b.enabled ? 1 : 0, name: b.name };
}

function jsonBody(body: unknown): Body {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    const e = new HmaError(422, 'Input should be a valid dictionary') as HmaError & { body: unknown };
    e.body = [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body ?? null }];
    throw e;
  }
  return body as Body;
}

function checkNote(note: unknown): string | undefined {
  if (note === undefined || note === null) return undefined;
  if (typeof note !== 'string') throw new HmaError(400, 'note must be a string');
  if (note.length > 255) throw new HmaError(400, 'note must be at most 255 characters');
  return note;
}

export function hmaCurationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const deps = ctx.banks;
  const repo = ctx.store.banks;
  const requireBank = async (name: string) => {
    const b = await repo.findBank(name);
    if (!b) throw new HmaError(404, `bank '${name}' not found`);
    return b;
  };

  /** Stores one content item's signals in a bank; returns HMA's {id, signals}. */
  async function addContent(bank: Bank, signals: Record<string, string>, note: string | undefined) {
    const entries = Object.entries(signals).map(([t, v]) => ({ signalType: HMA_SIGNAL_TYPES[t], signal: v, sourceRef: note ?? null }));
    const r = await addEntries(deps, bank.name, entries, 'hma');
    let id = r.added[0]?.id;
    if (id === undefined) {
      const first = entries[0];
      id = (await repo.findExact(first.signalType, first.signal)).find((e) => e.bankId === bank.id)?.id ?? 0;
    }
    return { id, signals };
  }

  app.get('/c/banks', { config: { scope: 'banks:read' }, schema: { tags, summary: 'HMA list banks' } }, async () => (await repo.listBanks()).map(bankJson));

  app.post('/c/banks', { config: { scope: 'banks:write' }, schema: { tags, summary: 'HMA create bank' } }, async (req, reply) => {
    const body = jsonBody(req.body);
    if (body.name === undefined) {
      const e = new HmaError(422, 'Field required') as HmaError & { body: unknown };
      e.body = [{ type: 'missing', loc: ['name'], msg: 'Field required', input: body, url: 'https://errors.pydantic.dev/2.9/v/missing' }];
      throw e;
    }
    const name = checkHmaBankName(body.name);
    const ratio = body.enabled_ratio === undefined ? 1 : body.enabled_ratio;
    const enabled = ratio === null ? body.enabled !== false : Number(ratio) > 0;
    if (await repo.findBank(name)) throw new HmaError(403, 'Bank already exists');
    const bank = await createBank(deps, name, { enabled, source: 'hma' }).catch((err: unknown) => {
      throw err instanceof UnexposeError && err.code === 'usage' ? new HmaError(400, 'Bank names must be UPPER_WITH_UNDERSCORE') : err;
    });
    return reply.code(201).send(bankJson(bank));
  });

  app.get('/c/bank/:name', { config: { scope: 'banks:read' }, schema: { tags, summary: 'HMA get bank' } }, async (req) =>
    bankJson(await requireBank((req.params as { name: string }).name)));

  app.put('/c/bank/:name', { config: { scope: 'banks:write' }, schema: { tags, summary: 'HMA update bank' } }, async (req) => {
    const { name } = req.params as { name: string };
    const body = jsonBody(req.body);
    if (!(await repo.findBank(name))) throw new HmaError(404, 'Bank not found');
    const change: { name?: string; enabled?: boolean } = {};
    if (body.name !== undefined && body.name !== name) {
      change.name = checkHmaBankName(body.name);
      if (await repo.findBank(change.name)) throw new HmaError(403, 'Bank name already exists');
    }
    if (body.enabled_ratio !== undefined && body.enabled_ratio !== null) change.enabled = Number(body.enabled_ratio) > 0;
    else if (body.enabled !== undefined) change.enabled = Boolean(body.enabled);
    return bankJson(await updateBankSettings(deps, name, change));
  });

  app.delete('/c/bank/:name', { config: { scope: 'banks:write' }, schema: { tags, summary: 'HMA delete bank' } }, async (req) => {
    const { name } = req.params as { name: string };
    if (await repo.findBank(name)) await withdrawBank(deps, name);
    return { message: 'Done' };
  });

  app.post('/c/bank/:name/content', { config: { scope: 'banks:write' }, schema: { tags, summary: 'HMA add content (upload; URL fetching is off)' } }, async (req) => {
    const bank = await requireBank((req.params as { name: string }).name);
    if ((req.query as { url?: string }).url !== undefined) throw new HmaError(400, 'Invalid or unsafe URL provided');
    if (!req.isMultipart()) throw new HmaError(400, 'Neither `url` nor multipart file upload was received');
    const up = await readHmaUpload(req, ctx.hasher, ctx.config.uploadLimit);
    if (up.fields.metadata !== undefined) {
      let meta: unknown;
      try {
        meta = JSON.parse(up.fields.metadata);
      } catch {
        throw new HmaError(400, 'Invalid metadata: not JSON');
      }
      const extra = meta && typeof meta === 'object' ? Object.keys(meta).filter((k) => !['content_id', 'content_uri', 'json', 'collab'].includes(k)) : ['(not an object)'];
      if (extra.length) throw new HmaError(400, `Invalid metadata: unexpected ${extra.join(', ')}`);
    }
    if (Object.keys(up.signals).length === 0) throw new HmaError(400, 'No signals given');
    return addContent(bank, up.signals, checkNote(up.fields.note));
  });

  app.post('/c/bank/:name/signal', { config: { scope: 'banks:write' }, schema: { tags, summary: 'HMA add one content item from signals' } }, async (req) => {
    const body = jsonBody(req.body);
    const bank = await requireBank((req.params as { name: string }).name);
    const note = checkNote(body.note);
    const signals: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) {
      if (k === 'note') continue;
      if (!HMA_SIGNAL_TYPES[k]) throw new HmaError(400, `No such signal type ${k}`);
      try {
        signals[k] = hmaSignalValue(k, v);
      } catch (err) {
        throw new HmaError(400, `Invalid ${k} signal: ${(err as Error).message}`);
      }
    }
    if (Object.keys(signals).length === 0) throw new HmaError(400, 'No signals given');
    return addContent(bank, signals, note);
  });

  app.get('/c/bank/:name/content/:id', { config: { scope: 'banks:read' }, schema: { tags, summary: 'HMA get content' } }, async (req) => {
    const { name, id } = req.params as { name: string; id: string };
    await requireBank(name);
    const q = req.query as Record<string, string | undefined>;
    const e = /^\d{1,10}$/.test(id) ? await repo.findEntry(Number(id)) : undefined;
    if (!e) throw new HmaError(404, `content '${id}' not found`);
    const out: Record<string, unknown> = {
      bank: bankJson(e.bank), disable_until_ts: e.quarantinedAt ? 0 : 1, id: e.id, original_media_uri: null,
    };
    const type = hmaTypeName(e.signalType);
    if (q.include_signals === 'true' && type) out.signals = { [type]: e.signal };
    if (e.sourceRef) out.note = e.sourceRef;
    return out;
  });

  app.delete('/c/bank/:name/content/:id', { config: { scope: 'banks:write' }, schema: { tags, summary: 'HMA delete content' } }, async (req) => {
    const { name, id } = req.params as { name: string; id: string };
    await requireBank(name);
    return { deleted: /^\d{1,10}$/.test(id) && (await removeEntry(deps, name, Number(id))) ? 1 : 0 };
  });

  app.get('/c/signal_type', { config: { scope: 'banks:read' }, schema: { tags, summary: 'HMA signal types' } }, async () =>
    Object.keys(HMA_SIGNAL_TYPES).map((name) => ({ enabled_ratio: 1, name })));

  app.get('/c/content_type', { config: { scope: 'banks:read' }, schema: { tags, summary: 'HMA content types' } }, async () =>
    [{ enabled: true, name: 'photo' }, { enabled: true, name: 'video' }]);
}

