/**
 * The server's configuration: flags win over environment variables, which win over defaults. Validated with zod
 * at start; a bad value stops the server with one line per problem naming the flag or variable it came from.
 */
import { z } from 'zod';
import { UnexposeError } from '../core/errors.js';

const MiB = 1024 * 1024;

const hostPort = z.string().regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected HOST:PORT, e.g. 127.0.0.1:5000')
  .transform((s) => {
    const at = s.lastIndexOf(':');
    return { host: s.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(s.slice(at + 1)) };
  })
  .refine((a) => a.port >= 0 && a.port <= 65535, 'port must be 0-65535');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''));

/**
 * What a server process does, after HMA's split: `matcher` loads the index and answers lookups, hashes and status
 * only (read-only: it never writes banks, so any number of replicas can run); `curator` serves the writing
 * routes (banks, entries, scans, cases, the victim page) without loading the index; `all` (default) does both.
 */
export const SERVER_ROLES = ['all', 'curator', 'matcher'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];

/** True when a server of this role serves the lookups (and so loads and follows the index). */
export function servesLookups(role: ServerRole): boolean {
  return role !== 'curator';
}

/** True when a server of this role serves the writing routes. */
export function servesWrites(role: ServerRole): boolean {
  return role !== 'matcher';
}

export const serverConfigSchema = z.object({
  /** all (default), curator or matcher; see SERVER_ROLES. */
  role: z.enum(SERVER_ROLES).default('all'),
  host: z.string().min(1).default('127.0.0.1'),
  port: int(0, 65535).default(8080),
  /** SQLite file; ignored when databaseUrl is set. */
  dbPath: z.string().min(1).optional(),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional(),
  /** The identifier key file (default: beside the database); UNEXPOSE_SECRET wins over it. */
  keyFile: z.string().min(1).optional(),
  /** A second listener serving only the HMA-compatible routes, without API keys. Off unless named. */
  hmaOpenListen: hostPort.optional(),
  /** Origins allowed by CORS; none (off) by default. */
  corsOrigins: list.default([]),
  /** Requests per minute per API key (0: no limit). */
  rateLimit: int(0, 10_000_000).default(1200),
  /** Largest JSON body in bytes. */
  bodyLimit: int(1024, 64 * MiB).default(2 * MiB),
  /** Largest photo or video upload in bytes. */
  uploadLimit: int(1024, 4096 * MiB).default(64 * MiB),
  /** Largest export zip for a scan, in bytes. */
  scanUploadLimit: int(1024, 1024 * 1024 * MiB).default(4096 * MiB),
  /** Largest bank import body (CSV / JSON lines), in bytes. */
  importLimit: int(1024, 1024 * 1024 * MiB).default(1024 * MiB),
  /** Milliseconds a client may take to send a whole request (slow clients are cut off). */
  requestTimeout: int(1000, 3_600_000).default(120_000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Trust X-Forwarded-For from a proxy in front (off by default). */
  trustProxy: z.coerce.boolean().default(false),
  /** Maximum seconds the index may lag before /status answers INDEX-STALE (HMA's INDEX_CACHE_MAX_STALE_SEC). */
  indexMaxStaleSeconds: int(0, 86_400).default(65),
  /** Rebuild the whole index this often in the background (0: only when the change log no longer reaches back). */
  indexReloadSeconds: int(0, 30 * 86_400).default(0),
  /** The in-memory indexes: 'fast' (sketched where the registry says: PDQ ~262 bytes a hash) or 'lean' (plain: ~127). */
  indexMemory: z.enum(['fast', 'lean']).default('fast'),
  /** The victim page's "where to get help" links (https URLs chosen by the operator). */
  helplineUrl: z.url({ protocol: /^https?$/ }).optional(),
  policeUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export type ServerConfig = z.output<typeof serverConfigSchema>;
export type ServerConfigInput = Partial<Record<keyof ServerConfig, string | number | boolean | undefined>>;

/** Environment variable for each setting. */
export const CONFIG_ENV: Record<keyof ServerConfig, string> = {
  role: 'UNEXPOSE_ROLE', host: 'UNEXPOSE_HOST', port: 'UNEXPOSE_PORT', dbPath: 'UNEXPOSE_DB', databaseUrl: 'DATABASE_URL', keyFile: 'UNEXPOSE_KEY_FILE',
  hmaOpenListen: 'UNEXPOSE_HMA_OPEN_LISTEN', corsOrigins: 'UNEXPOSE_CORS_ORIGINS', rateLimit: 'UNEXPOSE_RATE_LIMIT',
  bodyLimit: 'UNEXPOSE_BODY_LIMIT', uploadLimit: 'UNEXPOSE_UPLOAD_LIMIT', scanUploadLimit: 'UNEXPOSE_SCAN_UPLOAD_LIMIT',
  importLimit: 'UNEXPOSE_IMPORT_LIMIT', requestTimeout: 'UNEXPOSE_REQUEST_TIMEOUT', logLevel: 'UNEXPOSE_LOG_LEVEL',
  trustProxy: 'UNEXPOSE_TRUST_PROXY', indexMaxStaleSeconds: 'UNEXPOSE_INDEX_MAX_STALE_SECONDS',
  indexReloadSeconds: 'UNEXPOSE_INDEX_RELOAD_SECONDS', indexMemory: 'UNEXPOSE_INDEX_MEMORY',
  helplineUrl: 'UNEXPOSE_HELPLINE_URL', policeUrl: 'UNEXPOSE_POLICE_URL',
};

/** The flag for each setting (kebab-case of its name). */
export function flagFor(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * The configuration from flags and environment, or a usage error listing every bad value and where it came from.
 * @example loadServerConfig({ port: '0' }, {}).port // 0
 */
export function loadServerConfig(flags: ServerConfigInput, env: Record<string, string | undefined> = process.env): ServerConfig {
  const raw: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const key of Object.keys(CONFIG_ENV) as (keyof ServerConfig)[]) {
    const fromFlag = flags[key];
    const fromEnv = env[CONFIG_ENV[key]];
    if (fromFlag !== undefined) {
      raw[key] = fromFlag;
      origin[key] = flagFor(key);
    } else if (fromEnv !== undefined && fromEnv !== '') {
      raw[key] = key === 'trustProxy' ? /^(1|true|yes)$/i.test(fromEnv) : fromEnv;
      origin[key] = CONFIG_ENV[key];
    }
  }
  const parsed = serverConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => {
    const key = String(i.path[0] ?? '');
    const shown = key === 'databaseUrl' ? 'the URL' : JSON.stringify(String(raw[key] ?? '')).slice(0, 60);
    return `${origin[key] ?? flagFor(key)}: ${i.message} (got ${shown})`;
  });
  throw new UnexposeError('usage', `bad server configuration:\n  ${lines.join('\n  ')}`);
}
