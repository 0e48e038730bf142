import { ConfigError, type RateLimitRule, ValidationError } from '@agent/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REDIS_URL, uniquePrefix } from './__fixtures__/redis-server.js';
import { acquireScript } from './lua-scripts.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

const calls = (maxCalls: number, windowMs = 60_000): RateLimitRule => ({
  name: 'calls',
  scope: 'tenant',
  maxCalls,
  windowMs,
});

let redis: Redis;
beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await redis.quit();
});

function limiterFor(name: string, rules: RateLimitRule[], extra: { timeOffsetMs?: () => number } = {}) {
  const keyPrefix = uniquePrefix(name);
  return { keyPrefix, limiter: new RedisRateLimiter({ redis, rules, keyPrefix, ...extra }) };
}

describe('RedisRateLimiter', () => {
  it('reloads the script after SCRIPT FLUSH and still decides through Redis', async () => {
    const { limiter } = limiterFor('noscript', [calls(2)]);
    await limiter.acquire({ tenant: 'a' });

    await redis.script('FLUSH');
    const decision = await limiter.acquire({ tenant: 'a' });

    expect(decision.allowed).toBe(true);
    expect(limiter.stats()).toEqual({ storeErrors: 0, fallbackDecisions: 0 });
    expect(await redis.script('EXISTS', acquireScript.sha)).toEqual([1]);
    expect((await limiter.acquire({ tenant: 'a' })).allowed).toBe(false);
  });

  it('writes hash-tagged, prefixed keys that expire after two windows', async () => {
    const { keyPrefix, limiter } = limiterFor('keys', [calls(5, 30_000)]);

    await limiter.acquire({ tenant: 'acme' });

    const keys = await redis.keys(`${keyPrefix}*`);
    expect(keys).toEqual([`${keyPrefix}{limiter}:k:calls|tenant=acme`]);
    const ttl = await redis.pttl(keys[0] as string);
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('uses a configured hash tag so every key of the limiter lands in one cluster slot', async () => {
    const keyPrefix = uniquePrefix('tag');
    const rules: RateLimitRule[] = [calls(5), { name: 'all', scope: 'global', maxCalls: 9, windowMs: 1000 }];
    const limiter = new RedisRateLimiter({ redis, rules, keyPrefix, hashTag: 'tenant-limits' });

    await limiter.acquire({ tenant: '{odd}' });

    const keys = (await redis.keys(`${keyPrefix}*`)).sort();
    expect(keys).toEqual([
      `${keyPrefix}{tenant-limits}:k:all`,
      `${keyPrefix}{tenant-limits}:k:calls|tenant={odd}`,
    ]);
    // Redis Cluster hashes only the text between the first '{' and the next '}'.
    const tags = keys.map((key) => key.slice(key.indexOf('{') + 1, key.indexOf('}')));
    expect(tags).toEqual(['tenant-limits', 'tenant-limits']);
  });

  it('admits up to the limit per scope key and refuses the next with the wait', async () => {
    const { limiter } = limiterFor('limit', [calls(2, 10_000)]);

    const first = await limiter.acquire({ tenant: 'a' });
    await limiter.acquire({ tenant: 'a' });
    const refused = await limiter.acquire({ tenant: 'a' });
    const otherTenant = await limiter.acquire({ tenant: 'b' });

    expect(first.allowed).toBe(true);
    expect(refused).toMatchObject({ allowed: false, rule: 'calls', kind: 'calls' });
    if (refused.allowed) throw new Error('expected a refusal');
    expect(refused.retryAfterMs).toBeGreaterThan(9_800);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(10_100);
    expect(otherTenant.allowed).toBe(true);
  });

  it('counts nothing in any rule when one rule refuses', async () => {
    const tokens: RateLimitRule = { name: 'tokens', scope: 'global', maxTokens: 100, windowMs: 10_000 };
    const { limiter } = limiterFor('atomic', [calls(3), tokens]);

    await limiter.acquire({ tenant: 'a', tokens: 80 });
    const refused = await limiter.acquire({ tenant: 'a', tokens: 30 });
    const second = await limiter.acquire({ tenant: 'a', tokens: 20 });
    const third = await limiter.acquire({ tenant: 'a', tokens: 0 });

    expect(refused).toMatchObject({ allowed: false, rule: 'tokens', kind: 'tokens' });
    expect(second.allowed).toBe(true);
    expect(third.allowed).toBe(true);
  });

  it('refuses permanently a request whose tokens exceed maxTokens', async () => {
    const { limiter } = limiterFor('permanent', [
      { name: 'tokens', scope: 'model', maxTokens: 10, windowMs: 5_000 },
    ]);

    const decision = await limiter.acquire({ model: 'm', tokens: 11 });

    expect(decision).toEqual({
      allowed: false,
      retryAfterMs: 5_000,
      rule: 'tokens',
      kind: 'tokens',
      permanent: true,
    });
  });

  it('reconciles from another replica, once, freeing or taking tokens', async () => {
    const rules: RateLimitRule[] = [{ name: 'tokens', scope: 'global', maxTokens: 100, windowMs: 10_000 }];
    const { keyPrefix, limiter } = limiterFor('reconcile', rules);
    const replica = new RedisRateLimiter({ redis, rules, keyPrefix });

    const decision = await limiter.acquire({ tokens: 90 });
    if (!decision.allowed) throw new Error('expected an admission');
    await replica.reconcile(decision.reservation, 40);
    await replica.reconcile(decision.reservation, 0);
    const fits = await limiter.acquire({ tokens: 60 });
    const full = await limiter.acquire({ tokens: 1 });

    expect(fits.allowed).toBe(true);
    expect(full.allowed).toBe(false);
  });

  it('ignores non-finite counts and reservation ids it did not make', async () => {
    const rules: RateLimitRule[] = [{ name: 'tokens', scope: 'global', maxTokens: 10, windowMs: 10_000 }];
    const { limiter } = limiterFor('foreign', rules);
    const decision = await limiter.acquire({ tokens: 10 });
    if (!decision.allowed) throw new Error('expected an admission');
    const other = limiterFor('other', rules).limiter;

    await limiter.reconcile(decision.reservation, Number.NaN);
    await other.reconcile(decision.reservation, 0);
    await limiter.reconcile({ id: 'r1', tokens: 10, at: 0 }, 0);
    await limiter.reconcile({ id: 'rl1.bm90LWpzb24', tokens: 10, at: 0 }, 0);

    expect((await limiter.acquire({ tokens: 1 })).allowed).toBe(false);
  });

  it('decides the same for hosts whose clocks disagree, because time comes from Redis', async () => {
    const rules = [calls(2, 1_000)];
    const keyPrefix = uniquePrefix('skew');
    const ahead = new RedisRateLimiter({ redis, rules, keyPrefix });
    const behind = new RedisRateLimiter({ redis, rules, keyPrefix });
    const realNow = Date.now;
    const outcomes: boolean[] = [];
    try {
      for (const [limiter, skewMs] of [
        [ahead, 3_600_000],
        [behind, -3_600_000],
        [ahead, 3_600_000],
      ] as const) {
        vi.spyOn(Date, 'now').mockImplementation(() => realNow() + skewMs);
        outcomes.push((await limiter.acquire({ tenant: 'a' })).allowed);
      }
    } finally {
      vi.restoreAllMocks();
    }

    expect(outcomes).toEqual([true, true, false]);
  });

  it('moves with the test clock and forgets calls after the window', async () => {
    let offsetMs = 0;
    const { limiter } = limiterFor('offset', [calls(1, 1_000)], { timeOffsetMs: () => offsetMs });

    await limiter.acquire({ tenant: 'a' });
    const refused = await limiter.acquire({ tenant: 'a' });
    offsetMs = 1_100;
    const later = await limiter.acquire({ tenant: 'a' });

    expect(refused.allowed).toBe(false);
    expect(later.allowed).toBe(true);
  });

  it('rejects invalid token counts and invalid options', async () => {
    const { limiter } = limiterFor('invalid', [calls(1)]);

    await expect(limiter.acquire({ tokens: -1 })).rejects.toBeInstanceOf(ValidationError);
    const build = (options: Record<string, unknown>) => () =>
      new RedisRateLimiter({ redis, rules: [calls(1)], ...options });
    expect(build({ resolution: 0 })).toThrow(ConfigError);
    expect(build({ commandTimeoutMs: -5 })).toThrow(/commandTimeoutMs/);
    expect(build({ failurePolicy: 'maybe' })).toThrow(/failurePolicy/);
    expect(build({ hashTag: 'a}b' })).toThrow(/hashTag/);
    expect(build({ redis: undefined })).toThrow(/redis is missing/);
    expect(build({ rules: [{ name: 'x', scope: 'global', windowMs: 10 }] })).toThrow(/limits nothing/);
  });
});
