import { defaultLogContext } from '@agent/observability';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Authenticator } from '../../contract.js';
import { authenticate } from './authenticate.js';
import { logContext } from './log-context.js';
import { requestId } from './request-id.js';

const authenticator: Authenticator = {
  enabled: true,
  authenticate: async () => ({
    subject: 'ci',
    tenant: 'acme',
    scopes: new Set(['runs:read']),
    method: 'api-key',
  }),
};

describe('logContext', () => {
  it('puts the request id in the log context for the rest of the request, across awaits', async () => {
    const app = new Hono();
    app.use(requestId(), logContext());
    app.get('/', async (c) => {
      await new Promise((resolve) => setImmediate(resolve));
      return c.json(defaultLogContext.get() ?? null);
    });

    const response = await app.request('/', { headers: { 'X-Request-Id': 'req-7' } });

    expect(await response.json()).toEqual({ requestId: 'req-7' });
    expect(defaultLogContext.get()).toBeUndefined();
  });

  it('lets authenticate() add the tenant for the rest of the request', async () => {
    const app = new Hono();
    const seen: unknown[] = [];
    app.use(requestId(), logContext());
    app.use(async (_c, next) => {
      await next();
      // After authenticate() has returned, its nested context is gone again.
      seen.push(defaultLogContext.get());
    });
    app.use(authenticate(authenticator));
    app.get('/', (c) => c.json(defaultLogContext.get() ?? null));

    const response = await app.request('/', { headers: { 'X-Request-Id': 'req-8' } });

    expect(await response.json()).toEqual({ requestId: 'req-8', tenant: 'acme' });
    expect(seen).toEqual([{ requestId: 'req-8' }]);
  });

  it('leaves requestId out when requestId() is not mounted', async () => {
    const app = new Hono();
    app.use(logContext());
    app.get('/', (c) => c.json(defaultLogContext.get() ?? null));

    expect(await (await app.request('/')).json()).toEqual({});
  });
});
