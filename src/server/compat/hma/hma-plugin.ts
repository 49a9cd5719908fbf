/**
 * The HMA-compatible routes as one Fastify plugin with HMA's own error handling: `{"message": …}` bodies, 422
 * arrays for missing fields, sorted keys. Served on the keyed listener (Bearer key, scopes per prefix) and, when
 * the operator names an address, on an open listener without keys.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ServerContext } from '../../context.js';
import { hmaCurationRoutes } from './hma-curation.js';
import { hmaMatchingRoutes } from './hma-matching.js';
import { hmaJson, hmaStatusFor } from './hma-shapes.js';

/** matching: the /m and /h routes (lookups, hashing); curation: the /c routes (banks). Both by default. */
export function hmaPlugin(ctx: ServerContext, parts: { matching: boolean; curation: boolean } = { matching: true, curation: true }): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.setReplySerializer((payload) => hmaJson(payload));
    app.setErrorHandler((err, req, reply) => {
      const body = (err as { body?: unknown }).body;
      if (body !== undefined) return reply.code(422).type('application/json').send(body);
      const fe = err as { statusCode?: number; code?: string; validation?: unknown };
      if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        return reply.code(422).type('application/json').send([{ type: 'json_invalid', loc: ['body'], msg: 'Invalid JSON', input: null }]);
      }
      let { status, message } = hmaStatusFor(err);
      if (status === 500 && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
        status = fe.statusCode;
        message = status === 413 ? 'Content too large' : 'Bad Request';
      }
      if (status === 401) reply.header('www-authenticate', 'Bearer');
      if (status >= 500 && status !== 503) req.log.error({ err }, 'unexpected error');
      return reply.code(status).type('application/json').send({ message });
    });
    if (parts.matching) hmaMatchingRoutes(app, ctx);
    if (parts.curation) hmaCurationRoutes(app, ctx);
  };
}
