import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** The request id header, read from the request and echoed on the response. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

// Safe to log and to echo in a header: no spaces, quotes or control characters.
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id: the caller's `X-Request-Id` when it matches
 * `/^[A-Za-z0-9._:-]{1,128}$/` (so a proxy's id carries through), otherwise a new UUID. Sets
 * `c.get('requestId')` and the `X-Request-Id` response header, error responses included.
 *
 * @example
 * ```ts
 * app.use(requestId());
 * app.get('/x', (c) => c.text(c.get('requestId')));
 * ```
 */
export function requestId(): MiddlewareHandler {
  return async function requestIdMiddleware(c, next) {
    const sent = c.req.header(REQUEST_ID_HEADER);
    const id = sent !== undefined && ACCEPTED.test(sent) ? sent : randomUUID();
    c.set('requestId', id);
    c.header(REQUEST_ID_HEADER, id);
    await next();
    // A handler's own Response replaces the one the header was set on: set it again.
    c.res.headers.set(REQUEST_ID_HEADER, id);
  };
}
