import type { NotFoundHandler } from 'hono';
import { HttpProblem } from '../http-problem.js';
import { problemResponse } from './problem-response.js';

/**
 * `app.notFound` of the server: a 404 `not-found` problem naming the method and path.
 *
 * @example
 * ```ts
 * app.notFound(notFoundHandler());
 * ```
 */
export function notFoundHandler(): NotFoundHandler {
  return (c) =>
    problemResponse(
      c,
      new HttpProblem({
        status: 404,
        code: 'not-found',
        detail: `No route matches ${c.req.method} ${c.req.path}. Check the method and the path (API routes start with /v1/).`,
      }),
    );
}
