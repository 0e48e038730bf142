import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';

/** The tracer name of the server's spans. */
export const SERVER_TRACER_NAME = '@agent/server';

const headersGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/**
 * Continues the caller's trace (W3C `traceparent`/`tracestate`, or whatever propagator is
 * registered) and wraps the request in a SERVER span named `{method} {route}` (`GET
 * /v1/runs/:id`), ended with the response status: errors for 5xx, as OpenTelemetry's HTTP
 * conventions say. Everything after it (runs, model calls) becomes a child of that span. Without
 * an OpenTelemetry SDK registered, it costs next to nothing.
 *
 * @example
 * ```ts
 * app.use(requestId(), traceContext());
 * ```
 */
export function traceContext(): MiddlewareHandler {
  return async function traceContextMiddleware(c, next) {
    const parent = propagation.extract(context.active(), c.req.raw.headers, headersGetter);
    const method = c.req.method;
    const span = trace.getTracer(SERVER_TRACER_NAME).startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': method,
          'url.path': c.req.path,
          'url.scheme': new URL(c.req.url).protocol.replace(':', ''),
        },
      },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), next);
    } finally {
      const route = handlerRoute(routePath(c));
      if (route !== undefined) {
        span.updateName(`${method} ${route}`);
        span.setAttribute('http.route', route);
      }
      const status = c.res.status;
      span.setAttribute('http.response.status_code', status);
      const requestId: string | undefined = c.get('requestId');
      if (requestId !== undefined) span.setAttribute('http.request.id', requestId);
      if (status >= 500) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute('error.type', String(status));
        if (c.error) span.recordException(c.error);
      }
      span.end();
    }
  };
}

/** The route that answered, or `undefined` when none did (404: only wildcard middleware matched). */
function handlerRoute(path: string): string | undefined {
  if (path === '' || path === '*' || path === '/*') return undefined;
  return path;
}
