/**
 * The victim page's API (/v1/cases): public (no key) and rate-limited per address — create a case from hashes and
 * identifiers, read its status and withdraw it with case number + PIN. HTTP ↔ services/cases, nothing more.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UnexposeError } from '../../core/errors.js';
import { VictimCaseRepo } from '../../services/face-imports.js';
import { AddressGuard, CreationLimiter } from '../../services/cases/attempt-guard.js';
import { caseStatus, createCase, openCase, withdrawCase, type CaseDeps } from '../../services/cases/victim-cases.js';
import type { ServerContext } from '../context.js';
import { caseCredentialsSchema, caseStatusSchema, createCaseSchema, createdCaseSchema, pageConfigSchema } from '../schemas/cases.js';
import { problemSchema } from '../schemas/common.js';

/** New cases one address may open per hour. */
export const CASES_PER_ADDRESS_PER_HOUR = 20;

const problems = { 400: problemSchema, 401: problemSchema, 413: problemSchema, 429: problemSchema, 503: problemSchema };

export function caseRoutes(ctx: ServerContext): FastifyPluginAsyncZod {
  const deps: CaseDeps = { banks: ctx.banks, cases: new VictimCaseRepo(ctx.store.db), key: ctx.identifierKey, addresses: new AddressGuard(), notices: ctx.store.notices };
  const creations = new CreationLimiter(CASES_PER_ADDRESS_PER_HOUR, 3_600_000);
  return async (app) => {
    app.get('/v1/cases/page-config', {
      config: { scope: 'public' },
      schema: { tags: ['cases'], summary: 'Help links the operator configured for the victim page', response: { 200: pageConfigSchema } },
    }, async () => ({ helplineUrl: ctx.config.helplineUrl ?? null, policeUrl: ctx.config.policeUrl ?? null }));

    app.post('/v1/cases', {
      config: { scope: 'public' },
      schema: {
        tags: ['cases'], summary: 'Open a case from hashes and identifiers only (no media); answers the case number and PIN once',
        body: createCaseSchema, response: { 201: createdCaseSchema, ...problems },
      },
    }, async (req, reply) => {
      if (!creations.allow(req.ip)) throw new UnexposeError('rate_limited', `at most ${CASES_PER_ADDRESS_PER_HOUR} new cases an hour from one address`);
      reply.header('cache-control', 'no-store');
      return reply.code(201).send(await createCase(deps, req.body));
    });

    app.post('/v1/cases/status', {
      config: { scope: 'public' },
      schema: { tags: ['cases'], summary: 'What was found of a case and what was done (case number + PIN)', body: caseCredentialsSchema, response: { 200: caseStatusSchema, ...problems } },
    }, async (req, reply) => {
      const c = await openCase(deps, req.body.caseNumber, req.body.pin, req.ip);
      reply.header('cache-control', 'no-store');
      return caseStatus(deps, c);
    });

    app.post('/v1/cases/withdraw', {
      config: { scope: 'public' },
      schema: {
        tags: ['cases'], summary: 'Withdraw a case: its hashes, identifiers and every match found with them are deleted for real',
        body: caseCredentialsSchema.extend({ confirm: z.literal(true).describe('must be true: she confirmed on the page') }).strict(),
        response: { 200: z.object({ withdrawn: z.literal(true), removed: z.number().int() }), ...problems },
      },
    }, async (req) => {
      const c = await openCase(deps, req.body.caseNumber, req.body.pin, req.ip);
      const { removed } = await withdrawCase(deps, c);
      return { withdrawn: true as const, removed };
    });
  };
}
