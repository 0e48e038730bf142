import type { Context } from 'hono';
import type { HttpProblem } from '../http-problem.js';

/** The media type of every error body (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The `application/problem+json` response of `problem`, with its headers, `Retry-After` when it
 * has `retryAfterSeconds`, and the request id and path in the body. For handlers that answer
 * with a problem instead of throwing one.
 */
export function problemResponse(c: Context, problem: HttpProblem): Response {
  const headers = new Headers(problem.headers);
  headers.set('Content-Type', PROBLEM_CONTENT_TYPE);
  if (problem.retryAfterSeconds !== undefined) {
    headers.set('Retry-After', String(Math.max(0, Math.ceil(problem.retryAfterSeconds))));
  }
  const requestId: string | undefined = c.get('requestId');
  const body = JSON.stringify(problem.toBody(requestId, c.req.path));
  return new Response(c.req.method === 'HEAD' ? null : body, { status: problem.status, headers });
}
