/**
 * /v1/jobs (admin keys only): the job queue as an operator sees it over HTTP, as `unexpose jobs` shows it — jobs
 * by state (failed: the dead letters), one job, and a retry that puts a dead job back in the queue. Payloads hold
 * ids only.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UnexposeError } from '../../core/errors.js';
import { JOB_NAMES } from '../../jobs/job-names.js';
import { JOB_STATES } from '../../jobs/job-queue.js';
import type { ServerContext } from '../context.js';
import { problemResponses, security } from '../schemas/common.js';

const jobSchema = z.object({
  id: z.string(), name: z.string(), state: z.enum(JOB_STATES as [string, ...string[]]), payload: z.unknown(), retryCount: z.number(), retryLimit: z.number(),
  createdAt: z.string(), startedAt: z.string().nullable(), completedAt: z.string().nullable(), output: z.unknown(),
});

export function jobRoutes(ctx: ServerContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/jobs', {
      config: { scope: 'admin' },
      schema: {
        tags: ['jobs'], summary: 'Jobs, newest first (state=failed: the dead letters)', security,
        querystring: z.object({ state: z.enum(JOB_STATES as [string, ...string[]]).optional(), name: z.enum(JOB_NAMES).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        response: { 200: z.object({ engine: z.string(), jobs: z.array(jobSchema) }), ...problemResponses },
      },
    }, async (req) => ({
      engine: ctx.queue.engine,
      jobs: await ctx.queue.list({ state: req.query.state as never, name: req.query.name, limit: req.query.limit }),
    }));

    app.get('/v1/jobs/:id', {
      config: { scope: 'admin' },
      schema: { tags: ['jobs'], summary: 'One job', security, params: z.object({ id: z.string().uuid() }), response: { 200: jobSchema, ...problemResponses } },
    }, async (req) => {
      const job = await ctx.queue.get(req.params.id);
      if (!job) throw new UnexposeError('not_found', `no job ${req.params.id}`);
      return job;
    });

    app.post('/v1/jobs/:id/retry', {
      config: { scope: 'admin' },
      schema: { tags: ['jobs'], summary: 'Put a failed (dead) or cancelled job back in the queue', security, params: z.object({ id: z.string().uuid() }), response: { 200: jobSchema, ...problemResponses } },
    }, async (req) => {
      if (!(await ctx.queue.retry(req.params.id))) throw new UnexposeError('conflict', `job ${req.params.id} is not failed or cancelled`);
      return (await ctx.queue.get(req.params.id))!;
    });
  };
}
