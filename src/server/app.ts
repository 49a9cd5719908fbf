/**
 * Builds the Fastify app over a ServerContext: limits and timeouts, security headers, CORS (off unless
 * configured), Bearer keys with scopes, per-key rate limits, problem+json errors, safe request logs, metrics,
 * the OpenAPI document and its docs page, the v1 routes and the HMA-compatible routes. `/` is left free (the
 * victim page comes later). With `open`, the app serves only the status and HMA routes, without keys. The
 * configured role (all, curator, matcher) decides which groups of routes are there at all.
 */
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { UnexposeError } from '../core/errors.js';
import { addKeyAuth } from './auth/api-key-auth.js';
import { hmaPlugin } from './compat/hma/hma-plugin.js';
import { servesLookups, servesWrites } from './config.js';
import type { ServerContext } from './context.js';
import { renderDocsPage } from './docs-page.js';
import { addRequestLog, genReqId, loggerOptions } from './logging.js';
import { problemFor, sendProblem, toProblem } from './problem.js';
import { bankRoutes } from './routes/banks.js';
import { caseRoutes } from './routes/cases.js';
import { webPageRoutes } from './routes/web-page.js';
import { entryRoutes } from './routes/entries.js';
import { hashRoutes } from './routes/hash.js';
import { matchRoutes } from './routes/match.js';
import { jobRoutes } from './routes/jobs.js';
import { scanRoutes } from './routes/scans.js';
import { statusRoutes } from './routes/status.js';

export interface BuildAppOptions {
  /** The open HMA listener: status and HMA routes only, no keys. */
  open?: boolean;
  /** Where log lines go (tests capture them). */
  logStream?: NodeJS.WritableStream;
}

/**
 * @example const app = await buildApp(ctx); await app.listen({ port: 0 })
 */
export async function buildApp(ctx: ServerContext, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { config } = ctx;
  const app = Fastify({
    logger: loggerOptions({ level: config.logLevel, stream: opts.logStream }),
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'reqId' }),
    genReqId,
    bodyLimit: config.bodyLimit,
    requestTimeout: config.requestTimeout,
    connectionTimeout: config.requestTimeout,
    keepAliveTimeout: 10_000,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 512 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(helmet, {
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], styleSrc: ["'unsafe-inline'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"] } },
  });
  if (config.corsOrigins.length > 0) await app.register(cors, { origin: config.corsOrigins, methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] });
  await app.register(multipart, { limits: { fileSize: config.uploadLimit, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12 } });

  addKeyAuth(app, ctx.keys, { open: opts.open });
  // Keys are limited per key; the open HMA listener (no keys) per client address.
  if (config.rateLimit > 0) {
    await app.register(rateLimit, {
      max: config.rateLimit,
      timeWindow: 60_000,
      hook: 'preHandler',
      keyGenerator: (req) => (req.apiKey ? `key:${req.apiKey.id}` : `ip:${req.ip}`),
      allowList: (req) => req.routeOptions.config?.scope === 'public',
      errorResponseBuilder: (_req, c) => Object.assign(new UnexposeError('rate_limited', `rate limit: at most ${c.max} requests per minute for this key; try again in ${Math.ceil(c.ttl / 1000)} s`), { statusCode: 429 }),
    });
  }
  addRequestLog(app);
  app.addHook('onResponse', async (req, reply) => {
    ctx.metrics.requestSeconds.observe({ route: req.routeOptions.url ?? 'unmatched', method: req.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.setErrorHandler((err, req, reply) => {
    const { problem, internal } = toProblem(err);
    if (internal) req.log.error({ err }, 'unexpected error');
    if (problem.code === 'unauthorized') reply.header('www-authenticate', 'Bearer');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, problemFor('not_found', `no route ${req.method} for this path`)));

  // HMA's /site-map: every route rule, sorted, with parameters written as <name>.
  const rules = new Set<string>();
  app.addHook('onRoute', (r) => {
    rules.add(r.url.replace(/:([A-Za-z_]+)/g, '<$1>'));
  });
  app.get('/site-map', { config: { scope: 'public' }, schema: { tags: ['status'], summary: 'HMA site map: every route rule' } }, async () => [...rules].sort());

  if (!opts.open) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'unexpose API', version: '1', description: 'Hash matching, banks and scans. The /m, /h and /c routes follow Meta HMA\'s API.' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'an API key from `unexpose apikey create`' } } },
      },
      transform: jsonSchemaTransform,
    });
    app.get('/openapi.json', { config: { scope: 'public' }, schema: { hide: true } }, async () => app.swagger());
    app.get('/docs', { config: { scope: 'public' }, schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').send(renderDocsPage(app.swagger() as Parameters<typeof renderDocsPage>[0])));
  }
  await app.register(statusRoutes(ctx));
  const lookups = servesLookups(config.role);
  const writes = servesWrites(config.role);
  if (!opts.open) {
    // A matcher replica serves hashing, lookups and status only; the curator everything that writes.
    if (lookups) {
      await app.register(hashRoutes(ctx));
      await app.register(matchRoutes(ctx));
    }
    if (writes) {
      await app.register(bankRoutes(ctx));
      await app.register(entryRoutes(ctx));
      await app.register(scanRoutes(ctx));
      await app.register(jobRoutes(ctx));
      await app.register(caseRoutes(ctx));
      await app.register(webPageRoutes());
    }
  }
  await app.register(hmaPlugin(ctx, { matching: lookups, curation: writes }));
  return app;
}
