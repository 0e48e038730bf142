import { defaultLogContext } from '@agent/observability';
import type { MiddlewareHandler } from 'hono';
import type { Authenticator } from '../../contract.js';

/**
 * Authenticates the request (a 401 `HttpProblem` when it fails), sets `c.get('principal')` and
 * runs the rest of the request inside the log context with the principal's `tenant`, so every
 * log line after it carries the tenant as well as the request id.
 *
 * @example
 * ```ts
 * app.use('/v1/*', authenticate(createAuthenticator(config.server.auth)));
 * ```
 */
export function authenticate(authenticator: Authenticator): MiddlewareHandler {
  return async function authenticateMiddleware(c, next) {
    const principal = await authenticator.authenticate(c.req.raw.headers);
    c.set('principal', principal);
    await defaultLogContext.run({ tenant: principal.tenant }, next);
  };
}
