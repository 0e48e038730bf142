import { MemoryRateLimiter, type RateLimiter, type RateLimitRule } from '@agent/core';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../contract.js';
import { errorHandler } from './error-handler.js';
import { type HttpRateLimitConfig, httpRateLimit, httpRateLimitRules } from './http-rate-limit.js';

const principals: Record<string, Principal> = {
  a1: { subject: 'key-a1', tenant: 'acme', scopes: new Set(['runs:read']), method: 'api-key' },
  a2: { subject: 'key-a2', tenant: 'acme', scopes: new Set(['runs:read']), method: 'api-key' },
  g1: { subject: 'key-g1', tenant: 'globex', scopes: new Set(['runs:read']), method: 'api-key' },
};

function setup(config: HttpRateLimitConfig) {
  const clock = { time: 1_000_000, now: () => clock.time };
  const onRejected = vi.fn();
  const factory = vi.fn((rules: RateLimitRule[]) => new MemoryRateLimiter({ rules, clock }));
  const app = new Hono();
  app.use(async (c, next) => {
    c.set('principal', principals[c.req.header('x-who') ?? 'a1'] as Principal);
    await next();
  });
  app.use(httpRateLimit(factory, config, { onRejected }));
  app.get('/', (c) => c.text('ok'));
  app.onError(errorHandler({ error: () => {}, warn: () => {} }));
  const send = (who: string) => app.request('/', { headers: { 'x-who': who } });
  return { app, send, clock, onRejected, factory };
}

describe('httpRateLimitRules', () => {
  it('builds a per-key and a per-tenant rule from the config', () => {
    expect(
      httpRateLimitRules({
        perKey: { maxRequests: 5, windowMs: 1000 },
        perTenant: { maxRequests: 9, windowMs: 2000 },
      }),
    ).toEqual([
      { name: 'http-per-key', scope: 'agent', maxCalls: 5, windowMs: 1000 },
      { name: 'http-per-tenant', scope: 'tenant', maxCalls: 9, windowMs: 2000 },
    ]);
    expect(httpRateLimitRules(undefined)).toEqual([]);
  });
});

describe('httpRateLimit', () => {
  it('refuses the request over the per-key limit with 429 and Retry-After, per key', async () => {
    const { send, onRejected } = setup({ perKey: { maxRequests: 2, windowMs: 10_000 } });

    const statuses = [(await send('a1')).status, (await send('a1')).status];
    const refused = await send('a1');
    const otherKey = await send('a2');

    expect(statuses).toEqual([200, 200]);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(await refused.json()).toMatchObject({
      code: 'rate-limited',
      detail: expect.stringContaining('this API key or token'),
    });
    expect(otherKey.status).toBe(200);
    expect(onRejected).toHaveBeenCalledExactlyOnceWith('key');
  });

  it('refuses requests over the per-tenant limit across the keys of that tenant only', async () => {
    const { send, onRejected } = setup({ perTenant: { maxRequests: 2, windowMs: 60_000 } });

    await send('a1');
    await send('a2');
    const refused = await send('a1');
    const otherTenant = await send('g1');

    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(60);
    expect(await refused.json()).toMatchObject({ detail: expect.stringContaining('tenant "acme"') });
    expect(otherTenant.status).toBe(200);
    expect(onRejected).toHaveBeenCalledExactlyOnceWith('tenant');
  });

  it('admits again once the window has passed', async () => {
    const { send, clock } = setup({ perKey: { maxRequests: 1, windowMs: 1000 } });

    await send('a1');
    const refused = await send('a1');
    clock.time += 1000;
    const later = await send('a1');

    expect(refused.status).toBe(429);
    expect(later.status).toBe(200);
  });

  it('does not count a request refused by one limit against the other', async () => {
    const { send } = setup({
      perKey: { maxRequests: 1, windowMs: 1000 },
      perTenant: { maxRequests: 2, windowMs: 1000 },
    });

    await send('a1');
    await send('a1'); // refused per key: must not use up the tenant's second request
    const second = await send('a2');

    expect(second.status).toBe(200);
  });

  it('rounds Retry-After up to at least one second', async () => {
    const { send } = setup({ perKey: { maxRequests: 1, windowMs: 200 } });

    await send('a1');

    expect((await send('a1')).headers.get('retry-after')).toBe('1');
  });

  it('does nothing, and builds no limiter, without limits configured', async () => {
    const { send, factory } = setup(undefined);

    const statuses = await Promise.all([send('a1'), send('a1'), send('a1')]);

    expect(statuses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(factory).not.toHaveBeenCalled();
  });

  it('accepts a limiter instance and keys JWT subjects apart from API keys of the same name', async () => {
    const acquire = vi.fn<RateLimiter['acquire']>(async () => ({
      allowed: true as const,
      reservation: { id: 'r', tokens: 0, at: 0 },
    }));
    const limiter: RateLimiter = { acquire, reconcile: async () => {} };
    const app = new Hono();
    app.use(async (c, next) => {
      c.set('principal', { subject: 'a|b', tenant: 't/1', scopes: new Set(), method: 'jwt' });
      await next();
    });
    app.use(httpRateLimit(limiter, { perKey: { maxRequests: 1, windowMs: 1000 } }));
    app.get('/', (c) => c.text('ok'));

    await app.request('/');

    expect(acquire).toHaveBeenCalledWith({ agent: 'jwt:t%2F1:a%7Cb', tenant: 't/1' });
  });

  it('fails loudly when mounted before authenticate()', async () => {
    const app = new Hono();
    app.use(
      httpRateLimit((rules) => new MemoryRateLimiter({ rules }), {
        perKey: { maxRequests: 1, windowMs: 1000 },
      }),
    );
    app.get('/', (c) => c.text('ok'));
    const logger = { error: vi.fn(), warn: vi.fn() };
    app.onError(errorHandler(logger));

    const response = await app.request('/');

    expect(response.status).toBe(500);
    expect(logger.error.mock.calls[0]?.[1]?.error?.message).toMatch(/after authenticate/);
  });
});
