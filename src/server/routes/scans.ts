/**
 * /v1/scans: start a scan of an uploaded export (a zip, streamed to a private 0700 folder and deleted when the
 * scan ends) or of a path on the server (admins only); follow it as server-sent events; fetch the report as JSON
 * or HTML; cancel it. A job is visible to the key that started it and to admins.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UnexposeError } from '../../core/errors.js';
import { renderReportHtml } from '../../core/report/render-report-html.js';
import { allowsScope } from '../../services/api-keys.js';
import type { ScanJob } from '../../jobs/scan-job-board.js';
import type { ServerContext } from '../context.js';
import { oneUpload } from '../multipart.js';
import { problemResponses, security } from '../schemas/common.js';

const jobParams = z.object({ id: z.string().uuid() });
const jobSchema = z.object({
  id: z.string(), status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']), createdAt: z.string(), finishedAt: z.string().optional(),
  progress: z.object({ bytesDone: z.number(), totalBytes: z.number(), messages: z.number(), mediaHashed: z.number() }),
  error: z.string().optional(),
  links: z.object({ self: z.string(), events: z.string(), report: z.string(), reportHtml: z.string() }),
});

function jobJson(j: ScanJob): z.output<typeof jobSchema> {
  const self = `/v1/scans/${j.id}`;
  return {
    id: j.id, status: j.status, createdAt: j.createdAt, finishedAt: j.finishedAt, progress: { ...j.progress }, error: j.error,
    links: { self, events: `${self}/events`, report: `${self}/report`, reportHtml: `${self}/report.html` },
  };
}

export function scanRoutes(ctx: ServerContext): FastifyPluginAsyncZod {
  const own = async (req: FastifyRequest, id: string): Promise<ScanJob> => {
    const job = await ctx.scans.get(id);
    const key = req.apiKey;
    if (!job || (key && job.ownerKeyId !== key.id && !allowsScope(key.scopes, 'admin'))) throw new UnexposeError('not_found', `no scan job ${id}`);
    return job;
  };
  const finished = async (req: FastifyRequest, id: string) => {
    const job = await own(req, id);
    if (job.status !== 'done' || !job.report) throw new UnexposeError('conflict', `scan job ${id} is ${job.status}; the report comes when it is done`);
    return job.report;
  };
  return async (app) => {
    app.post('/v1/scans', {
      config: { scope: 'scans' },
      schema: {
        tags: ['scans'], summary: 'Scan an uploaded export (one zip, multipart); runs in the background', security, consumes: ['multipart/form-data'],
        response: { 202: jobSchema, ...problemResponses },
      },
    }, async (req, reply) => {
      const part = await oneUpload(req, ctx.config.scanUploadLimit);
      const dir = await mkdtemp(join(tmpdir(), 'unexpose-upload-scan-'));
      const path = join(dir, 'export.zip');
      try {
        await pipeline(part, createWriteStream(path, { mode: 0o600 }));
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
      let job: ScanJob;
      try {
        job = await ctx.scans.submit({ paths: [path], label: 'upload.zip', ownerKeyId: req.apiKey?.id, cleanupDir: dir });
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
      return reply.code(202).send(jobJson(job));
    });

    app.post('/v1/scans/path', {
      config: { scope: 'admin' },
      schema: {
        tags: ['scans'], summary: 'Scan an export at a path on the server (admin keys only)', security,
        body: z.object({ path: z.string().min(1).max(4096) }), response: { 202: jobSchema, ...problemResponses },
      },
    }, async (req, reply) => {
      if (!isAbsolute(req.body.path)) throw new UnexposeError('invalid_input', 'give an absolute path on the server');
      await stat(req.body.path).catch(() => {
        throw new UnexposeError('not_found', 'nothing at that path on the server');
      });
      const job = await ctx.scans.submit({ paths: [req.body.path], label: req.body.path, ownerKeyId: req.apiKey?.id });
      return reply.code(202).send(jobJson(job));
    });

    app.get('/v1/scans/:id', {
      config: { scope: 'scans' },
      schema: { tags: ['scans'], summary: 'A scan job: status and progress', security, params: jobParams, response: { 200: jobSchema, ...problemResponses } },
    }, async (req) => jobJson(await own(req, req.params.id)));

    app.delete('/v1/scans/:id', {
      config: { scope: 'scans' },
      schema: { tags: ['scans'], summary: 'Cancel a scan (what it stored so far is kept)', security, params: jobParams, response: { 200: jobSchema, ...problemResponses } },
    }, async (req) => {
      const job = await own(req, req.params.id);
      await ctx.scans.cancel(job.id);
      return jobJson((await ctx.scans.get(job.id)) ?? job);
    });

    app.get('/v1/scans/:id/events', {
      config: { scope: 'scans' },
      schema: { tags: ['scans'], summary: 'Progress as server-sent events (status, progress, notice, phase); ends when the job ends', security, params: jobParams, produces: ['text/event-stream'] },
    }, async (req, reply) => {
      const job = await own(req, req.params.id);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-content-type-options': 'nosniff' });
      let n = 0;
      const end = () => {
        clearInterval(ping);
        unsubscribe();
        res.end();
      };
      const unsubscribe = ctx.scans.subscribe(job.id, (e) => {
        res.write(`id: ${n++}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
        if (e.type === 'status' && e.status !== 'queued' && e.status !== 'running') setImmediate(end);
      });
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      req.raw.on('close', end);
    });

    app.get('/v1/scans/:id/report', {
      config: { scope: 'scans' },
      schema: { tags: ['scans'], summary: 'The report as JSON (when done)', security, params: jobParams },
    }, async (req) => finished(req, req.params.id));

    app.get('/v1/scans/:id/report.html', {
      config: { scope: 'scans' },
      schema: { tags: ['scans'], summary: 'The report as an HTML page (when done)', security, params: jobParams, produces: ['text/html'] },
    }, async (req, reply) => reply.type('text/html; charset=utf-8').send(renderReportHtml(await finished(req, req.params.id))));
  };
}
