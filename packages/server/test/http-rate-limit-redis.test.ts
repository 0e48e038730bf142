// The HTTP rate limit goes through the configured backend: with rateLimits.backend redis, two
// server instances (two replicas) share one per-key budget.
import { randomUUID } from 'node:crypto';
import { agentConfigSchema } from '@agent/core';
import { ScriptedModel, textResponse } from '@agent/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../src/auth/index.js';
import type { ServerRuntime } from '../src/contract.js';
import { createApp } from '../src/http/app.js';
import { createServerRuntime } from '../src/runtime/index.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const runtimes: ServerRuntime[] = [];
afterAll(() => Promise.all(runtimes.map((runtime) => runtime.close({ graceMs: 0 }))));

async function replica(keyPrefix: string) {
  const config = agentConfigSchema.parse({
    models: { main: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'unused' } },
    agents: { assistant: { model: 'main', instructions: 'Be brief.' } },
    rateLimits: { backend: 'redis', redis: { url: redisUrl, keyPrefix } },
    server: {
      auth: {
        apiKeys: [
          { name: 'ci', key: 'ci-key-0123456789', tenant: 'acme', scopes: ['runs:read', 'runs:write'] },
        ],
      },
      rateLimit: { perKey: { maxRequests: 3, windowMs: 60_000 } },
    },
    observability: { events: { store: 'memory' }, metrics: { enabled: false } },
  });
  const runtime = await createServerRuntime(config, {
    cwd: process.cwd(),
    models: { main: new ScriptedModel([], { fallback: textResponse('ok') }) },
  });
  runtimes.push(runtime);
  return createApp(runtime, createAuthenticator(config.server.auth));
}

describe('HTTP rate limit on Redis', () => {
  it('shares one per-key budget across two replicas, and says when to retry', async () => {
    const keyPrefix = `test:http-rl:${randomUUID()}:`;
    const [first, second] = [await replica(keyPrefix), await replica(keyPrefix)];
    const get = (app: typeof first) =>
      app.request('/v1/agents', { headers: { authorization: 'Bearer ci-key-0123456789' } });

    const statuses = [(await get(first)).status, (await get(second)).status, (await get(first)).status];
    const refused = await get(second);

    expect(statuses).toEqual([200, 200, 200]);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
  });
});
