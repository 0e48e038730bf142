import { type ModelRequest, userMessage } from '@agent/core';
import type { FakeReply } from '@agent/fake-llm-server';
import { expect, it } from 'vitest';
import {
  type ConformanceContext,
  captureError,
  drain,
  type ExpectedModelError,
  expectAborted,
  expectModelError,
} from './conformance-context.js';

const request = (signal?: AbortSignal): ModelRequest => ({
  messages: [userMessage('Hello?')],
  ...(signal ? { signal } : {}),
});

/** How long after the abort a call may take to reject (ADR 0006). */
const ABORT_DEADLINE_MS = 100;
/** When the abort tests abort: long enough for the request to reach the server. */
const ABORT_AFTER_MS = 20;
/** When an abort test stops waiting for an adapter that ignores the signal, instead of hanging. */
const GIVE_UP_AFTER_MS = 1000;

/** Rejects when `promise` has not settled within `ms`, so an adapter ignoring aborts fails fast. */
async function settleWithin(ms: number, promise: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`The call was still running ${ms} ms later: the abort was ignored.`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const statusCases: [number, ExpectedModelError][] = [
  [401, { code: 'MODEL_AUTH', retryable: false, status: 401 }],
  [403, { code: 'MODEL_AUTH', retryable: false, status: 403 }],
  [400, { code: 'MODEL_BAD_REQUEST', retryable: false, status: 400 }],
  [404, { code: 'MODEL_BAD_REQUEST', retryable: false, status: 404 }],
  [409, { code: 'MODEL_BAD_REQUEST', retryable: false, status: 409 }],
  [413, { code: 'MODEL_BAD_REQUEST', retryable: false, status: 413 }],
  [422, { code: 'MODEL_BAD_REQUEST', retryable: false, status: 422 }],
  [503, { code: 'MODEL_OVERLOADED', retryable: true, status: 503 }],
  [529, { code: 'MODEL_OVERLOADED', retryable: true, status: 529 }],
  [500, { code: 'MODEL_SERVER_ERROR', retryable: true, status: 500 }],
  [502, { code: 'MODEL_SERVER_ERROR', retryable: true, status: 502 }],
];

const rateLimited: ExpectedModelError = { code: 'MODEL_RATE_LIMITED', retryable: true, status: 429 };
const connection: ExpectedModelError = { code: 'MODEL_CONNECTION', retryable: true };
const invalidResponse: ExpectedModelError = { code: 'MODEL_INVALID_RESPONSE', retryable: false };

/** Registers the tests of failures: the ADR 0006 error table, timeouts and aborts. */
export function registerFaultTests(context: ConformanceContext): void {
  /** Scripts `reply`, makes one call, and checks the error and that exactly one request was made. */
  const failOnce = async (reply: FakeReply, call: 'generate' | 'stream', expected: ExpectedModelError) => {
    const server = context.server();
    server.enqueue(reply);
    const model = context.model();

    const error = await captureError(() =>
      call === 'generate' ? model.generate(request()) : drain(model.stream(request())),
    );

    const modelError = expectModelError(error, model, expected);
    // Adapters never retry (maxRetries: 0); core's withRetry owns retries.
    expect(server.requests).toHaveLength(1);
    return modelError;
  };

  it.each(statusCases)('maps HTTP %i to the ADR 0006 error code', async (status, expected) => {
    await failOnce({ kind: 'status', status }, 'generate', expected);
  });

  it('maps HTTP errors the same way when streaming', async () => {
    await failOnce({ kind: 'status', status: 401 }, 'stream', {
      code: 'MODEL_AUTH',
      retryable: false,
      status: 401,
    });
  });

  it('maps 429 to MODEL_RATE_LIMITED with retry-after seconds as retryAfterMs', async () => {
    const error = await failOnce({ kind: 'rate-limit', retryAfterSeconds: 2 }, 'generate', rateLimited);

    expect(error.retryAfterMs).toBe(2000);
    expect(error.isCapacityError).toBe(true);
  });

  it('prefers retry-after-ms, in milliseconds, when the vendor sends it', async () => {
    const error = await failOnce(
      { kind: 'rate-limit', retryAfterMs: 1234, retryAfterSeconds: 9 },
      'generate',
      rateLimited,
    );

    expect(error.retryAfterMs).toBe(1234);
  });

  it('reads retry-after given as an HTTP date', async () => {
    const seconds = 30;
    const retryAfterDate = new Date(Date.now() + seconds * 1000);

    const error = await failOnce({ kind: 'rate-limit', retryAfterDate }, 'generate', rateLimited);

    // The header has whole seconds, and the clock moves while the call runs.
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(seconds * 1000 - 1500);
    expect(error.retryAfterMs).toBeLessThanOrEqual(seconds * 1000 + 1500);
  });

  it('maps 429 when streaming too', async () => {
    const error = await failOnce({ kind: 'rate-limit', retryAfterSeconds: 3 }, 'stream', rateLimited);

    expect(error.retryAfterMs).toBe(3000);
  });

  it('reads retry-after on an overloaded answer', async () => {
    const reply: FakeReply = { kind: 'status', status: 529, headers: { 'retry-after': '4' } };

    const error = await failOnce(reply, 'generate', {
      code: 'MODEL_OVERLOADED',
      retryable: true,
      status: 529,
    });

    expect(error.retryAfterMs).toBe(4000);
  });

  it('maps its own timeout to MODEL_TIMEOUT, well before a slow server answers', async () => {
    const server = context.server();
    // biome-ignore lint/suspicious/noThenProperty: the FakeReply contract names the delayed reply `then`.
    server.enqueue({ kind: 'slow-first-byte', delayMs: 2000, then: { kind: 'text', text: 'Too late.' } });
    const model = context.model({ timeoutMs: 200 });
    const started = performance.now();

    const error = await captureError(() => model.generate(request()));

    expect(performance.now() - started).toBeLessThan(1500);
    expectModelError(error, model, { code: 'MODEL_TIMEOUT', retryable: true });
    expect(server.requests).toHaveLength(1);
  });

  it('maps a reset connection to MODEL_CONNECTION', async () => {
    await failOnce({ kind: 'connection-reset' }, 'generate', connection);
  });

  it('maps a reset connection to MODEL_CONNECTION when streaming', async () => {
    await failOnce({ kind: 'connection-reset' }, 'stream', connection);
  });

  it('maps a stream cut off mid-way to MODEL_CONNECTION', async () => {
    await failOnce({ kind: 'disconnect-mid-stream' }, 'stream', connection);
  });

  it('maps a body cut off mid-way to MODEL_CONNECTION', async () => {
    await failOnce({ kind: 'disconnect-mid-stream' }, 'generate', connection);
  });

  it('maps a 2xx body that is not JSON to MODEL_INVALID_RESPONSE', async () => {
    await failOnce({ kind: 'malformed-json' }, 'generate', invalidResponse);
  });

  it('maps a stream chunk that is not JSON to MODEL_INVALID_RESPONSE', async () => {
    await failOnce({ kind: 'malformed-json' }, 'stream', invalidResponse);
  });

  it.each(['generate', 'stream'] as const)(
    '%s rejects with ABORTED within 100 ms of the abort',
    async (call) => {
      context.server().enqueue({ kind: 'hang' });
      const model = context.model();
      const controller = new AbortController();
      let abortedAt = Number.POSITIVE_INFINITY;
      setTimeout(() => {
        abortedAt = performance.now();
        controller.abort();
      }, ABORT_AFTER_MS);

      const error = await captureError(() =>
        settleWithin(
          ABORT_AFTER_MS + GIVE_UP_AFTER_MS,
          call === 'generate'
            ? model.generate(request(controller.signal))
            : drain(model.stream(request(controller.signal))),
        ),
      );

      expect(abortedAt, 'the call ended before the abort').not.toBe(Number.POSITIVE_INFINITY);
      expectAborted(error);
      expect(performance.now() - abortedAt).toBeLessThan(ABORT_DEADLINE_MS);
    },
  );

  it.each(['generate', 'stream'] as const)(
    '%s rejects with ABORTED when the signal is already aborted',
    async (call) => {
      const model = context.model();
      const signal = AbortSignal.abort();

      const error = await captureError(() =>
        call === 'generate' ? model.generate(request(signal)) : drain(model.stream(request(signal))),
      );

      expectAborted(error);
    },
  );
}
