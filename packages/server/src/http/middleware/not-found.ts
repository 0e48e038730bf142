import type { NotFoundHandler } from 'hono';
import { HttpProblem } from '../http-problem.js';
import { problemResponse } from './problem-response.js';

/** A route as Hono lists it in `app.routes` (`ALL` for middleware). */
export interface RouteEntry {
  method: string;
  path: string;
}

/**
 * `app.notFound` of the server. A path that exists for other methods is a 405
 * `method-not-allowed` with `Allow` listing them (RFC 9110); anything else a 404 `not-found`
 * naming the method and path. `routes` is read on the first miss, once the app is complete.
 *
 * @example
 * ```ts
 * app.notFound(notFoundHandler(() => app.routes));
 * ```
 */
export function notFoundHandler(routes: () => readonly RouteEntry[] = () => []): NotFoundHandler {
  let matchers: { pattern: RegExp; method: string }[] | undefined;
  return (c) => {
    matchers ??= routes()
      .filter((route) => route.method !== 'ALL')
      .map((route) => ({ pattern: routePattern(route.path), method: route.method }));
    const allowed = new Set(
      matchers.filter((matcher) => matcher.pattern.test(c.req.path)).map((matcher) => matcher.method),
    );
    if (allowed.size > 0 && !allowed.has(c.req.method)) {
      // Hono answers HEAD with the GET handler, so a GET route allows HEAD too.
      if (allowed.has('GET')) allowed.add('HEAD');
      const allow = [...allowed].sort().join(', ');
      return problemResponse(
        c,
        new HttpProblem({
          status: 405,
          code: 'method-not-allowed',
          detail: `${c.req.path} does not take ${c.req.method}; it takes ${allow}.`,
          headers: { Allow: allow },
        }),
      );
    }
    return problemResponse(
      c,
      new HttpProblem({
        status: 404,
        code: 'not-found',
        detail: `No route matches ${c.req.method} ${c.req.path}. Check the method and the path (API routes start with /v1/).`,
      }),
    );
  };
}

/** Hono's path syntax (`/v1/runs/:id`, `/dashboard/*`) as an anchored regular expression. */
function routePattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}
