import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { requireScope } from '../auth/require-scope.js';
import type { Authenticator, Scope, ServerRuntime } from '../contract.js';
import type { ServerEnv } from './middleware/context-variables.js';
import {
  authenticate,
  bodyLimit,
  cors,
  errorHandler,
  httpRateLimit,
  logContext,
  notFoundHandler,
  requestId,
  requestTimeout,
  secureHeaders,
  traceContext,
  validationProblem,
  withoutRequestTimeout,
} from './middleware/index.js';
import { registerCatalogRoutes } from './routes/catalog.js';
import { registerDocsRoutes } from './routes/docs.js';
import { registerEventRoutes } from './routes/events.js';
import { registerHealthRoutes } from './routes/health.js';
import type { RouteDeps } from './routes/route-context.js';
import { registerRunRoutes } from './routes/runs.js';
import { registerToolRoutes } from './routes/tools.js';
import { SSE_DEFAULTS } from './sse.js';

/** The app {@link createApp} returns. */
export type ServerApp = OpenAPIHono<ServerEnv>;

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /** Mounts the dashboard (another module's routes) on the app, after the API routes. */
  dashboard?: (app: ServerApp) => void;
  /** SSE tuning; the defaults suit production, tests shorten them. */
  sse?: {
    /** A heartbeat comment after this long without traffic. @default 15_000 */
    heartbeatMs?: number;
    /** Bytes queued for one client; past half of it, streams wait for the client. @default 1 MiB */
    maxBufferedBytes?: number;
    /** A client that reads nothing for this long while its queue is full is dropped. @default 30_000 */
    slowClientMs?: number;
  };
}

/**
 * The server's Hono app: the versioned API (`/v1`), health, readiness and metrics, the OpenAPI
 * document (`/v1/openapi.json`) and its reference page (`/docs`), with every error as
 * `application/problem+json`.
 *
 * Middleware, in order: request id, trace context, log context, security headers, CORS (when
 * `server.cors` is set), the body limit; then per route: authentication, the scope check and the
 * HTTP rate limit (`server.rateLimit`), and the request timeout (`server.requestTimeoutMs`),
 * which streams (SSE) and `POST /v1/agents/{agent}/runs` do not have: the latter waits for a run
 * at most that long and then answers 202 instead.
 *
 * @example
 * ```ts
 * const runtime = await createServerRuntime(config, { cwd: process.cwd() });
 * const app = createApp(runtime, createAuthenticator(config.server.auth));
 * serve({ fetch: app.fetch, port: 3000 });
 * ```
 */
export function createApp(
  runtime: ServerRuntime,
  authenticator: Authenticator,
  options: CreateAppOptions = {},
): ServerApp {
  const { server } = runtime.config;
  const app = new OpenAPIHono<ServerEnv>({
    // zod-openapi's own 400 body would leak ZodError internals; this is a problem without them.
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(result.error, result.target);
    },
  });
  app.onError(errorHandler(runtime.logger));
  app.notFound(notFoundHandler(() => app.routes));

  app.use(requestId(), traceContext(), logContext(), secureHeaders());
  if (server.cors) app.use(cors(server.cors.origins));
  app.use(bodyLimit(server.bodyLimitBytes));

  const authenticated = authenticate(authenticator);
  // The HTTP limits get a limiter of their own (on the same backend, so Redis when configured):
  // a limiter is decided against all of its rules, so sharing the model limiter would count
  // requests against model limits and model calls against these.
  const rateLimited = httpRateLimit((rules) => runtime.limiterFor(rules, 'http'), server.rateLimit, {
    onRejected: (kind) => runtime.metrics?.recordRateLimitRejection('http', kind),
  });
  const scopeChecks = new Map<Scope, MiddlewareHandler>();
  const scoped = (scope: Scope): MiddlewareHandler => {
    let check = scopeChecks.get(scope);
    if (check === undefined) {
      check = async function requireScopeMiddleware(c, next) {
        requireScope(c.get('principal'), scope);
        await next();
      };
      scopeChecks.set(scope, check);
    }
    return check;
  };

  const deps: RouteDeps = {
    runtime,
    protect: (scope) => [authenticated, scoped(scope), rateLimited],
    timeout: server.requestTimeoutMs !== undefined ? [requestTimeout(server.requestTimeoutMs)] : [],
    streaming: [withoutRequestTimeout()],
    sse: {
      heartbeatMs: options.sse?.heartbeatMs ?? SSE_DEFAULTS.heartbeatMs,
      maxBufferedBytes: options.sse?.maxBufferedBytes ?? SSE_DEFAULTS.maxBufferedBytes,
      slowClientMs: options.sse?.slowClientMs ?? SSE_DEFAULTS.slowClientMs,
    },
  };
  registerHealthRoutes(app, deps);
  registerRunRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerCatalogRoutes(app, deps);
  registerToolRoutes(app, deps);
  options.dashboard?.(app);
  registerDocsRoutes(app);
  return app;
}
