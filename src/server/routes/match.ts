/**
 * GET /v1/match (one signal) and POST /v1/match (up to 1,000 signals as JSON, or one upload that is hashed and
 * then matched): HTTP ↔ the match-signals use case.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { UnexposeError } from '../../core/errors.js';
import { matchSignals, type SignalAnswer } from '../../services/match-signals.js';
import type { ServerContext } from '../context.js';
import { oneUpload } from '../multipart.js';
import { problemResponses, security } from '../schemas/common.js';
import { matchBodySchema, matchQuerySchema, matchResponseSchema, signalAnswerSchema } from '../schemas/match.js';

const splitBanks = (s: string | undefined) => (s ? s.split(',').map((b) => b.trim()).filter((b) => b !== '') : undefined);

export function matchRoutes(ctx: ServerContext): FastifyPluginAsyncZod {
  const deps = { banks: ctx.store.banks, index: ctx.index, key: ctx.identifierKey };
  const count = (answers: SignalAnswer[]) => {
    ctx.metrics.lookups.inc({ api: 'v1' }, answers.length);
    ctx.metrics.matches.inc({ api: 'v1' }, answers.reduce((n, a) => n + a.matches.length, 0));
    return answers;
  };
  return async (app) => {
    app.get('/v1/match', {
      config: { scope: 'match' },
      schema: {
        tags: ['match'], summary: 'Look up one signal', security, querystring: matchQuerySchema,
        response: { 200: signalAnswerSchema, ...problemResponses },
      },
    }, async (req) => {
      const [answer] = count(await matchSignals(deps, [{ signalType: req.query.signal_type, signal: req.query.signal }], { banks: splitBanks(req.query.banks) }));
      return answer;
    });

    app.post('/v1/match', {
      config: { scope: 'match' },
      schema: {
        tags: ['match'], summary: 'Look up to 1,000 signals (JSON), or one photo/video upload (multipart)', security,
        body: matchBodySchema.nullish(), consumes: ['application/json', 'multipart/form-data'],
        response: { 200: matchResponseSchema, ...problemResponses },
      },
    }, async (req) => {
      if (req.isMultipart()) {
        const part = await oneUpload(req, ctx.config.uploadLimit);
        const upload = await ctx.hasher.hash(part);
        const banks = splitBanks((req.query as { banks?: string }).banks);
        return { results: count(await matchSignals(deps, upload.signals, { banks })), upload };
      }
      if (!req.body) throw new UnexposeError('invalid_input', 'send {"signals": [{"signalType", "signal"}, …]} as JSON, or one file as multipart/form-data');
      return { results: count(await matchSignals(deps, req.body.signals, { banks: req.body.banks })) };
    });
  };
}
