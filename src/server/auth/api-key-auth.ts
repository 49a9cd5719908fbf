/**
 * Bearer API keys on every non-public route: a route names the scope it needs in its config (`scope`), and an
 * onRequest hook checks the key (cached for a second, so a revoked key stops working within a second on every
 * server) before anything else runs. Public routes say `scope: 'public'`. HMA routes on the open listener say
 * nothing and are served without a key there, by the operator's choice.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnexposeError } from '../../core/errors.js';
import type { StoredApiKey } from '../../services/face-imports.js';
import { allowsScope, hashApiKey, verifyApiKey, type ApiKeyDeps, type ApiScope } from '../../services/api-keys.js';

export type RouteScope = ApiScope | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    scope?: RouteScope;
  }
  interface FastifyRequest {
    apiKey?: StoredApiKey;
  }
}

const CACHE_MS = 1000;
const CACHE_MAX = 10_000;

/** Verifies keys through the store, remembering answers for a second. */
export class KeyVerifier {
  private readonly cache = new Map<string, { key: StoredApiKey | undefined; at: number }>();

  constructor(private readonly deps: ApiKeyDeps) {}

  async verify(key: string): Promise<StoredApiKey | undefined> {
    const h = hashApiKey(key);
    const hit = this.cache.get(h);
    const now = Date.now();
    if (hit && now - hit.at < CACHE_MS) return hit.key;
    const found = await verifyApiKey(this.deps, key);
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(h, { key: found, at: now });
    return found;
  }
}

/** The Bearer token of a request, if any. */
export function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

/**
 * Adds the key check. With `openScopes` (the open HMA listener) routes needing one of them pass without a key.
 * @example addKeyAuth(app, verifier)
 */
export function addKeyAuth(app: FastifyInstance, verifier: KeyVerifier, opts: { open?: boolean } = {}): void {
  app.addHook('onRequest', async (req) => {
    const scope = req.routeOptions.config?.scope;
    if (scope === 'public' || opts.open) return;
    if (scope === undefined) {
      // Unknown paths carry no scope: let them reach the 404 handler.
      if (req.routeOptions.url === undefined) return;
      throw new UnexposeError('forbidden', 'this route has no scope set');
    }
    const token = bearerToken(req);
    if (!token) throw new UnexposeError('unauthorized', 'an API key is required: send "Authorization: Bearer <key>"');
    const key = await verifier.verify(token);
    if (!key) throw new UnexposeError('unauthorized', 'the API key is not valid (unknown or revoked)');
    if (!allowsScope(key.scopes, scope)) throw new UnexposeError('forbidden', `this API key lacks the "${scope}" scope`);
    req.apiKey = key;
  });
}
