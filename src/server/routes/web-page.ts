/**
 * Serves the victim page (web/dist, built by `npm run build`) at `/` with a strict Content-Security-Policy: only
 * this origin's scripts, workers and WebAssembly, no inline script, no CDN. Files are read from a fixed list made
 * at start, so no request path ever reaches the file system.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const PAGE_CSP = [
  "default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self'", "connect-src 'self'", "img-src 'self' blob: data:",
  "media-src 'self' blob:", "style-src 'self'", "font-src 'self'", "form-action 'none'", "base-uri 'none'", "frame-ancestors 'none'", "manifest-src 'self'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.webmanifest': 'application/manifest+json',
};

/** The built page's folder: web/dist beside src/ or dist/ of this package. */
export function webDistDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web', 'dist');
}

function listFiles(root: string, dir = root, out = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) listFiles(root, full, out);
    else out.set(`/${relative(root, full).split(sep).join('/')}`, full);
  }
  return out;
}

export function webPageRoutes(root = webDistDir()): FastifyPluginAsyncZod {
  return async (app) => {
    const files = existsSync(join(root, 'index.html')) ? listFiles(root) : new Map<string, string>();
    const send = (path: string, reply: import('fastify').FastifyReply) => {
      const file = files.get(path);
      if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
      reply.header('content-security-policy', PAGE_CSP);
      reply.header('cache-control', path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      return reply.type(TYPES[extname(file)] ?? 'application/octet-stream').send(readFileSync(file));
    };
    app.get('/', { config: { scope: 'public' }, schema: { hide: true } }, async (_req, reply) => {
      if (!files.has('/index.html')) return reply.code(503).type('text/plain; charset=utf-8').send('the victim page is not built: run `npm run build`');
      return send('/index.html', reply);
    });
    app.get('/assets/*', { config: { scope: 'public' }, schema: { hide: true } }, async (req, reply) => send(req.url.split('?')[0], reply));
  };
}
