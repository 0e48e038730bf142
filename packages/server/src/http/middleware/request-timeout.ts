import type { Context, MiddlewareHandler } from 'hono';
import { HttpProblem } from '../http-problem.js';

/** Options of {@link requestTimeout}. */
export interface RequestTimeoutOptions {
  /** Requests to leave without a deadline, e.g. `(c) => c.req.path.endsWith('/events')`. */
  skip?: (c: Context) => boolean;
}

/**
 * Answers 503 `request-timeout` (with `Retry-After: 1`) when the handler has not produced a
 * response within `ms`, and aborts `c.get('timeoutSignal')` so the handler can stop its work.
 *
 * Only the time until the handler returns a `Response` counts: a streamed body (SSE) keeps
 * flowing after that. Routes that may take longer before answering opt out with the `skip`
 * option, or by calling {@link disableRequestTimeout} (or mounting {@link withoutRequestTimeout})
 * before the deadline.
 *
 * 503 rather than 504: the server itself ran out of time, it is not a gateway waiting on an
 * upstream; clients and proxies treat 503 as "retry later".
 *
 * @example
 * ```ts
 * app.use('/v1/*', requestTimeout(config.server.requestTimeoutMs ?? 30_000));
 * app.get('/v1/runs/:id/events', withoutRequestTimeout(), streamEvents);
 * ```
 */
export function requestTimeout(ms: number, options: RequestTimeoutOptions = {}): MiddlewareHandler {
  if (!(Number.isFinite(ms) && ms > 0)) {
    throw new RangeError(`requestTimeout(ms) needs a positive number of ms; got ${String(ms)}.`);
  }
  return async function requestTimeoutMiddleware(c, next) {
    if (options.skip?.(c)) {
      await next();
      return;
    }
    const controller = new AbortController();
    c.set('timeoutSignal', controller.signal);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      const fire = () => {
        timer = undefined;
        if (c.get('requestTimeoutDisabled')) return;
        const problem = new HttpProblem({
          status: 503,
          code: 'request-timeout',
          detail: `The server did not finish this request within ${ms} ms. Retry later, or ask for less work at once.`,
          retryAfterSeconds: 1,
        });
        controller.abort(problem);
        reject(problem);
      };
      timer = setTimeout(fire, ms);
    });
    // The losing race's rejection must not surface as unhandled.
    expired.catch(() => {});
    try {
      await Promise.race([next(), expired]);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  };
}

/** Lifts the request timeout for the rest of this request (call it before the deadline). */
export function disableRequestTimeout(c: Context): void {
  c.set('requestTimeoutDisabled', true);
}

/** Route middleware that lifts the request timeout, e.g. for SSE streams. */
export function withoutRequestTimeout(): MiddlewareHandler {
  return async function withoutRequestTimeoutMiddleware(c, next) {
    disableRequestTimeout(c);
    await next();
  };
}
