/**
 * Serves the browser page of bench:browser and test/browser on 127.0.0.1 (a free port): / (HTML), /page.js (page.ts
 * bundled by esbuild with the PDQ core and hash-wasm), /pdq-simd.wasm, and /file?path=... for files under the given
 * roots only (conformance images, the bench photo). For tests and benchmarks; never exposed beyond loopback.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { readPdqWasm } from '../../src/io/wasm/read-pdq-wasm.js';

const here = fileURLToPath(new URL('.', import.meta.url));

export interface PageServer { url: string; close(): Promise<void> }

/** Starts the server; `roots` are the folders whose files /file may serve. */
export async function servePage(roots: string[]): Promise<PageServer> {
  const bundle = await build({ entryPoints: [resolve(here, 'page.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'chrome110', write: false });
  const js = bundle.outputFiles[0].contents;
  const wasm = await readPdqWasm();
  const allowed = roots.map((r) => resolve(r) + sep);
  const server: Server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (type: string, body: Uint8Array | string) => { res.writeHead(200, { 'content-type': type }); res.end(body); };
    try {
      if (u.pathname === '/') return send('text/html', '<!doctype html><meta charset="utf-8"><title>unexpose PDQ</title><script type="module" src="/page.js"></script>');
      if (u.pathname === '/page.js') return send('text/javascript', js);
      if (u.pathname === '/pdq-simd.wasm') return send('application/wasm', wasm);
      if (u.pathname === '/file') {
        const p = resolve(u.searchParams.get('path') ?? '');
        if (allowed.some((a) => p.startsWith(a))) return send('application/octet-stream', await readFile(p));
      }
      res.writeHead(404).end();
    } catch {
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}

/** The URL under which the server gives a file. */
export function fileUrl(base: string, path: string): string {
  return `${base}/file?path=${encodeURIComponent(resolve(path))}`;
}
