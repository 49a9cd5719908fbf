/**
 * Operations: /status/live (liveness), /status/ready (database reachable, index loaded), /status (HMA's:
 * I-AM-ALIVE, or 503 INDEX-NOT-LOADED / INDEX-STALE) and Prometheus /metrics (admin key).
 */
import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SERVER_ROLES, servesLookups } from '../config.js';
import type { ServerContext } from '../context.js';
import { security } from '../schemas/common.js';

/** True when the index is loaded but has not read the bank change log for longer than allowed. */
export function indexStale(ctx: ServerContext): boolean {
  const max = ctx.config.indexMaxStaleSeconds;
  if (max === 0 || !ctx.feed || !ctx.index.ready) return false;
  return Date.now() - ctx.index.refreshedAt > max * 1000;
}

/** The index's readiness, or 'none' on a curator (it loads no index and needs none to be ready). */
function indexStatus(ctx: ServerContext): 'loading' | 'ready' | 'failed' | 'stale' | 'none' {
  if (!servesLookups(ctx.config.role)) return 'none';
  return indexStale(ctx) ? 'stale' : ctx.index.ready ? 'ready' : ctx.index.state;
}

export function statusRoutes(ctx: ServerContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/status/live', { config: { scope: 'public' }, schema: { tags: ['status'], summary: 'Liveness: always I-AM-ALIVE' } },
      async (_req, reply) => reply.type('text/html; charset=utf-8').send('I-AM-ALIVE'));

    app.get('/status', { config: { scope: 'public' }, schema: { tags: ['status'], summary: 'HMA status: I-AM-ALIVE, or 503 while the index loads or is stale' } },
      async (_req, reply) => {
        reply.type('text/html; charset=utf-8');
        if (servesLookups(ctx.config.role) && !ctx.index.ready) return reply.code(503).send('INDEX-NOT-LOADED');
        if (indexStale(ctx)) return reply.code(503).send('INDEX-STALE');
        return reply.send('I-AM-ALIVE');
      });

    app.get('/status/ready', {
      config: { scope: 'public' },
      schema: {
        tags: ['status'], summary: 'Readiness: database reachable and index loaded (503 otherwise)',
        response: { 200: z.object({ ready: z.boolean(), database: z.enum(['ok', 'unreachable']), index: z.enum(['loading', 'ready', 'failed', 'stale', 'none']), entries: z.number().int(), role: z.enum(SERVER_ROLES), changeSeq: z.number().int(), indexLoads: z.number().int() }), 503: z.any() },
      },
    }, async (_req, reply) => {
      const database = await sql`select 1`.execute(ctx.store.db).then(() => 'ok' as const, () => 'unreachable' as const);
      const index = indexStatus(ctx);
      const ready = database === 'ok' && (index === 'ready' || index === 'none');
      return reply.code(ready ? 200 : 503).send({ ready, database, index, entries: ctx.index.size, role: ctx.config.role, changeSeq: ctx.index.seq, indexLoads: ctx.index.loads });
    });

    app.get('/metrics', {
      config: { scope: 'admin' },
      schema: { tags: ['status'], summary: 'Prometheus metrics (admin key)', security, produces: ['text/plain'] },
    }, async (_req, reply) => reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics()));
  };
}
