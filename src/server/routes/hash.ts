/** POST /v1/hash: one photo or video upload → its signals. Nothing is stored. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServerContext } from '../context.js';
import { oneUpload } from '../multipart.js';
import { problemResponses, security } from '../schemas/common.js';
import { hashResultSchema } from '../schemas/match.js';

export function hashRoutes(ctx: ServerContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/hash', {
      config: { scope: 'hash' },
      schema: {
        tags: ['hash'], summary: 'Hash one photo or video (multipart upload, one file); nothing is stored', security,
        consumes: ['multipart/form-data'], response: { 200: hashResultSchema, 415: problemResponses[400], 422: problemResponses[400], ...problemResponses },
      },
    }, async (req) => {
      const part = await oneUpload(req, ctx.config.uploadLimit);
      return ctx.hasher.hash(part);
    });
  };
}
