import {
  AbortedError,
  AGENT_ERROR_CODES,
  AgentError,
  ConfigError,
  ModelError,
  RateLimitError,
  ToolError,
  ValidationError,
} from '@agent/core';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { HttpProblem } from '../http-problem.js';
import { errorHandler, toHttpProblem } from './error-handler.js';
import { agentErrorDetail, ERROR_STATUS, GENERIC_500, problemCodeOf } from './error-status.js';
import { notFoundHandler } from './not-found.js';
import { requestId } from './request-id.js';

function appThrowing(error: unknown) {
  const logger = { error: vi.fn(), warn: vi.fn() };
  const app = new Hono();
  app.use(requestId());
  app.all('/fail', () => {
    throw error;
  });
  app.onError(errorHandler(logger));
  app.notFound(notFoundHandler());
  return { app, logger };
}

async function problemOf(error: unknown, init: RequestInit = {}) {
  const { app, logger } = appThrowing(error);
  const response = await app.request('/fail', { headers: { 'X-Request-Id': 'req-1' }, ...init });
  const text = await response.text();
  return {
    response,
    text,
    body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
    logger,
  };
}

describe('errorHandler', () => {
  it('renders an HttpProblem with its status, headers and the request id', async () => {
    const problem = new HttpProblem({
      status: 409,
      code: 'conflict',
      detail: 'Idempotency key reused.',
      headers: { 'X-Extra': 'yes' },
    });

    const { response, body, logger } = await problemOf(problem);

    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('x-extra')).toBe('yes');
    expect(response.headers.get('x-request-id')).toBe('req-1');
    expect(body).toEqual({
      type: 'https://agent-sdk.dev/problems/conflict',
      title: 'Conflict',
      status: 409,
      detail: 'Idempotency key reused.',
      code: 'conflict',
      instance: '/fail',
      requestId: 'req-1',
    });
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('sets Retry-After from an HttpProblem retryAfterSeconds, and keeps validation errors', async () => {
    const problem = new HttpProblem({
      status: 503,
      code: 'draining',
      detail: 'Shutting down.',
      retryAfterSeconds: 2.2,
      errors: [{ path: '/input', message: 'Required' }],
    });

    const { response, body } = await problemOf(problem);

    expect(response.headers.get('retry-after')).toBe('3');
    expect(body?.errors).toEqual([{ path: '/input', message: 'Required' }]);
  });

  it('logs a 503 HttpProblem (draining, timeouts) as a warning, not an error', async () => {
    const { logger } = await problemOf(new HttpProblem({ status: 503, code: 'draining', detail: 'x' }));

    expect(logger.warn).toHaveBeenCalledWith(
      'GET /fail failed with 503',
      expect.objectContaining({ requestId: 'req-1' }),
    );
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('maps a ValidationError to 400 validation-failed with its message', async () => {
    const { response, body } = await problemOf(new ValidationError('"input" must not be empty.'));

    expect(response.status).toBe(400);
    expect(body).toMatchObject({ code: 'validation-failed', detail: '"input" must not be empty.' });
  });

  it('maps RATE_LIMITED to 429 with Retry-After from its details', async () => {
    const { response, body } = await problemOf(new RateLimitError('per-tenant', 1500));

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(body).toMatchObject({ code: 'rate-limited', detail: expect.stringContaining('per-tenant') });
  });

  it('maps MODEL_RATE_LIMITED to 429 with a fixed detail, not the vendor message', async () => {
    const error = new ModelError('MODEL_RATE_LIMITED', 'Rate limit reached for org-SECRET123', {
      retryAfterMs: 20_000,
    });

    const { response, text } = await problemOf(error);

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('20');
    expect(text).not.toContain('org-SECRET123');
  });

  it.each([
    ['MODEL_AUTH', 502],
    ['MODEL_SERVER_ERROR', 502],
    ['MODEL_CONNECTION', 502],
    ['MODEL_OVERLOADED', 503],
    ['MODEL_UNAVAILABLE', 503],
    ['MODEL_TIMEOUT', 504],
  ] as const)('maps %s to %i without the vendor message, and logs it', async (code, status) => {
    const { response, body, text, logger } = await problemOf(new ModelError(code, 'sk-live-key leaked here'));

    expect(response.status).toBe(status);
    expect(body?.code).toBe(problemCodeOf(code));
    expect(text).not.toContain('sk-live-key');
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('maps tool errors to 422, keeping only caller-safe messages', async () => {
    const notFound = await problemOf(
      new ToolError('TOOL_NOT_FOUND', 'weather', 'Tool "weather" is not registered.'),
    );
    const failed = await problemOf(new ToolError('TOOL_FAILED', 'db', 'connect ECONNREFUSED 10.0.0.7:5432'));

    expect(notFound.response.status).toBe(422);
    expect(notFound.body?.detail).toBe('Tool "weather" is not registered.');
    expect(failed.response.status).toBe(422);
    expect(failed.text).not.toContain('10.0.0.7');
  });

  it('maps config errors to 500 with a generic detail', async () => {
    const { response, body, text } = await problemOf(new ConfigError('/etc/agent/secret.yaml is invalid'));

    expect(response.status).toBe(500);
    expect(body).toMatchObject({ code: 'config-invalid', detail: GENERIC_500 });
    expect(text).not.toContain('/etc/agent');
  });

  it('maps ABORTED to 503', async () => {
    const { response, body } = await problemOf(new AbortedError());

    expect(response.status).toBe(503);
    expect(body?.code).toBe('aborted');
  });

  it('recognises an AgentError from another copy of core by its marker', async () => {
    const foreign = Object.defineProperty(
      Object.assign(new Error('x'), { code: 'VALIDATION_FAILED' }),
      Symbol.for('@agent/core.AgentError'),
      {
        value: true,
      },
    );

    const { response } = await problemOf(foreign);

    expect(response.status).toBe(400);
  });

  it('falls back to 500 for a code the table does not know', async () => {
    const future = new AgentError('INTERNAL', 'x');
    Object.assign(future, { code: 'FUTURE_CODE' });

    const { response, body } = await problemOf(future);

    expect(response.status).toBe(500);
    expect(body?.detail).toBe(GENERIC_500);
  });

  it("renders Hono's HTTPException with its status and message", async () => {
    const { response, body } = await problemOf(
      new HTTPException(400, { message: 'Malformed JSON in request body' }),
    );

    expect(response.status).toBe(400);
    expect(body).toMatchObject({ code: 'bad-request', detail: 'Malformed JSON in request body' });
  });

  it('keeps WWW-Authenticate from an HTTPException response, and gives a default detail', async () => {
    const res = new Response('no', { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } });

    const { response, body } = await problemOf(new HTTPException(401, { res }));

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(body).toMatchObject({ code: 'unauthorized', detail: 'The request failed with status 401.' });
  });

  it('hides the message of a 5xx HTTPException and names unknown statuses generically', async () => {
    const server = await problemOf(new HTTPException(507, { message: 'disk /dev/sda1 full' }));
    const client = await problemOf(new HTTPException(418, { message: 'teapot' }));

    expect(server.response.status).toBe(507);
    expect(server.body).toMatchObject({ code: 'internal', detail: GENERIC_500 });
    expect(client.body).toMatchObject({ code: 'bad-request', detail: 'teapot' });
  });

  it('answers 500 internal for an unknown error without leaking its message, and logs it with the request id', async () => {
    const error = new Error('secret detail: password=hunter2');

    const { response, body, text, logger } = await problemOf(error);

    expect(response.status).toBe(500);
    expect(body).toEqual({
      type: 'https://agent-sdk.dev/problems/internal',
      title: 'Internal Server Error',
      status: 500,
      detail: GENERIC_500,
      code: 'internal',
      instance: '/fail',
      requestId: 'req-1',
    });
    expect(text).not.toContain('secret detail');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('at ');
    expect(logger.error).toHaveBeenCalledWith(
      'GET /fail failed with 500',
      expect.objectContaining({ requestId: 'req-1', error, status: 500 }),
    );
  });

  it('does not leak zod internals of a ZodError thrown by a handler', async () => {
    const parsed = z.object({ token: z.string() }).safeParse({ token: 42 });

    const { response, text } = await problemOf(parsed.error);

    expect(response.status).toBe(500);
    expect(text).not.toContain('invalid_type');
    expect(text).not.toContain('expected');
  });

  it('turns thrown non-Error values into 500 internal (Hono itself only routes Errors here)', () => {
    expect(toHttpProblem('a string')).toMatchObject({ status: 500, code: 'internal', detail: GENERIC_500 });
  });

  it('sends no body for HEAD', async () => {
    const { response, text } = await problemOf(
      new HttpProblem({ status: 404, code: 'not-found', detail: 'x' }),
      {
        method: 'HEAD',
      },
    );

    expect(response.status).toBe(404);
    expect(text).toBe('');
  });
});

describe('notFoundHandler', () => {
  it('answers 404 not-found naming the method and path', async () => {
    const { app } = appThrowing(new Error('unused'));

    const response = await app.request('/v1/nope', { method: 'POST', headers: { 'X-Request-Id': 'req-9' } });

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      code: 'not-found',
      detail: expect.stringContaining('POST /v1/nope'),
      instance: '/v1/nope',
      requestId: 'req-9',
    });
  });
});

describe('ERROR_STATUS', () => {
  it('has a status for every core error code', () => {
    for (const code of AGENT_ERROR_CODES) {
      expect(ERROR_STATUS[code], code).toBeGreaterThanOrEqual(400);
    }
  });

  it('gives a code without a fixed detail a generic one that fits its status', () => {
    expect(agentErrorDetail('FUTURE' as never, 'internal text', 400)).toBe(
      'The request could not be completed.',
    );
    expect(agentErrorDetail('FUTURE' as never, 'internal text', 502)).toBe(GENERIC_500);
  });

  it('gives upstream model failures 5xx and caller mistakes 4xx', () => {
    expect(ERROR_STATUS.VALIDATION_FAILED).toBe(400);
    expect(ERROR_STATUS.TOOL_INPUT_INVALID).toBe(422);
    expect(ERROR_STATUS.RATE_LIMITED).toBe(429);
    expect(ERROR_STATUS.MODEL_TIMEOUT).toBe(504);
    expect(ERROR_STATUS.INTERNAL).toBe(500);
  });
});
