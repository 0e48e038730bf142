import type { MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { REQUEST_ID_HEADER } from './request-id.js';

/** Request headers a browser client may send cross-origin. */
export const CORS_ALLOWED_HEADERS: readonly string[] = [
  'Authorization',
  'Content-Type',
  'X-API-Key',
  REQUEST_ID_HEADER,
  'Idempotency-Key',
  'Last-Event-ID',
  'traceparent',
  'tracestate',
];

/**
 * CORS for exactly `origins` (`server.cors.origins`): any other origin gets no
 * `Access-Control-Allow-Origin`, so the browser blocks it. A `*` entry allows every origin.
 * Credentials (cookies) are never allowed: callers authenticate with headers. `X-Request-Id` and
 * `Retry-After` are exposed so a browser client can read them. Mount it before `authenticate()`,
 * so preflight requests (which carry no credentials) are answered.
 *
 * @example
 * ```ts
 * if (config.server.cors) app.use(cors(config.server.cors.origins));
 * ```
 */
export function cors(origins: readonly string[]): MiddlewareHandler {
  const any = origins.includes('*');
  const allowed = new Set(origins.map((origin) => origin.replace(/\/+$/, '')));
  return honoCors({
    origin: any ? '*' : (origin) => (allowed.has(origin) ? origin : null),
    credentials: false,
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: [...CORS_ALLOWED_HEADERS],
    exposeHeaders: [REQUEST_ID_HEADER, 'Retry-After'],
    maxAge: 600,
  });
}
