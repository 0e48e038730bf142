import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Agent, defineTool } from '@agent/core';
import { type FakeLlmServer, startFakeLlmServer } from '@agent/fake-llm-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createModelStack, type ModelStackOptions } from './model-stack.js';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterEach(() => server.reset());
afterAll(() => server.close());

const request = { messages: [{ role: 'user' as const, content: 'hello' }] };

function stack(options: Partial<ModelStackOptions> = {}) {
  const retries: { model: string; delayMs: number; code: string }[] = [];
  const fallbacks: string[] = [];
  const model = createModelStack({
    openai: { apiKey: 'test', baseURL: server.openaiBaseURL },
    anthropic: { apiKey: 'test', baseURL: server.anthropicBaseURL },
    attemptTimeoutMs: 5_000,
    deadlineMs: 5_000,
    maxRetryAfterMs: 1_000,
    onRetry: (name, info) => retries.push({ model: name, delayMs: info.delayMs, code: info.error.code }),
    onFallback: (from, to) => fallbacks.push(`${from} → ${to}`),
    ...options,
  });
  return { model, retries, fallbacks };
}

const providers = () => server.requests.map((recorded) => recorded.provider);

describe('the production model stack', () => {
  it('never falls over on a bad request, and does not retry it', async () => {
    server.enqueue({ kind: 'status', status: 400, message: 'messages: field required' });
    const { model, fallbacks } = stack();

    await expect(model.generate(request)).rejects.toMatchObject({ code: 'MODEL_BAD_REQUEST' });
    expect(providers()).toEqual(['openai']);
    expect(fallbacks).toEqual([]);
  });

  it('falls over from an OpenAI model that stays overloaded to Anthropic', async () => {
    server.enqueue(
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
      { kind: 'text', text: 'from the backup' },
    );
    const { model, retries, fallbacks } = stack();

    const response = await model.generate(request);

    expect(response.message.content).toBe('from the backup');
    expect(providers()).toEqual(['openai', 'openai', 'openai', 'anthropic']);
    expect(retries.map((retry) => retry.code)).toEqual(['MODEL_OVERLOADED', 'MODEL_OVERLOADED']);
    expect(fallbacks).toEqual(['openai/gpt-4o-mini → anthropic/claude-3-5-haiku-latest']);
  });

  it('waits exactly the Retry-After a vendor asks for before retrying', async () => {
    server.enqueue({ kind: 'rate-limit', retryAfterMs: 150 }, { kind: 'text', text: 'after the wait' });
    const { model, retries } = stack();
    const startedAt = Date.now();

    const response = await model.generate(request);

    expect(response.message.content).toBe('after the wait');
    expect(retries).toEqual([{ model: 'openai/gpt-4o-mini', delayMs: 150, code: 'MODEL_RATE_LIMITED' }]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(150);
    expect(providers()).toEqual(['openai', 'openai']);
  });

  it('treats a Retry-After above the cap as an outage and falls over at once instead of waiting', async () => {
    server.enqueue(
      { kind: 'rate-limit', retryAfterSeconds: 3600 },
      { kind: 'text', text: 'backup answered' },
    );
    const { model, retries } = stack({ maxRetryAfterMs: 1_000 });
    const startedAt = Date.now();

    const response = await model.generate(request);

    expect(response.message.content).toBe('backup answered');
    expect(retries).toEqual([]);
    expect(providers()).toEqual(['openai', 'anthropic']);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });

  it('holds the deadline: a hanging primary is cut when its budget runs out and the backup answers', async () => {
    server.enqueue({ kind: 'hang' }, { kind: 'text', text: 'in time' });
    const { model, fallbacks } = stack({ deadlineMs: 300, attemptTimeoutMs: 10_000 });
    const startedAt = Date.now();

    const response = await model.generate(request);

    const elapsedMs = Date.now() - startedAt;
    expect(response.message.content).toBe('in time');
    expect(fallbacks).toHaveLength(1);
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
    expect(elapsedMs).toBeLessThan(2_000);
  });

  it('runs an Agent with a tool through the stack, asking the primary first again on the next step', async () => {
    server.enqueue(
      { kind: 'status', status: 529 },
      { kind: 'status', status: 529 },
      { kind: 'status', status: 529 },
      { kind: 'tool-calls', calls: [{ name: 'add', arguments: { a: 2, b: 3 } }] },
      { kind: 'text', text: '5' },
    );
    const add = defineTool({
      name: 'add',
      description: 'Adds two numbers.',
      input: z.object({ a: z.number(), b: z.number() }),
      execute: ({ a, b }) => a + b,
    });
    const { model } = stack();

    const result = await new Agent({ name: 'resilient', model, tools: [add] }).run('2 + 3?');

    expect(result.output).toBe('5');
    // No circuit breaker: every call starts with the primary, which has recovered by step 2.
    expect(providers()).toEqual(['openai', 'openai', 'openai', 'anthropic', 'openai']);
  });
});

describe('the example program', () => {
  it('tells the outage story: a retry, then the fallback, then the backup answer', async () => {
    const script = fileURLToPath(new URL('../dist/index.js', import.meta.url));

    const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 20_000 });

    expect(stdout).toContain(
      'retry openai/gpt-4o-mini: attempt 1 failed with MODEL_RATE_LIMITED, waiting 300 ms',
    );
    expect(stdout).toContain('fallback: openai/gpt-4o-mini → anthropic/claude-3-5-haiku-latest');
    expect(stdout).toContain('Hello from the backup model.');
  });
});
