import { decodeRunCursor } from '@agent/core';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { RunRecord } from '../../contract.js';
import { HttpProblem } from '../http-problem.js';
import type { ServerEnv } from '../middleware/context-variables.js';
import { problemResponse, problemResponses } from '../schemas/problem.js';
import {
  agentParamsSchema,
  cancelAcceptedSchema,
  listRunsQuerySchema,
  runAcceptedSchema,
  runIdParamsSchema,
  runPageSchema,
  runRecordSchema,
  startRunBodySchema,
  startRunHeadersSchema,
} from '../schemas/runs.js';
import { SSE_HEADERS } from '../sse.js';
import { jsonBody } from './json-body.js';
import {
  connectionOf,
  type RouteDeps,
  runLinks,
  runNotFound,
  securityFor,
  tenantOf,
} from './route-context.js';
import { runEventStream } from './run-stream.js';

/** How `POST /v1/agents/{agent}/runs` answers. */
export type StartRunMode = 'wait' | 'stream' | 'async';

/**
 * The answer mode of a start request: the body's `mode` wins; else `Accept: text/event-stream`
 * (the client can only read a stream) picks `stream`; else `Prefer: respond-async` picks `async`;
 * else `wait`.
 */
export function chooseMode(
  bodyMode: StartRunMode | undefined,
  accept: string | undefined,
  prefer: string | undefined,
): StartRunMode {
  if (bodyMode !== undefined) return bodyMode;
  if (accept !== undefined && /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept)) return 'stream';
  if (prefersAsync(prefer)) return 'async';
  return 'wait';
}

/** True when a `Prefer` header asks for `respond-async` (RFC 7240). */
function prefersAsync(prefer: string | undefined): boolean {
  return prefer !== undefined && /(^|[,;])\s*respond-async\s*(;|,|$)/i.test(prefer);
}

const startRunRoute = (deps: RouteDeps) =>
  createRoute({
    method: 'post',
    path: '/v1/agents/{agent}/runs',
    operationId: 'startRun',
    tags: ['Runs'],
    summary: 'Start a run of an agent',
    description: [
      'Starts a run of `agent` with `input` and answers in one of three modes:',
      '',
      '- `wait` (default): 200 with the finished run. A run that **failed** is still a 200 whose `status` is `failed` and whose `error` says why: the request succeeded (the run was started and recorded); the run failed. HTTP errors are kept for requests that could not be served.',
      '  If the run is not done within `server.requestTimeoutMs`, the answer is the `async` 202 instead, so a long run never turns into a timeout error.',
      "- `stream`: the run's events as Server-Sent Events from seq 0, as `GET /v1/runs/{id}/events` sends them.",
      "- `async`: 202 with the run's id and links, and `Location`.",
      '',
      'A client that disconnects in `wait` or `stream` mode does **not** cancel the run: it runs to its end and is recorded, so the client can fetch it or stream its events again. Cancel explicitly with `POST /v1/runs/{id}/cancel`.',
      '',
      'With `Idempotency-Key`, a retry of the same request (same tenant, agent and key) answers for the run the first one started, with `Idempotent-Replayed: true`.',
    ].join('\n'),
    security: securityFor('runs:write'),
    middleware: [...deps.protect('runs:write'), ...deps.streaming, jsonBody()],
    request: {
      params: agentParamsSchema,
      headers: startRunHeadersSchema,
      body: { required: true, content: { 'application/json': { schema: startRunBodySchema } } },
    },
    responses: {
      200: {
        description:
          'The finished run (`wait` mode), completed, failed or cancelled; or, in `stream` mode, its events as SSE.',
        content: {
          'application/json': { schema: runRecordSchema },
          'text/event-stream': {
            schema: {
              type: 'string',
              description:
                'SSE messages: `id: <seq>`, `event: <type>`, `data: <AgentEvent JSON>`; finally `event: end` with `{ runId, status }`.',
            },
          },
        },
      },
      202: {
        description:
          'Started (`async` mode, or `wait` mode past the request timeout). `Location` is the run.',
        headers: { Location: { schema: { type: 'string' }, description: 'The run: `/v1/runs/{id}`.' } },
        content: { 'application/json': { schema: runAcceptedSchema } },
      },
      ...problemResponses({ auth: true, body: true, input: true }),
      404: problemResponse('There is no agent with this name (`agent-not-found`).'),
      422: problemResponse(
        'The `Idempotency-Key` was used before with a different body (`idempotency-key-reused`).',
      ),
      503: problemResponse(
        'The server is shutting down (`draining`) or runs its maximum of runs (`overloaded`); see `Retry-After`.',
      ),
    },
  });

const listRunsRoute = (deps: RouteDeps) =>
  createRoute({
    method: 'get',
    path: '/v1/runs',
    operationId: 'listRuns',
    tags: ['Runs'],
    summary: 'List runs, newest first',
    description:
      "The caller's tenant's runs (every tenant's for `admin`), newest first, filtered and paged. Pass `nextCursor` as `cursor` for the next page.",
    security: securityFor('runs:read'),
    middleware: [...deps.protect('runs:read'), ...deps.timeout],
    request: { query: listRunsQuerySchema },
    responses: {
      200: { description: 'One page of runs.', content: { 'application/json': { schema: runPageSchema } } },
      ...problemResponses({ auth: true, input: true, timeout: true }),
    },
  });

const getRunRoute = (deps: RouteDeps) =>
  createRoute({
    method: 'get',
    path: '/v1/runs/{id}',
    operationId: 'getRun',
    tags: ['Runs'],
    summary: 'Get a run',
    description: 'The run with its status and usage, and its output or error once it has ended.',
    security: securityFor('runs:read'),
    middleware: [...deps.protect('runs:read'), ...deps.timeout],
    request: { params: runIdParamsSchema },
    responses: {
      200: { description: 'The run.', content: { 'application/json': { schema: runRecordSchema } } },
      ...problemResponses({ auth: true, input: true, run: true, timeout: true }),
    },
  });

const cancelRunRoute = (deps: RouteDeps) =>
  createRoute({
    method: 'post',
    path: '/v1/runs/{id}/cancel',
    operationId: 'cancelRun',
    tags: ['Runs'],
    summary: 'Cancel a running run',
    description:
      'Asks the run to stop. It ends soon after with `run.cancelled` (status `cancelled`); follow it with `GET /v1/runs/{id}` or its events.',
    security: securityFor('runs:write'),
    middleware: [...deps.protect('runs:write'), ...deps.timeout],
    request: { params: runIdParamsSchema },
    responses: {
      202: {
        description: 'Cancellation requested.',
        content: { 'application/json': { schema: cancelAcceptedSchema } },
      },
      ...problemResponses({ auth: true, input: true, run: true, timeout: true }),
      409: problemResponse('The run has already ended (`run-not-running`).'),
    },
  });

/** Registers the run operations: start, list, get and cancel. */
export function registerRunRoutes(app: OpenAPIHono<ServerEnv>, deps: RouteDeps): void {
  const { runtime } = deps;
  const waitTimeoutMs = runtime.config.server.requestTimeoutMs;

  app.openapi(startRunRoute(deps), async (c) => {
    const principal = c.get('principal');
    const { agent } = c.req.valid('param');
    const body = c.req.valid('json');
    const headers = c.req.valid('header');
    const mode = chooseMode(body.mode, c.req.header('Accept'), headers.Prefer);
    const started = await runtime.runs.start({
      agent,
      input: body.input,
      principal,
      requestId: c.get('requestId'),
      ...(body.conversationId !== undefined ? { conversationId: body.conversationId } : {}),
      ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
      ...(headers['Idempotency-Key'] !== undefined ? { idempotencyKey: headers['Idempotency-Key'] } : {}),
    });
    const { runId } = started;
    const links = runLinks(runId);
    if (started.reused) c.header('Idempotent-Replayed', 'true');

    if (mode === 'stream') {
      // Not the request's signal for the run: a disconnect ends the stream, never the run.
      const stream = await runEventStream(deps, runId, principal.tenant, undefined, connectionOf(c));
      return c.body(stream, 200, SSE_HEADERS);
    }
    if (mode === 'wait') {
      const record = await settleWithin(started.done, waitTimeoutMs);
      if (record !== undefined) return c.json(record, 200);
    } else if (prefersAsync(headers.Prefer)) {
      c.header('Preference-Applied', 'respond-async');
    }
    const status = started.reused
      ? ((await runtime.runs.get(runId, principal.tenant))?.status ?? 'running')
      : 'running';
    c.header('Location', links.self);
    return c.json({ runId, status, links }, 202);
  });

  app.openapi(listRunsRoute(deps), async (c) => {
    const query = c.req.valid('query');
    if (query.cursor !== undefined) assertCursor(query.cursor);
    const page = await runtime.runs.list({
      ...definedOnly(query),
      tenant: tenantOf(c.get('principal')),
    });
    return c.json(
      { runs: page.runs, ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) },
      200,
    );
  });

  app.openapi(getRunRoute(deps), async (c) => {
    const { id } = c.req.valid('param');
    const record = await runtime.runs.get(id, tenantOf(c.get('principal')));
    if (record === undefined) throw runNotFound();
    return c.json(record, 200);
  });

  app.openapi(cancelRunRoute(deps), async (c) => {
    const { id } = c.req.valid('param');
    const outcome = await runtime.runs.cancel(id, tenantOf(c.get('principal')));
    if (outcome === 'not-found') throw runNotFound();
    if (outcome === 'not-running') {
      throw new HttpProblem({
        status: 409,
        code: 'run-not-running',
        detail: 'The run has already ended, so there is nothing to cancel. Fetch it with GET /v1/runs/{id}.',
      });
    }
    return c.json({ runId: id, status: 'cancelling' as const }, 202);
  });
}

function assertCursor(cursor: string): void {
  try {
    decodeRunCursor(cursor);
  } catch (error) {
    throw new HttpProblem({
      status: 400,
      code: 'invalid-cursor',
      detail:
        'The cursor is not one this server made. Pass the nextCursor of a previous page unchanged, or leave it out for the first page.',
      errors: [{ path: '/cursor', message: 'invalid cursor' }],
      cause: error,
    });
  }
}

/** The record, or `undefined` when `timeoutMs` passes first (never, without a timeout). */
async function settleWithin(
  done: Promise<RunRecord>,
  timeoutMs: number | undefined,
): Promise<RunRecord | undefined> {
  if (timeoutMs === undefined) return done;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, undefined);
  });
  try {
    return await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
