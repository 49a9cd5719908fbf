/**
 * Starts the server: opens the context, builds the keyed app (and the open HMA app when configured), listens, and
 * shuts down gracefully: stop accepting, let requests in flight finish (new ones get 503), stop scans after their
 * current batch, close the database.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { ServerConfig } from './config.js';
import { createServerContext, type ServerContext } from './context.js';

export interface RunningServer {
  url: string;
  openUrl?: string;
  ctx: ServerContext;
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * @example const s = await startServer(loadServerConfig({ port: '0' })); …; await s.close()
 */
export async function startServer(config: ServerConfig, opts: { logStream?: NodeJS.WritableStream; mode?: 'threads' | 'inline' } = {}): Promise<RunningServer> {
  let log: FastifyBaseLogger | undefined;
  const ctx = await createServerContext(config, {
    info: (o: object, m: string) => log?.info(o, m),
    error: (o: object, m: string) => log?.error(o, m),
    warn: (o: object, m: string) => log?.warn(o, m),
  } as Pick<FastifyBaseLogger, 'info' | 'error' | 'warn'>, opts.mode ?? 'threads');
  let app: FastifyInstance | undefined;
  let openApp: FastifyInstance | undefined;
  try {
    app = await buildApp(ctx, { logStream: opts.logStream });
    log = app.log;
    ctx.startIndexLoad();
    const url = await app.listen({ host: config.host, port: config.port });
    let openUrl: string | undefined;
    if (config.hmaOpenListen) {
      openApp = await buildApp(ctx, { open: true, logStream: opts.logStream });
      openUrl = await openApp.listen({ host: config.hmaOpenListen.host, port: config.hmaOpenListen.port });
    }
    let closing: Promise<void> | undefined;
    const close = () => (closing ??= (async () => {
      await Promise.all([app!.close(), openApp?.close()]);
      await ctx.close();
    })());
    return { url, openUrl, ctx, app, close };
  } catch (err) {
    await Promise.all([app?.close(), openApp?.close()]).catch(() => {});
    await ctx.close();
    throw err;
  }
}
