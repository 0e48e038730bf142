import { describe, expect, it } from 'vitest';
import { ConfigError, ValidationError } from '../errors/errors.js';
import { MemoryRateLimiter, type MemoryRateLimiterOptions } from './memory-rate-limiter.js';
import type { RateLimitDecision, RateLimitReservation, RateLimitRule } from './rate-limiter.js';

function setup(rules: RateLimitRule[], options: Omit<MemoryRateLimiterOptions, 'rules' | 'clock'> = {}) {
  let now = 0;
  const limiter = new MemoryRateLimiter({ rules, clock: { now: () => now }, ...options });
  return {
    limiter,
    at: (time: number) => {
      now = time;
    },
  };
}

const calls = (
  maxCalls: number,
  scope: RateLimitRule['scope'] = 'global',
  name = 'calls',
): RateLimitRule => ({
  name,
  scope,
  maxCalls,
  windowMs: 1000,
});
const tokens = (
  maxTokens: number,
  scope: RateLimitRule['scope'] = 'global',
  name = 'tokens',
): RateLimitRule => ({
  name,
  scope,
  maxTokens,
  windowMs: 1000,
});

function reservationOf(decision: RateLimitDecision): RateLimitReservation {
  if (!decision.allowed) throw new Error(`expected an admitted call, got a refusal by "${decision.rule}"`);
  return decision.reservation;
}

describe('MemoryRateLimiter construction', () => {
  it('rejects invalid rules with a ConfigError that lists every problem', () => {
    const rules = [calls(0), { name: 'calls', scope: 'global', windowMs: 1.5 } as RateLimitRule];

    expect(() => new MemoryRateLimiter({ rules })).toThrow(ConfigError);
    expect(() => new MemoryRateLimiter({ rules })).toThrow(
      /rules\[0\]\.maxCalls[\s\S]*rules\[1\]\.name[\s\S]*windowMs/,
    );
  });

  it.each([
    ['resolution', { resolution: 0 }],
    ['maxKeys', { maxKeys: 1.5 }],
    ['maxReservations', { maxReservations: -1 }],
  ])('rejects an invalid %s with a ConfigError', (path, options) => {
    expect(() => new MemoryRateLimiter({ rules: [calls(1)], ...options })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path })] }),
    );
  });

  it('rejects maxKeys smaller than the number of rules', () => {
    const rules = [calls(1, 'tenant', 'a'), calls(1, 'tenant', 'b')];

    expect(() => new MemoryRateLimiter({ rules, maxKeys: 1 })).toThrow(ConfigError);
  });

  it('admits every call when it has no rules', async () => {
    const limiter = new MemoryRateLimiter({ rules: [] });

    expect((await limiter.acquire({ tokens: 1e9 })).allowed).toBe(true);
  });
});

describe('MemoryRateLimiter windows', () => {
  it('refuses a call over maxCalls within the window', async () => {
    const { limiter } = setup([calls(1)]);
    await limiter.acquire({});

    const decision = await limiter.acquire({});

    expect(decision).toEqual({ allowed: false, retryAfterMs: 1000, rule: 'calls', kind: 'calls' });
  });

  it('still counts a call at windowMs - 1 after it', async () => {
    const { limiter, at } = setup([calls(1)]);
    at(0);
    await limiter.acquire({});

    at(999);
    const decision = await limiter.acquire({});

    expect(decision).toMatchObject({ allowed: false, retryAfterMs: 1 });
  });

  it('forgets a call windowMs after it', async () => {
    const { limiter, at } = setup([calls(1)]);
    at(0);
    await limiter.acquire({});

    at(1000);
    const decision = await limiter.acquire({});

    expect(decision.allowed).toBe(true);
  });

  it('says exactly how long until the oldest call leaves the window', async () => {
    const { limiter, at } = setup([calls(2)]);
    at(0);
    await limiter.acquire({});
    at(300);
    await limiter.acquire({});

    at(500);
    const refused = await limiter.acquire({});
    at(999);
    const stillRefused = await limiter.acquire({});
    at(1000);
    const admitted = await limiter.acquire({});

    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 500 });
    expect(stillRefused).toMatchObject({ allowed: false, retryAfterMs: 1 });
    expect(admitted.allowed).toBe(true);
  });

  it('counts calls that share a bucket until the latest of them leaves the window, at most one bucket late', async () => {
    const { limiter, at } = setup([calls(2)], { resolution: 10 });
    at(0);
    await limiter.acquire({});
    at(60);
    await limiter.acquire({});

    at(1000);
    const late = await limiter.acquire({});
    at(1060);
    const admitted = await limiter.acquire({});

    expect(late).toMatchObject({ allowed: false, retryAfterMs: 60 });
    expect(admitted.allowed).toBe(true);
  });

  it('keeps counting when the clock steps back', async () => {
    const { limiter, at } = setup([calls(2)]);
    at(5000);
    await limiter.acquire({});
    at(4000);
    await limiter.acquire({});

    const decision = await limiter.acquire({});

    expect(decision).toMatchObject({ allowed: false, kind: 'calls' });
  });
});

describe('MemoryRateLimiter tokens', () => {
  it('rejects a negative or non-finite token estimate with a ValidationError', async () => {
    const { limiter } = setup([tokens(100)]);

    await expect(limiter.acquire({ tokens: -1 })).rejects.toBeInstanceOf(ValidationError);
    await expect(limiter.acquire({ tokens: Number.NaN })).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses tokens over maxTokens and says when enough of them leave the window', async () => {
    const { limiter, at } = setup([tokens(100)]);
    at(0);
    await limiter.acquire({ tokens: 30 });
    at(200);
    await limiter.acquire({ tokens: 50 });

    at(400);
    const decision = await limiter.acquire({ tokens: 60 });

    expect(decision).toEqual({ allowed: false, retryAfterMs: 800, rule: 'tokens', kind: 'tokens' });
  });

  it('refuses a request larger than maxTokens outright with retryAfterMs of one window', async () => {
    const { limiter } = setup([tokens(100)]);

    const decision = await limiter.acquire({ tokens: 101 });

    expect(decision).toEqual({
      allowed: false,
      retryAfterMs: 1000,
      rule: 'tokens',
      kind: 'tokens',
      permanent: true,
    });
  });

  it('replaces the reserved tokens with the actual count on reconcile', async () => {
    const { limiter } = setup([tokens(100)]);
    const reservation = reservationOf(await limiter.acquire({ tokens: 80 }));

    await limiter.reconcile(reservation, 20);
    const decision = await limiter.acquire({ tokens: 80 });

    expect(decision.allowed).toBe(true);
  });

  it('counts the extra tokens when the actual count exceeds the reservation', async () => {
    const { limiter } = setup([tokens(100)]);
    const reservation = reservationOf(await limiter.acquire({ tokens: 10 }));

    await limiter.reconcile(reservation, 90);
    const decision = await limiter.acquire({ tokens: 20 });

    expect(decision).toMatchObject({ allowed: false, kind: 'tokens' });
  });

  it('ignores a reconcile once the reservation has left the window', async () => {
    const { limiter, at } = setup([tokens(100)]);
    at(0);
    const reservation = reservationOf(await limiter.acquire({ tokens: 10 }));

    at(1000);
    await limiter.reconcile(reservation, 100);
    const decision = await limiter.acquire({ tokens: 100 });

    expect(decision.allowed).toBe(true);
  });

  it('ignores a second reconcile of the same reservation', async () => {
    const { limiter } = setup([tokens(100)]);
    const reservation = reservationOf(await limiter.acquire({ tokens: 50 }));

    await limiter.reconcile(reservation, 0);
    await limiter.reconcile(reservation, 100);
    const decision = await limiter.acquire({ tokens: 100 });

    expect(decision.allowed).toBe(true);
  });

  it('keeps the estimate when the actual count is not a finite number', async () => {
    const { limiter } = setup([tokens(100)]);
    const reservation = reservationOf(await limiter.acquire({ tokens: 50 }));

    await limiter.reconcile(reservation, Number.NaN);
    const decision = await limiter.acquire({ tokens: 51 });

    expect(decision).toMatchObject({ allowed: false, kind: 'tokens' });
  });

  it('counts a negative actual count as zero', async () => {
    const { limiter } = setup([tokens(100)]);
    const reservation = reservationOf(await limiter.acquire({ tokens: 50 }));

    await limiter.reconcile(reservation, -500);
    const full = await limiter.acquire({ tokens: 100 });
    const over = await limiter.acquire({ tokens: 1 });

    expect(full.allowed).toBe(true);
    expect(over.allowed).toBe(false);
  });

  it('does nothing when a reconcile leaves the count unchanged', async () => {
    const { limiter } = setup([tokens(100)]);
    const reservation = reservationOf(await limiter.acquire({ tokens: 60 }));

    await limiter.reconcile(reservation, 60);
    const decision = await limiter.acquire({ tokens: 41 });

    expect(decision).toMatchObject({ allowed: false, kind: 'tokens' });
  });

  it('forgets the oldest reservation past maxReservations, so its estimate stands', async () => {
    const { limiter } = setup([tokens(100)], { maxReservations: 1 });
    const first = reservationOf(await limiter.acquire({ tokens: 50 }));
    await limiter.acquire({ tokens: 0 });

    await limiter.reconcile(first, 0);
    const decision = await limiter.acquire({ tokens: 51 });

    expect(decision).toMatchObject({ allowed: false, kind: 'tokens' });
  });

  it('gives every reservation its own id', async () => {
    const { limiter } = setup([]);

    const ids = await Promise.all([1, 2, 3].map(async () => reservationOf(await limiter.acquire({})).id));

    expect(new Set(ids).size).toBe(3);
  });
});

describe('MemoryRateLimiter with several rules', () => {
  it('does not count a call in any rule when one rule refuses it', async () => {
    const { limiter } = setup([calls(2, 'global', 'global'), calls(1, 'tenant', 'per-tenant')]);
    await limiter.acquire({ tenant: 'acme' });

    const refused = await limiter.acquire({ tenant: 'acme' });
    const other = await limiter.acquire({ tenant: 'globex' });

    expect(refused).toMatchObject({ allowed: false, rule: 'per-tenant' });
    expect(other.allowed).toBe(true);
  });

  it('reports the rule with the longest wait when several refuse', async () => {
    const { limiter, at } = setup([
      calls(1, 'global', 'short'),
      { name: 'long', scope: 'global', maxCalls: 1, windowMs: 5000 },
    ]);
    at(0);
    await limiter.acquire({});

    at(100);
    const decision = await limiter.acquire({});

    expect(decision).toMatchObject({ allowed: false, rule: 'long', retryAfterMs: 4900 });
  });

  it('reports the longer wait when a rule is short of both calls and tokens', async () => {
    const { limiter, at } = setup([
      { name: 'both', scope: 'global', maxCalls: 2, maxTokens: 100, windowMs: 1000 },
    ]);
    at(0);
    await limiter.acquire({ tokens: 10 });
    at(300);
    await limiter.acquire({ tokens: 60 });

    at(400);
    const decision = await limiter.acquire({ tokens: 50 });

    expect(decision).toEqual({ allowed: false, retryAfterMs: 900, rule: 'both', kind: 'tokens' });
  });

  it('adjusts every rule on reconcile', async () => {
    const { limiter } = setup([tokens(100, 'global', 'global'), tokens(100, 'tenant', 'per-tenant')]);
    const reservation = reservationOf(await limiter.acquire({ tenant: 'acme', tokens: 100 }));

    await limiter.reconcile(reservation, 0);
    const decision = await limiter.acquire({ tenant: 'acme', tokens: 100 });

    expect(decision.allowed).toBe(true);
  });
});

describe('MemoryRateLimiter scopes', () => {
  it('keeps a separate counter per tenant for a tenant-scoped rule', async () => {
    const { limiter } = setup([calls(1, 'tenant')]);
    await limiter.acquire({ tenant: 'acme' });

    const decision = await limiter.acquire({ tenant: 'globex' });

    expect(decision.allowed).toBe(true);
  });

  it('shares one counter across tenants for a global rule', async () => {
    const { limiter } = setup([calls(1, 'global')]);
    await limiter.acquire({ tenant: 'acme' });

    const decision = await limiter.acquire({ tenant: 'globex' });

    expect(decision.allowed).toBe(false);
  });

  it('keeps a counter per combination for a combined scope', async () => {
    const { limiter } = setup([calls(1, ['tenant', 'model'])]);
    await limiter.acquire({ tenant: 'acme', model: 'a' });

    const otherModel = await limiter.acquire({ tenant: 'acme', model: 'b' });
    const sameBoth = await limiter.acquire({ tenant: 'acme', model: 'a' });

    expect(otherModel.allowed).toBe(true);
    expect(sameBoth.allowed).toBe(false);
  });
});

describe('MemoryRateLimiter memory', () => {
  it('never holds more than maxKeys counters', async () => {
    const { limiter } = setup([calls(1, 'tenant')], { maxKeys: 3 });

    for (let index = 0; index < 10; index++) await limiter.acquire({ tenant: `tenant-${index}` });

    expect(limiter.keyCount).toBe(3);
    expect(limiter.evictedKeyCount).toBe(7);
  });

  it('evicts the least recently used counter first', async () => {
    const { limiter } = setup([calls(2, 'tenant')], { maxKeys: 2 });
    await limiter.acquire({ tenant: 'a' });
    await limiter.acquire({ tenant: 'b' });
    await limiter.acquire({ tenant: 'a' });

    await limiter.acquire({ tenant: 'c' });
    const a = await limiter.acquire({ tenant: 'a' });
    const b = await limiter.acquire({ tenant: 'b' });

    expect(a.allowed).toBe(false);
    expect(b.allowed).toBe(true);
  });

  it('does not apply a reconcile to a counter that was evicted since', async () => {
    const { limiter } = setup([tokens(100, 'tenant')], { maxKeys: 1 });
    const reservation = reservationOf(await limiter.acquire({ tenant: 'a', tokens: 10 }));
    await limiter.acquire({ tenant: 'b', tokens: 10 });
    await limiter.acquire({ tenant: 'a', tokens: 50 });

    await limiter.reconcile(reservation, 0);
    const decision = await limiter.acquire({ tenant: 'a', tokens: 51 });

    expect(decision).toMatchObject({ allowed: false, kind: 'tokens' });
  });

  it('deletes idle counters once their window has passed', async () => {
    const { limiter, at } = setup([calls(1, 'tenant')]);
    at(0);
    for (const tenant of ['a', 'b', 'c']) await limiter.acquire({ tenant });

    at(1000);
    await limiter.acquire({ tenant: 'd' });

    expect(limiter.keyCount).toBe(1);
  });

  it('creates no counter for a refused call', async () => {
    const { limiter } = setup([calls(1, 'global', 'global'), calls(5, 'tenant', 'per-tenant')]);
    await limiter.acquire({ tenant: 'a' });

    await limiter.acquire({ tenant: 'b' });

    expect(limiter.keyCount).toBe(2);
  });
});
