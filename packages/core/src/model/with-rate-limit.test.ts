import { describe, expect, it } from 'vitest';
import { ModelError, RateLimitError } from '../errors/errors.js';
import { userMessage } from '../messages/message.js';
import { MemoryRateLimiter } from '../ratelimit/memory-rate-limiter.js';
import type {
  RateLimitDecision,
  RateLimiter,
  RateLimitRequest,
  RateLimitReservation,
} from '../ratelimit/rate-limiter.js';
import { ScriptedModel, textResponse } from '../testing/scripted-model.js';
import type { Sleep } from '../util/abort.js';
import { estimateTokens } from './estimate-tokens.js';
import type { ModelRequest } from './language-model.js';
import { collectStream } from './stream-utils.js';
import { withRateLimit } from './with-rate-limit.js';

const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  messages: [userMessage('hi')],
  context: { agent: 'helper', tenant: 'acme', runId: 'run-1' },
  ...overrides,
});

/** A limiter that admits everything and records what it was asked. */
function recordingLimiter(options: { failReconcile?: boolean } = {}) {
  const acquired: RateLimitRequest[] = [];
  const reconciled: [RateLimitReservation, number][] = [];
  const limiter: RateLimiter = {
    async acquire(rateLimitRequest): Promise<RateLimitDecision> {
      acquired.push(rateLimitRequest);
      return {
        allowed: true,
        reservation: { id: `r${acquired.length}`, tokens: rateLimitRequest.tokens ?? 0, at: 0 },
      };
    },
    async reconcile(reservation, actualTokens) {
      if (options.failReconcile) throw new Error('store unreachable');
      reconciled.push([reservation, actualTokens]);
    },
  };
  return { limiter, acquired, reconciled };
}

/** A one-call-per-second limiter with a fake clock, and a sleep that advances the clock. */
function oneCallPerSecond() {
  let now = 0;
  const delays: number[] = [];
  const limiter = new MemoryRateLimiter({
    rules: [{ name: 'per-tenant', scope: 'tenant', maxCalls: 1, windowMs: 1000 }],
    clock: { now: () => now },
  });
  const sleep: Sleep = async (ms) => {
    delays.push(ms);
    now += ms;
  };
  return { limiter, sleep, delays };
}

describe('withRateLimit', () => {
  it('fails with RateLimitError without calling the model when onLimit is fail and a rule refuses', async () => {
    const { limiter, sleep } = oneCallPerSecond();
    const inner = new ScriptedModel([textResponse('first'), textResponse('second')]);
    const model = withRateLimit(inner, limiter, { onLimit: 'fail', sleep });
    await model.generate(request());

    await expect(model.generate(request())).rejects.toBeInstanceOf(RateLimitError);

    expect(inner.calls).toHaveLength(1);
  });

  it('keeps the estimate reserved when the call fails', async () => {
    const { limiter, reconciled } = recordingLimiter();
    const inner = new ScriptedModel([new ModelError('MODEL_SERVER_ERROR', 'down')]);
    const model = withRateLimit(inner, limiter);

    await expect(model.generate(request())).rejects.toBeInstanceOf(ModelError);

    expect(reconciled).toEqual([]);
  });

  it('returns the answer and reports the error when reconcile fails', async () => {
    const { limiter } = recordingLimiter({ failReconcile: true });
    const errors: unknown[] = [];
    const model = withRateLimit(new ScriptedModel([textResponse('ok')]), limiter, {
      onReconcileError: (error) => errors.push(error),
    });

    const response = await model.generate(request());

    expect(response.message.content).toBe('ok');
    expect(errors).toEqual([new Error('store unreachable')]);
  });

  it('returns the answer when reconcile fails and no handler is set', async () => {
    const { limiter } = recordingLimiter({ failReconcile: true });
    const model = withRateLimit(new ScriptedModel([textResponse('ok')]), limiter);

    const response = await model.generate(request());

    expect(response.message.content).toBe('ok');
  });

  it("acquires for the request's agent and tenant and the model's id", async () => {
    const { limiter, acquired } = recordingLimiter();
    const inner = new ScriptedModel([textResponse('ok')], { modelId: 'gpt-test' });
    const model = withRateLimit(inner, limiter, { estimateTokens: () => 7 });

    await model.generate(request());

    expect(acquired).toEqual([{ agent: 'helper', tenant: 'acme', model: 'gpt-test', tokens: 7 }]);
  });

  it('reconciles with the input plus output tokens after the call', async () => {
    const { limiter, reconciled } = recordingLimiter();
    const model = withRateLimit(
      new ScriptedModel([textResponse('ok', { inputTokens: 30, outputTokens: 12 })]),
      limiter,
    );

    await model.generate(request());

    expect(reconciled.map(([reservation, actual]) => [reservation.id, actual])).toEqual([['r1', 42]]);
  });

  it('waits for room by default', async () => {
    const { limiter, sleep, delays } = oneCallPerSecond();
    const model = withRateLimit(new ScriptedModel([textResponse('first'), textResponse('second')]), limiter, {
      sleep,
    });
    await model.generate(request());

    const response = await model.generate(request());

    expect(response.message.content).toBe('second');
    expect(delays).toEqual([1000]);
  });

  it('tells onLimited about a refusal', async () => {
    const { limiter, sleep } = oneCallPerSecond();
    const limited: string[] = [];
    const model = withRateLimit(new ScriptedModel([textResponse('a'), textResponse('b')]), limiter, {
      sleep,
      onLimited: (refusal, action) => limited.push(`${refusal.rule}:${action}`),
    });
    await model.generate(request());

    await model.generate(request());

    expect(limited).toEqual(['per-tenant:wait']);
  });

  it('reserves countTokens plus maxTokens when the model can count tokens', async () => {
    const { limiter, acquired } = recordingLimiter();
    const inner = Object.assign(new ScriptedModel([textResponse('ok')]), { countTokens: async () => 100 });
    const model = withRateLimit(inner, limiter);

    await model.generate(request({ settings: { maxTokens: 50 } }));

    expect(acquired[0]?.tokens).toBe(150);
  });

  it('reserves only the counted input when maxTokens is not set', async () => {
    const { limiter, acquired } = recordingLimiter();
    const inner = Object.assign(new ScriptedModel([textResponse('ok')]), { countTokens: async () => 100 });
    const model = withRateLimit(inner, limiter);

    await model.generate(request());

    expect(acquired[0]?.tokens).toBe(100);
  });

  it('falls back to estimateTokens when countTokens fails', async () => {
    const { limiter, acquired } = recordingLimiter();
    const inner = Object.assign(new ScriptedModel([textResponse('ok')]), {
      countTokens: async (): Promise<number> => {
        throw new Error('count endpoint down');
      },
    });
    const model = withRateLimit(inner, limiter);

    await model.generate(request());

    expect(acquired[0]?.tokens).toBe(estimateTokens(request()));
  });

  it('reserves estimateTokens when the model cannot count tokens', async () => {
    const { limiter, acquired } = recordingLimiter();
    const model = withRateLimit(new ScriptedModel([textResponse('ok')]), limiter);

    await model.generate(request({ settings: { maxTokens: 64 } }));

    expect(acquired[0]?.tokens).toBe(estimateTokens(request({ settings: { maxTokens: 64 } })));
  });

  it('uses an async estimateTokens option', async () => {
    const { limiter, acquired } = recordingLimiter();
    const model = withRateLimit(new ScriptedModel([textResponse('ok')]), limiter, {
      estimateTokens: async () => 999,
    });

    await model.generate(request());

    expect(acquired[0]?.tokens).toBe(999);
  });

  it('keeps the provider, modelId and countTokens of the wrapped model', async () => {
    const inner = Object.assign(new ScriptedModel([], { provider: 'acme', modelId: 'acme-1' }), {
      countTokens: async () => 3,
    });

    const model = withRateLimit(inner, recordingLimiter().limiter);

    expect(model).toMatchObject({ provider: 'acme', modelId: 'acme-1' });
    expect(await model.countTokens?.(request())).toBe(3);
  });
});

describe('withRateLimit stream', () => {
  it('reconciles on the finish event, before passing it on', async () => {
    const { limiter, reconciled } = recordingLimiter();
    const inner = new ScriptedModel([textResponse('streamed', { inputTokens: 8, outputTokens: 4 })]);
    const model = withRateLimit(inner, limiter);
    let reconciledBeforeFinish = false;

    for await (const event of model.stream(request())) {
      if (event.type === 'finish') reconciledBeforeFinish = reconciled.length === 1;
    }

    expect(reconciledBeforeFinish).toBe(true);
    expect(reconciled[0]?.[1]).toBe(12);
  });

  it('keeps the estimate when the stream fails', async () => {
    const { limiter, reconciled } = recordingLimiter();
    const model = withRateLimit(new ScriptedModel([new ModelError('MODEL_CONNECTION', 'reset')]), limiter);

    await expect(collectStream(model.stream(request()))).rejects.toBeInstanceOf(ModelError);

    expect(reconciled).toEqual([]);
  });

  it('fails a stream with RateLimitError before calling the model when onLimit is fail', async () => {
    const { limiter, sleep } = oneCallPerSecond();
    const inner = new ScriptedModel([textResponse('a'), textResponse('b')]);
    const model = withRateLimit(inner, limiter, { onLimit: 'fail', sleep });
    await collectStream(model.stream(request()));

    await expect(collectStream(model.stream(request()))).rejects.toBeInstanceOf(RateLimitError);

    expect(inner.calls).toHaveLength(1);
  });
});
