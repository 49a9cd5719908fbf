/**
 * Request logging without personal data: one JSON line per request with the request id, method, route *pattern*
 * (never the URL: a query string can hold a hash), status and time. Bodies, headers, file names, submitted hashes
 * and identifiers are never logged; errors are logged by name and code.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

export interface LogOptions {
  level: string;
  /** Where JSON lines go (default stdout); tests pass a collecting stream. */
  stream?: NodeJS.WritableStream;
}

/** Fastify's logger options: pino with serializers that keep only safe fields. */
export function loggerOptions(o: LogOptions): FastifyServerOptions['logger'] {
  return {
    level: o.level,
    ...(o.stream ? { stream: o.stream } : {}),
    serializers: {
      req: (req: { method?: string; routeOptions?: { url?: string } }) => ({ method: req.method, route: req.routeOptions?.url }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: (err: { name?: string; code?: string; statusCode?: number }) => ({ type: err.name, code: err.code, statusCode: err.statusCode }),
    },
  } as unknown as FastifyServerOptions["logger"];
}

/** A fresh id per request (an incoming X-Request-Id is not trusted: it could carry anything). */
export function genReqId(): string {
  return randomUUID();
}

/** Logs each finished request: id (bound by Fastify), method, route pattern, status, milliseconds. */
export function addRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => {
    req.log.info({
      method: req.method,
      route: req.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
      key: req.apiKey?.id,
    }, 'request');
  });
}
