/** /v1/banks: list, create, read, change settings, withdraw (delete for real). HTTP ↔ bank services. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Bank } from '../../core/banks/bank.js';
import { updateBankSettings } from '../../services/bank-entries.js';
import { createBank, listBanks, showBank, withdrawBank, type BankSummary } from '../../services/bank-manage.js';
import type { ServerContext } from '../context.js';
import { bankSchema, bankSummarySchema, createBankSchema, updateBankSchema } from '../schemas/banks.js';
import { bankParams, problemResponses, security } from '../schemas/common.js';

/** A bank as the API shows it (no database id). */
export function bankJson(b: Bank): z.output<typeof bankSchema> {
  return {
    name: b.name, description: b.description, source: b.source, enabled: b.enabled, negative: b.negative,
    thresholds: b.thresholds, minQuality: b.minQuality, labels: b.labels, createdAt: b.createdAt,
  };
}

function summaryJson(b: BankSummary): z.output<typeof bankSummarySchema> {
  return { ...bankJson(b), entries: b.entries, total: b.total, quarantined: b.quarantined };
}

export function bankRoutes(ctx: ServerContext): FastifyPluginAsyncZod {
  const deps = ctx.banks;
  return async (app) => {
    app.get('/v1/banks', {
      config: { scope: 'banks:read' },
      schema: { tags: ['banks'], summary: 'List banks with entry counts', security, response: { 200: z.object({ banks: z.array(bankSummarySchema) }), ...problemResponses } },
    }, async () => ({ banks: (await listBanks(deps)).map(summaryJson) }));

    app.post('/v1/banks', {
      config: { scope: 'banks:write' },
      schema: { tags: ['banks'], summary: 'Create a bank', security, body: createBankSchema, response: { 201: bankSchema, 409: problemResponses[400], ...problemResponses } },
    }, async (req, reply) => {
      const { name, ...settings } = req.body;
      return reply.code(201).send(bankJson(await createBank(deps, name, settings)));
    });

    app.get('/v1/banks/:name', {
      config: { scope: 'banks:read' },
      schema: { tags: ['banks'], summary: 'One bank with entry counts', security, params: bankParams, response: { 200: bankSummarySchema, ...problemResponses } },
    }, async (req) => summaryJson(await showBank(deps, req.params.name)));

    app.patch('/v1/banks/:name', {
      config: { scope: 'banks:write' },
      schema: {
        tags: ['banks'], summary: 'Change settings (threshold, enabled, negative, …) or rename', security, params: bankParams, body: updateBankSchema,
        response: { 200: bankSchema, 409: problemResponses[400], ...problemResponses },
      },
    }, async (req) => bankJson(await updateBankSettings(deps, req.params.name, req.body)));

    app.delete('/v1/banks/:name', {
      config: { scope: 'banks:write' },
      schema: {
        tags: ['banks'], summary: 'Withdraw a bank: it and every entry are deleted for real', security, params: bankParams,
        response: { 200: z.object({ bank: z.string(), removed: z.number().int() }), ...problemResponses },
      },
    }, async (req) => withdrawBank(deps, req.params.name));
  };
}
