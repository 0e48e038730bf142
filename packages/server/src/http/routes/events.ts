import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ServerEnv } from '../middleware/context-variables.js';
import { problemResponses } from '../schemas/problem.js';
import {
  agentEventSchema,
  runEventsHeadersSchema,
  runEventsQuerySchema,
  runIdParamsSchema,
} from '../schemas/runs.js';
import { SSE_HEADERS } from '../sse.js';
import { connectionOf, type RouteDeps, runNotFound, securityFor, tenantOf } from './route-context.js';
import { liveEventStream, runEventStream } from './run-stream.js';

/** Default and largest page of `GET /v1/runs/{id}/events` as JSON. */
export const EVENT_PAGE = { default: 1000, max: 10_000 } as const;

const sseContent = (description: string) => ({
  'text/event-stream': { schema: { type: 'string' as const, description } },
});

const runEventsRoute = (deps: RouteDeps) =>
  createRoute({
    method: 'get',
    path: '/v1/runs/{id}/events',
    operationId: 'streamRunEvents',
    tags: ['Runs'],
    summary: "Stream (or fetch) a run's events",
    description: [
      "The run's events as Server-Sent Events: each message is `id: <seq>`, `event: <event type>`, `data: <the event as JSON>`.",
      'A finished run is replayed from the store and the stream ends; a live run continues live until its terminal event. Either way the last message is `event: end` with `{ runId, status }`: close the `EventSource` on it, or it reconnects.',
      '',
      'Resume with `Last-Event-ID: <seq>` (EventSource sends it on reconnect) or `?after=<seq>`: the stream continues exactly after that seq, with no gap and no duplicate. The header wins when both are sent.',
      '',
      'A `: heartbeat` comment is sent after 15 s without traffic. A client that reads too slowly to keep up is disconnected rather than buffered without end; it reconnects with `Last-Event-ID`.',
      '',
      'With `Accept: application/json` (and not `text/event-stream`) the answer is instead a JSON array of the stored events after `after`, at most `limit` (default 1000): for replay tools.',
    ].join('\n'),
    security: securityFor('runs:read'),
    middleware: [...deps.protect('runs:read'), ...deps.streaming],
    request: { params: runIdParamsSchema, query: runEventsQuerySchema, headers: runEventsHeadersSchema },
    responses: {
      200: {
        description: 'The events: an SSE stream, or a JSON array with `Accept: application/json`.',
        content: {
          ...sseContent(
            'SSE messages `id: <seq>` / `event: <type>` / `data: <AgentEvent JSON>`, then `event: end` with `{ runId, status }`.',
          ),
          'application/json': { schema: z.array(agentEventSchema) },
        },
      },
      ...problemResponses({ auth: true, input: true, run: true }),
    },
  });

const liveEventsRoute = (deps: RouteDeps) =>
  createRoute({
    method: 'get',
    path: '/v1/events',
    operationId: 'streamLiveEvents',
    tags: ['Runs'],
    summary: "Stream live events of the tenant's runs",
    description:
      "Every event of the caller's tenant's runs (every tenant's for `admin`) from now on, as Server-Sent Events `event: <type>` / `data: <event JSON>` (the dashboard's live view). There is no replay and no `id:`: after a reconnect, list the runs again. Ends with `event: end` when the server shuts down.",
    security: securityFor('runs:read'),
    middleware: [...deps.protect('runs:read'), ...deps.streaming],
    responses: {
      200: {
        description: 'The live events.',
        content: sseContent('SSE messages `event: <type>` / `data: <AgentEvent JSON>`.'),
      },
      ...problemResponses({ auth: true }),
    },
  });

/** True when the client asks for JSON and cannot take an event stream. */
function wantsJson(accept: string | undefined): boolean {
  return accept !== undefined && /application\/json/i.test(accept) && !/text\/event-stream/i.test(accept);
}

/** Registers `GET /v1/runs/{id}/events` and `GET /v1/events`. */
export function registerEventRoutes(app: OpenAPIHono<ServerEnv>, deps: RouteDeps): void {
  const { runtime } = deps;

  app.openapi(runEventsRoute(deps), async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const headers = c.req.valid('header');
    const tenant = tenantOf(c.get('principal'));
    const lastEventId = headers['Last-Event-ID'];
    const afterSeq = lastEventId !== undefined ? Math.max(-1, Number(lastEventId)) : query.after;

    if (wantsJson(c.req.header('Accept'))) {
      const record = await runtime.runs.get(id, tenant);
      if (record === undefined) throw runNotFound();
      const events = await runtime.store.readRun(id, {
        fromSeq: (afterSeq ?? -1) + 1,
        limit: query.limit ?? EVENT_PAGE.default,
      });
      return c.json(events, 200);
    }
    const stream = await runEventStream(deps, id, tenant, afterSeq, connectionOf(c));
    return c.body(stream, 200, SSE_HEADERS);
  });

  app.openapi(liveEventsRoute(deps), (c) => {
    const stream = liveEventStream(deps, tenantOf(c.get('principal')), connectionOf(c));
    return c.body(stream, 200, SSE_HEADERS);
  });
}
