import type { RateLimitDecision, RateLimitRule } from '@agent/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DedicatedRedis, startDedicatedRedis, uniquePrefix } from './__fixtures__/redis-server.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';
import { type FailurePolicy, STORE_UNAVAILABLE_RULE } from './redis-rate-limiter-options.js';
import { StoreTimeoutError } from './run-script.js';

const rules: RateLimitRule[] = [{ name: 'per-tenant', scope: 'tenant', maxCalls: 5, windowMs: 60_000 }];
const COMMAND_TIMEOUT_MS = 200;

let server: DedicatedRedis;
beforeAll(async () => {
  server = await startDedicatedRedis();
});
afterAll(async () => {
  await server.kill();
});

function limiterOn(url: string, failurePolicy: FailurePolicy, errors: unknown[] = []) {
  const keyPrefix = uniquePrefix(failurePolicy);
  const onStoreError = (error: unknown) => errors.push(error);
  const options = {
    redis: url,
    rules,
    keyPrefix,
    failurePolicy,
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
    onStoreError,
  };
  return { keyPrefix, limiter: new RedisRateLimiter(options) };
}

async function acquireMany(
  limiter: RedisRateLimiter,
  tenant: string,
  count: number,
): Promise<RateLimitDecision[]> {
  return Promise.all(Array.from({ length: count }, () => limiter.acquire({ tenant })));
}

const admitted = (decisions: RateLimitDecision[]) => decisions.filter((decision) => decision.allowed).length;

/** Acquires on a probe key until one goes through Redis again; bounded to 5 s. */
async function waitForRecovery(limiter: RedisRateLimiter): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const before = limiter.stats().storeErrors;
    await limiter.acquire({ tenant: 'probe' });
    if (limiter.stats().storeErrors === before) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('The limiter did not reach Redis again within 5 s.');
}

describe('RedisRateLimiter when Redis fails', () => {
  it('decides by policy at once when Redis cannot be reached, reporting every failure', async () => {
    const unreachable = 'redis://127.0.0.1:1';
    const errors: unknown[] = [];
    const closed = limiterOn(unreachable, 'closed', errors).limiter;
    const open = limiterOn(unreachable, 'open').limiter;

    const started = performance.now();
    const refused = await closed.acquire({ tenant: 'a' });
    const allowed = await open.acquire({ tenant: 'a' });
    const elapsedMs = performance.now() - started;
    if (allowed.allowed) await open.reconcile(allowed.reservation, 10);

    expect(refused).toEqual({
      allowed: false,
      retryAfterMs: 1000,
      rule: STORE_UNAVAILABLE_RULE,
      kind: 'calls',
    });
    expect(allowed.allowed).toBe(true);
    expect(elapsedMs).toBeLessThan(2 * (COMMAND_TIMEOUT_MS + 100));
    expect(errors).toHaveLength(1);
    expect(closed.stats()).toEqual({ storeErrors: 1, fallbackDecisions: 1 });
    await Promise.all([closed.close(), open.close()]);
  });

  it('reconciles reservations the in-memory fallback made', async () => {
    const tokenRules: RateLimitRule[] = [
      { name: 'tokens', scope: 'global', maxTokens: 100, windowMs: 60_000 },
    ];
    const limiter = new RedisRateLimiter({
      redis: 'redis://127.0.0.1:1',
      rules: tokenRules,
      failurePolicy: 'memory',
    });

    const decision = await limiter.acquire({ tokens: 90 });
    if (!decision.allowed) throw new Error('expected an admission');
    await limiter.reconcile(decision.reservation, 10);
    const fits = await limiter.acquire({ tokens: 90 });
    const full = await limiter.acquire({ tokens: 1 });

    expect(fits.allowed).toBe(true);
    expect(full).toMatchObject({ allowed: false, rule: 'tokens' });
    await limiter.close();
  });

  it('answers every acquire within the command timeout while Redis is paused', async () => {
    const errors: unknown[] = [];
    const { limiter } = limiterOn(server.url, 'closed', errors);
    await limiter.acquire({ tenant: 'warm-up' });
    const admin = new Redis(server.url);

    await admin.call('CLIENT', 'PAUSE', '2000', 'ALL');
    const durations = await Promise.all(
      Array.from({ length: 20 }, async (_, position) => {
        const started = performance.now();
        await limiter.acquire({ tenant: `t${position % 3}` });
        return performance.now() - started;
      }),
    );

    expect(Math.max(...durations)).toBeLessThanOrEqual(COMMAND_TIMEOUT_MS + 100);
    expect(errors).toHaveLength(20);
    expect(errors.every((error) => error instanceof Error)).toBe(true);
    expect(
      errors.some((error) => error instanceof StoreTimeoutError || String(error).includes('timed out')),
    ).toBe(true);
    // Commands wait out the pause, so this returns when Redis serves again for the next tests.
    expect(await admin.ping()).toBe('PONG');
    admin.disconnect();
    await limiter.close();
  });

  for (const [policy, expectedWhileDown] of [
    ['memory', 5],
    ['closed', 0],
    ['open', 12],
  ] as const) {
    it(`follows the '${policy}' policy while Redis is down and limits through Redis after its restart`, async () => {
      const { keyPrefix, limiter } = limiterOn(server.url, policy);
      const before = await acquireMany(limiter, 'before', 3);
      const errorsBefore = limiter.stats().storeErrors;

      const inFlight = acquireMany(limiter, 'during-kill', 20);
      await server.kill();
      await inFlight;
      const whileDown = await acquireMany(limiter, 'down', 12);
      await server.start();
      await waitForRecovery(limiter);
      const errorsAfterRecovery = limiter.stats().storeErrors;
      const after = await acquireMany(limiter, 'after', 7);

      expect(admitted(before)).toBe(3);
      expect(errorsBefore).toBe(0);
      expect(admitted(whileDown)).toBe(expectedWhileDown);
      expect(limiter.stats().fallbackDecisions).toBeGreaterThanOrEqual(12);
      expect(admitted(after)).toBe(5);
      expect(limiter.stats().storeErrors).toBe(errorsAfterRecovery);
      const admin = new Redis(server.url);
      expect(await admin.keys(`${keyPrefix}*after*`)).toHaveLength(1);
      admin.disconnect();
      await limiter.close();
    });
  }
});
