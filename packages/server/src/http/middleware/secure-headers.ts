import type { MiddlewareHandler } from 'hono';
import { secureHeaders as honoSecureHeaders } from 'hono/secure-headers';

/**
 * Security headers for the API and the dashboard: a Content Security Policy that allows scripts,
 * styles, fetches and EventSource streams from the server's own origin only (no inline scripts
 * or styles: the dashboard ships them as files), forbids framing (`frame-ancestors 'none'`,
 * `X-Frame-Options: DENY`) and plugins, plus `Referrer-Policy: no-referrer`, `nosniff` and HSTS.
 *
 * @example
 * ```ts
 * app.use(secureHeaders());
 * ```
 */
export function secureHeaders(): MiddlewareHandler {
  return honoSecureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      connectSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
  });
}
