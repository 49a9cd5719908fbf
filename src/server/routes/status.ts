/**
 * Operations: /status/live (liveness), /status/ready (database reachable, index loaded), /status (HMA's:
 * I-AM-ALIVE, or 503 INDEX-NOT-LOADED / INDEX-STALE) and Prometheus /metrics (admin key).
 */
import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServerContext } from '../context.js';
import { security } from '../schemas/common.js';

/** True when the index is loaded and, with a change feed, heard from it recently enough. */
export function indexStale(ctx: ServerContext): boolean {
  const max = ctx.config.indexMaxStaleSeconds;
  if (max === 0 || !ctx.feed) return false;
  return !ctx.feed.connected && Date.now() - ctx.index.refreshedAt > max * 1000;
}

export function statusRoutes(ctx: ServerContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/status/live', { config: { scope: 'public' }, schema: { tags: ['status'], summary: 'Liveness: always I-AM-ALIVE' } },
      async (_req, reply) => reply.type('text/html; charset=utf-8').send('I-AM-ALIVE'));

    app.get('/status', { config: { scope: 'public' }, schema: { tags: ['status'], summary: 'HMA status: I-AM-ALIVE, or 503 while the index loads or is stale' } },
      async (_req, reply) => {
        reply.type('text/html; charset=utf-8');
        if (!ctx.index.ready) return reply.code(503).send('INDEX-NOT-LOADED');
        if (indexStale(ctx)) return reply.code(503).send('INDEX-STALE');
        return reply.send('I-AM-ALIVE');
      });

    app.get('/status/ready', {
      config: { scope: 'public' },
      schema: {
        tags: ['status'], summary: 'Readiness: database reachable and index loaded (503 otherwise)',
        response: { 200: z.object({ ready: z.boolean(), database: z.enum(['ok', 'unreachable']), index: z.enum(['loading', 'ready', 'failed', 'stale']), entries: z.number().int() }), 503: z.any() },
      },
    }, async (_req, reply) => {
      const database = await sql`select 1`.execute(ctx.store.db).then(() => 'ok' as const, () => 'unreachable' as const);
      const index = indexStale(ctx) ? 'stale' as const : ctx.index.ready ? 'ready' as const : ctx.index.state;
      const ready = database === 'ok' && index === 'ready';
      return reply.code(ready ? 200 : 503).send({ ready, database, index, entries: ctx.index.size });
    });

    app.get('/metrics', {
      config: { scope: 'admin' },
      schema: { tags: ['status'], summary: 'Prometheus metrics (admin key)', security, produces: ['text/plain'] },
    }, async (_req, reply) => reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics()));
  };
}
