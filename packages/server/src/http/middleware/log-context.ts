import { defaultLogContext } from '@agent/observability';
import type { MiddlewareHandler } from 'hono';

/**
 * Runs the rest of the request inside `defaultLogContext` with its `requestId`, so every log
 * line written while handling it (in the runtime and core too) carries the id. Mount it after
 * `requestId()`. `authenticate()` adds the `tenant` for the rest of the request by nesting its
 * own `defaultLogContext.run({ tenant })` inside this one: contexts merge, so both ids are set.
 *
 * @example
 * ```ts
 * app.use(requestId(), logContext(), traceContext());
 * ```
 */
export function logContext(): MiddlewareHandler {
  return async function logContextMiddleware(c, next) {
    const requestId: string | undefined = c.get('requestId');
    await defaultLogContext.run({ requestId }, next);
  };
}
