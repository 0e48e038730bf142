import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortedError, ConfigError, RateLimitError } from '../errors/errors.js';
import { type Sleep, throwIfAborted } from '../util/abort.js';
import { acquireWithPolicy, type RateLimitAction, type RateLimitRefusal } from './acquire-with-policy.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import type { RateLimitDecision, RateLimiter } from './rate-limiter.js';

/** A limiter with one call per second, a fake clock, and a sleep that advances that clock. */
function setup() {
  let now = 0;
  const delays: number[] = [];
  const limiter = new MemoryRateLimiter({
    rules: [{ name: 'one-per-second', scope: 'global', maxCalls: 1, windowMs: 1000 }],
    clock: { now: () => now },
  });
  const sleep: Sleep = async (ms, signal) => {
    throwIfAborted(signal, 'The wait');
    delays.push(ms);
    now += ms;
  };
  return { limiter, sleep, delays, at: (time: number) => (now = time) };
}

/** A limiter that answers from a list of decisions. */
function scriptedLimiter(decisions: RateLimitDecision[]): RateLimiter & { acquires: number } {
  const limiter = {
    acquires: 0,
    acquire: async () => {
      const decision = decisions[limiter.acquires++];
      if (!decision) throw new Error('no more decisions');
      return decision;
    },
    reconcile: async () => {},
  };
  return limiter;
}

const refusal = (retryAfterMs: number): RateLimitRefusal => ({
  allowed: false,
  retryAfterMs,
  rule: 'scripted',
  kind: 'calls',
});

afterEach(() => {
  vi.useRealTimers();
});

describe('acquireWithPolicy', () => {
  it('throws RateLimitError at once when onLimit is fail', async () => {
    const { limiter, sleep, delays } = setup();
    await limiter.acquire({});

    const result = acquireWithPolicy(limiter, {}, { onLimit: 'fail', sleep });

    await expect(result).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      rule: 'one-per-second',
      retryAfterMs: 1000,
    });
    expect(delays).toEqual([]);
  });

  it('throws RateLimitError when waiting would take the total past maxWaitMs', async () => {
    const { limiter, sleep, delays } = setup();
    await limiter.acquire({});

    const result = acquireWithPolicy(limiter, {}, { onLimit: 'wait', maxWaitMs: 999, sleep });

    await expect(result).rejects.toBeInstanceOf(RateLimitError);
    expect(delays).toEqual([]);
  });

  it('rejects at once with AbortedError when the signal is already aborted', async () => {
    const limiter = scriptedLimiter([]);

    const result = acquireWithPolicy(limiter, {}, { onLimit: 'wait', signal: AbortSignal.abort() });

    await expect(result).rejects.toBeInstanceOf(AbortedError);
    expect(limiter.acquires).toBe(0);
  });

  it('rejects promptly with AbortedError when aborted during the wait', async () => {
    vi.useFakeTimers();
    const limiter = scriptedLimiter([refusal(30_000)]);
    const controller = new AbortController();

    const result = acquireWithPolicy(limiter, {}, { onLimit: 'wait', signal: controller.signal });
    const assertion = expect(result).rejects.toBeInstanceOf(AbortedError);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();

    await assertion;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects a negative maxWaitMs with a ConfigError', async () => {
    const limiter = scriptedLimiter([]);

    await expect(acquireWithPolicy(limiter, {}, { onLimit: 'wait', maxWaitMs: -1 })).rejects.toBeInstanceOf(
      ConfigError,
    );
  });

  it('waits retryAfterMs and returns the reservation once there is room', async () => {
    const { limiter, sleep, delays, at } = setup();
    await limiter.acquire({});
    at(400);

    const reservation = await acquireWithPolicy(limiter, { tokens: 5 }, { onLimit: 'wait', sleep });

    expect(delays).toEqual([600]);
    expect(reservation).toMatchObject({ tokens: 5, at: 1000 });
  });

  it('asks again after each wait and fails once the waits add up past maxWaitMs', async () => {
    const limiter = scriptedLimiter([refusal(400), refusal(400), refusal(400)]);
    const delays: number[] = [];
    const sleep: Sleep = async (ms) => {
      delays.push(ms);
    };

    const result = acquireWithPolicy(limiter, {}, { onLimit: 'wait', maxWaitMs: 1000, sleep });

    await expect(result).rejects.toBeInstanceOf(RateLimitError);
    expect(delays).toEqual([400, 400]);
    expect(limiter.acquires).toBe(3);
  });

  it('tells onLimited about every refusal and what happens next', async () => {
    const limiter = scriptedLimiter([refusal(100), refusal(2000)]);
    const limited: [RateLimitRefusal, RateLimitAction][] = [];

    const result = acquireWithPolicy(
      limiter,
      {},
      {
        onLimit: 'wait',
        maxWaitMs: 1000,
        sleep: async () => {},
        onLimited: (decision, action) => limited.push([decision, action]),
      },
    );

    await expect(result).rejects.toBeInstanceOf(RateLimitError);
    expect(limited).toEqual([
      [refusal(100), 'wait'],
      [refusal(2000), 'fail'],
    ]);
  });

  it('waits at least 1 ms when the limiter says to retry after 0 ms', async () => {
    const reservation = { id: 'r1', tokens: 0, at: 0 };
    const limiter = scriptedLimiter([refusal(0), { allowed: true, reservation }]);
    const delays: number[] = [];

    const result = await acquireWithPolicy(
      limiter,
      {},
      {
        onLimit: 'wait',
        sleep: async (ms) => {
          delays.push(ms);
        },
      },
    );

    expect(result).toBe(reservation);
    expect(delays).toEqual([1]);
  });
});

describe('acquireWithPolicy with a request that can never fit', () => {
  it('fails at once in wait mode instead of sleeping window after window', async () => {
    const { MemoryRateLimiter } = await import('./memory-rate-limiter.js');
    const limiter = new MemoryRateLimiter({
      rules: [{ name: 'tokens', scope: 'global', maxTokens: 100, windowMs: 1000 }],
      clock: { now: () => 0 },
    });
    const slept: number[] = [];

    const error = await acquireWithPolicy(
      limiter,
      { tokens: 101 },
      {
        onLimit: 'wait',
        maxWaitMs: 60_000,
        sleep: async (ms) => {
          slept.push(ms);
        },
      },
    ).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'RATE_LIMITED', rule: 'tokens', details: { permanent: true } });
    expect((error as Error).message).toContain('can never admit this call');
    expect(slept).toEqual([]);
  });
});
