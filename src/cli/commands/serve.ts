/**
 * `unexpose serve [--host H] [--port P] [--db PATH] …`: runs the HTTP server (platform API v1, HMA-compatible
 * routes, status and metrics) until SIGTERM or SIGINT, then shuts down gracefully. Settings come from flags, then
 * environment variables (UNEXPOSE_*, DATABASE_URL), then defaults; bad ones stop it at start with exit 2.
 */
import { Command } from 'commander';
import { CONFIG_ENV, loadServerConfig, SERVER_ROLES, type ServerConfigInput } from '../../server/config.js';
import { startServer } from '../../server/start-server.js';
import { printNote } from '../render/terminal-text.js';

const FLAGS: [keyof typeof CONFIG_ENV, string, string][] = [
  ['role', '--role <role>', `what this process serves: ${SERVER_ROLES.join(', ')} (default all; matcher: read-only lookups, run any number)`],
  ['host', '--host <host>', 'address to listen on (default 127.0.0.1)'],
  ['port', '--port <port>', 'port (default 8080; 0 picks a free one)'],
  ['dbPath', '--db <path>', 'SQLite file (default ./unexpose.db; PostgreSQL from DATABASE_URL when --db is not given)'],
  ['keyFile', '--key-file <path>', 'identifier key file (default: beside the database; UNEXPOSE_SECRET wins)'],
  ['hmaOpenListen', '--hma-open-listen <host:port>', 'also serve the HMA routes WITHOUT keys on this address (off by default)'],
  ['corsOrigins', '--cors-origins <list>', 'comma-separated origins allowed by CORS (off by default)'],
  ['rateLimit', '--rate-limit <n>', 'requests per minute per API key (default 1200; 0: none)'],
  ['bodyLimit', '--body-limit <bytes>', 'largest JSON body (default 2 MiB)'],
  ['uploadLimit', '--upload-limit <bytes>', 'largest photo/video upload (default 64 MiB)'],
  ['scanUploadLimit', '--scan-upload-limit <bytes>', 'largest export zip upload (default 4 GiB)'],
  ['importLimit', '--import-limit <bytes>', 'largest bank import body (default 1 GiB)'],
  ['requestTimeout', '--request-timeout <ms>', 'time a client has to send its request (default 120000)'],
  ['logLevel', '--log-level <level>', 'fatal, error, warn, info (default), debug, trace or silent'],
  ['trustProxy', '--trust-proxy', 'trust X-Forwarded-For from a proxy in front'],
  ['indexMaxStaleSeconds', '--index-max-stale-seconds <s>', '/status says INDEX-STALE after this long without reading the bank change log (default 65; 0: never)'],
  ['indexReloadSeconds', '--index-reload-seconds <s>', 'also rebuild the whole index this often, in the background (default 0: only when needed)'],
  ['indexMemory', '--index-memory <fast|lean>', 'in-memory indexes: fast (default; PDQ ~262 bytes a hash) or lean (plain multi-index, ~127 bytes, slower lookups)'],
  ['helplineUrl', '--helpline-url <url>', 'the victim page links to this helpline'],
  ['policeUrl', '--police-url <url>', 'the victim page links to this police page'],
];

async function runServe(o: Record<string, string | boolean | undefined>): Promise<void> {
  const flags: ServerConfigInput = {};
  for (const [key] of FLAGS) if (o[key] !== undefined) flags[key] = o[key];
  // --db wins over DATABASE_URL, as in the other commands.
  const env = { ...process.env };
  if (flags.dbPath !== undefined) delete env.DATABASE_URL;
  const config = loadServerConfig(flags, env);
  const server = await startServer(config);
  printNote(`unexpose serve: listening on ${server.url}${server.openUrl ? `, HMA routes without keys on ${server.openUrl}` : ''} (docs at ${server.url}/docs; role ${config.role})`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        printNote('unexpose serve: stopping now');
        process.exit(1);
      }
      stopping = true;
      printNote(`unexpose serve: ${signal}: finishing requests in flight, then stopping`);
      server.close().then(resolve, (err) => {
        printNote(`unexpose serve: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/** Adds `serve` to the program. */
export function registerServeCommand(program: Command): void {
  const cmd = program.command('serve').description('run the HTTP server: platform API (/v1), HMA-compatible routes, status and metrics');
  for (const [key, flag, help] of FLAGS) cmd.option(flag, `${help} [${CONFIG_ENV[key]}]`);
  cmd.action(async (o: Record<string, string | boolean | undefined>) => {
    await runServe({ ...o, dbPath: o.db as string | undefined });
  });
}
