import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { HttpProblem } from '../http-problem.js';
import type { ServerEnv } from '../middleware/context-variables.js';
import { healthSchema, notReadySchema, readySchema } from '../schemas/health.js';
import { problemResponse, problemResponses } from '../schemas/problem.js';
import { type RouteDeps, securityFor } from './route-context.js';

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'health',
  tags: ['Operations'],
  summary: 'Liveness',
  description: 'Always 200 while the process serves HTTP: for liveness probes. Needs no credential.',
  security: [],
  responses: {
    200: { description: 'The process is up.', content: { 'application/json': { schema: healthSchema } } },
    ...problemResponses({}),
  },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/ready',
  operationId: 'ready',
  tags: ['Operations'],
  summary: 'Readiness',
  description:
    'Whether to send traffic here: config loaded, store and Redis reachable, not shutting down. For readiness probes and load balancers. Needs no credential.',
  security: [],
  responses: {
    200: {
      description: 'Ready; every check passed.',
      content: { 'application/json': { schema: readySchema } },
    },
    503: {
      description: 'Not ready (starting, shutting down or a dependency down); `checks` says which.',
      content: { 'application/json': { schema: notReadySchema } },
    },
    ...problemResponses({}),
  },
});

const metricsRoute = (middleware: MiddlewareHandler[], requireAuth: boolean) =>
  createRoute({
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tags: ['Operations'],
    summary: 'Prometheus metrics',
    description: `The Prometheus text exposition of the run, model, tool, rate-limit and process metrics. ${
      requireAuth
        ? 'Needs the `admin` scope (`observability.metrics.requireAuth` is on).'
        : 'Needs no credential (`observability.metrics.requireAuth` is off): keep the port private or turn it on.'
    }`,
    security: requireAuth ? securityFor('admin') : [],
    middleware,
    responses: {
      200: {
        description: 'The metrics.',
        content: {
          'text/plain': { schema: { type: 'string', description: 'Prometheus text format 0.0.4.' } },
        },
      },
      ...problemResponses({ auth: requireAuth }),
      404: problemResponse('Metrics are turned off (`observability.metrics.enabled: false`).'),
    },
  });

/** Registers `GET /health`, `GET /ready` and `GET /metrics`. */
export function registerHealthRoutes(app: OpenAPIHono<ServerEnv>, deps: RouteDeps): void {
  const { runtime } = deps;
  app.openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200));

  app.openapi(readyRoute, async (c) => {
    const report = await runtime.ready();
    return report.ready
      ? c.json({ status: 'ready' as const, checks: report.checks }, 200)
      : c.json({ status: 'not-ready' as const, checks: report.checks }, 503);
  });

  const requireAuth = runtime.config.observability.metrics.requireAuth;
  const middleware = [...(requireAuth ? deps.protect('admin') : []), ...deps.timeout];
  app.openapi(metricsRoute(middleware, requireAuth), async (c) => {
    const { metrics } = runtime;
    if (metrics === undefined) {
      throw new HttpProblem({
        status: 404,
        code: 'metrics-disabled',
        detail:
          'Metrics are turned off on this server. Set observability.metrics.enabled: true to serve them.',
      });
    }
    return c.body(await metrics.metrics(), 200, { 'Content-Type': metrics.contentType });
  });
}
