/**
 * Entries of a bank: add (JSON), read one, remove (by id or by value), bulk import (CSV / JSON lines / one hash
 * per line, streamed with line and size bounds), export (streamed). HTTP ↔ bank services.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { describeError } from '../../core/errors.js';
import { addEntries, removeEntry, showEntry } from '../../services/bank-entries.js';
import { addIdentifier } from '../../services/bank-identifier.js';
import { exportBank } from '../../services/bank-export.js';
import { importBank } from '../../services/bank-import.js';
import { removeFromBank } from '../../services/bank-manage.js';
import { boundedLineBatches } from '../../services/face-imports.js';
import type { ServerContext } from '../context.js';
import { addEntriesResultSchema, addEntriesSchema, addIdentifiersResultSchema, addIdentifiersSchema, entrySchema, exportQuerySchema, importQuerySchema, importReportSchema, removeEntrySchema } from '../schemas/banks.js';
import { bankNameSchema, bankParams, problemResponses, security } from '../schemas/common.js';

/** Longest import line (a long video's vPDQ frames fit). */
const MAX_IMPORT_LINE = 4 * 1024 * 1024;
const IMPORT_TYPES = ['text/csv', 'text/plain', 'application/x-ndjson', 'application/jsonl', 'application/octet-stream'];
const entryParams = z.object({ name: bankNameSchema, id: z.coerce.number().int().min(1).max(2 ** 31) });

export function entryRoutes(ctx: ServerContext): FastifyPluginAsyncZod {
  const deps = ctx.banks;
  return async (app) => {
    // Import bodies stay streams: parsed line by line, never held whole.
    app.addContentTypeParser(IMPORT_TYPES, (_req, payload, done) => done(null, payload));

    app.post('/v1/banks/:name/entries', {
      config: { scope: 'banks:write' },
      schema: {
        tags: ['entries'], summary: 'Add entries (up to 10,000; bad ones are rejected by position, the rest stored)', security,
        params: bankParams, body: addEntriesSchema, response: { 200: addEntriesResultSchema, ...problemResponses },
      },
    }, async (req) => {
      const r = await addEntries(deps, req.params.name, req.body.entries, `api:${req.apiKey?.id ?? 'open'}`);
      return { bank: r.bank, added: r.added.length, ids: r.added.map((e) => e.id), duplicates: r.duplicates, rejected: r.rejected };
    });

    app.post('/v1/banks/:name/identifiers', {
      config: { scope: 'banks:write' },
      schema: {
        tags: ['entries'], summary: 'Add phone numbers or handles (sent in clear, stored only as keyed hashes with a redacted form); earlier scans are searched for them',
        security, params: bankParams, body: addIdentifiersSchema, response: { 200: addIdentifiersResultSchema, ...problemResponses },
      },
    }, async (req) => {
      await deps.banks.requireBank(req.params.name);
      const key = await ctx.identifierKey();
      const results = [];
      for (const [index, i] of req.body.identifiers.entries()) {
        try {
          const r = await addIdentifier({ ...deps, key }, req.params.name, i.value, {
            kind: i.kind, platform: i.platform, region: i.region, labels: i.labels, sourceRef: i.sourceRef, addedBy: `api:${req.apiKey?.id ?? 'open'}`,
          });
          results.push({ index, signalType: r.signalType, display: r.display, added: r.added, newMatches: r.newMatches.length });
        } catch (err) {
          results.push({ index, error: describeError(err) });
        }
      }
      return { bank: req.params.name, results };
    });

    app.get('/v1/banks/:name/entries/:id', {
      config: { scope: 'banks:read' },
      schema: { tags: ['entries'], summary: 'One entry', security, params: entryParams, response: { 200: entrySchema, ...problemResponses } },
    }, async (req) => {
      const e = await showEntry(deps, req.params.name, req.params.id);
      return {
        id: e.id, bank: e.bank.name, signalType: e.signalType, signal: e.signal, display: e.display ?? undefined, quality: e.quality, sourceRef: e.sourceRef,
        labels: e.labels, addedAt: e.addedAt, addedBy: e.addedBy, quarantinedAt: e.quarantinedAt,
      };
    });

    app.delete('/v1/banks/:name/entries/:id', {
      config: { scope: 'banks:write' },
      schema: { tags: ['entries'], summary: 'Delete one entry for real', security, params: entryParams, response: { 200: z.object({ removed: z.number().int() }), ...problemResponses } },
    }, async (req) => ({ removed: (await removeEntry(deps, req.params.name, req.params.id)) ? 1 : 0 }));

    app.post('/v1/banks/:name/entries/remove', {
      config: { scope: 'banks:write' },
      schema: {
        tags: ['entries'], summary: 'Delete the entries holding a value (sent in the body, not the URL)', security, params: bankParams, body: removeEntrySchema,
        response: { 200: z.object({ removed: z.number().int(), ids: z.array(z.number().int()) }), ...problemResponses },
      },
    }, async (req) => {
      const removed = await removeFromBank(deps, req.params.name, req.body.signal, req.body.signalType);
      return { removed: removed.length, ids: removed.map((e) => e.id) };
    });

    app.post('/v1/banks/:name/import', {
      config: { scope: 'banks:write' },
      schema: {
        tags: ['entries'], summary: 'Bulk import: CSV, JSON lines or one hash per line, streamed; bad lines are reported by number', security,
        params: bankParams, querystring: importQuerySchema, consumes: IMPORT_TYPES,
        response: { 200: importReportSchema, ...problemResponses },
      },
    }, async (req) => {
      const body = req.body as unknown;
      const source: AsyncIterable<Uint8Array> = body instanceof Readable ? body : Readable.from([]);
      // A chunk of the body at a time (one await per chunk, not per line); past the limit the import stops and keeps nothing.
      const lines = { batches: () => boundedLineBatches(source, { maxLineChars: MAX_IMPORT_LINE, maxTotalBytes: ctx.config.importLimit }) };
      return importBank(deps, req.params.name, lines, { format: req.query.format, signalType: req.query.signalType, addedBy: `api:${req.apiKey?.id ?? 'open'}` });
    });

    app.get('/v1/banks/:name/export', {
      config: { scope: 'banks:read' },
      schema: { tags: ['entries'], summary: 'Export every entry (streamed), in a format the import reads back', security, params: bankParams, querystring: exportQuerySchema },
    }, async (req, reply) => {
      await deps.banks.requireBank(req.params.name);
      const lines = exportBank(deps, req.params.name, req.query.format);
      reply.type(req.query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="bank-export.${req.query.format}"`);
      return reply.send(Readable.from((async function* () {
        for await (const l of lines) yield `${l}\n`;
      })()));
    });
  };
}
