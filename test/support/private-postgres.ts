/**
 * A private PostgreSQL cluster for tests that must stop and start the database (never the shared one): initdb in
 * a temporary folder, started with pg_ctl on a free port of 127.0.0.1, trust authentication, removed at the end.
 * Finds the binaries under /usr/lib/postgresql/<version>/bin; as root, runs them as the `postgres` user (initdb
 * refuses root). `privatePostgresMissing()` says why a test must skip.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PrivatePostgres {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster and removes its folder. */
  destroy(): Promise<void>;
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/** Why no private cluster can be started here, or undefined when one can. */
export function privatePostgresMissing(): string | undefined {
  if (!binDir()) return 'no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (initdb, pg_ctl)';
  if (process.getuid?.() === 0 && !existsSync('/usr/sbin/runuser')) return 'running as root without runuser to drop to the postgres user';
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary, as the postgres user when this process is root. */
async function pgBin(name: string, args: string[]): Promise<void> {
  const bin = join(binDir()!, name);
  if (process.getuid?.() === 0) await run('/usr/sbin/runuser', ['-u', 'postgres', '--', bin, ...args], { timeout: 60_000 });
  else await run(bin, args, { timeout: 60_000 });
}

/** Creates and starts a cluster. @example const pg = await startPrivatePostgres(); … await pg.destroy() */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const why = privatePostgresMissing();
  if (why) throw new Error(`cannot start a private PostgreSQL: ${why}`);
  const dir = mkdtempSync(join(tmpdir(), 'unexpose-private-pg-'));
  if (process.getuid?.() === 0) {
    const pgUser = statSync('/var/lib/postgresql', { throwIfNoEntry: false });
    chownSync(dir, pgUser?.uid ?? 101, pgUser?.gid ?? 104);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  await pgBin('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const pg: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dir,
    start: () => pgBin('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']),
    stop: () => pgBin('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    async destroy() {
      await pg.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await pg.start();
  return pg;
}
