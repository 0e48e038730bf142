import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  anthropicBody,
  chat,
  type ErrorBody,
  openaiBody,
  post,
  readEvents,
  readJson,
} from './__fixtures__/http.js';
import { startFakeLlmServer } from './fake-llm-server.js';
import type { FakeLlmServer } from './types.js';

const CHAT = '/v1/chat/completions';
const MESSAGES = '/v1/messages';
let server: FakeLlmServer;

beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterEach(() => server.reset());
afterAll(() => server.close());

describe('rate limits and error statuses', () => {
  it('answers 429 with retry-after in seconds and retry-after-ms', async () => {
    server.enqueue({ kind: 'rate-limit', retryAfterSeconds: 2, retryAfterMs: 1500 });

    const response = await post(server, CHAT, openaiBody());

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('retry-after-ms')).toBe('1500');
    expect((await readJson<ErrorBody>(response)).error).toMatchObject({
      type: 'rate_limit_exceeded',
      code: 'rate_limit_exceeded',
    });
  });

  it('answers 429 with retry-after as an HTTP date, or with no header at all', async () => {
    const date = new Date(Date.now() + 30_000);
    server.enqueue({ kind: 'rate-limit', retryAfterDate: date }, { kind: 'rate-limit' });

    const dated = await post(server, MESSAGES, anthropicBody());
    const bare = await post(server, MESSAGES, anthropicBody());

    expect(dated.headers.get('retry-after')).toBe(date.toUTCString());
    expect(await dated.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(bare.headers.get('retry-after')).toBeNull();
    expect(bare.headers.get('retry-after-ms')).toBeNull();
  });

  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [413, 'request_too_large'],
    [422, 'invalid_request_error'],
    [500, 'api_error'],
    [503, 'api_error'],
    [529, 'overloaded_error'],
  ])('answers status %i in the Anthropic error format as %s', async (status, type) => {
    server.enqueue({ kind: 'status', status });

    const response = await post(server, MESSAGES, anthropicBody());

    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type, message: `fake-llm-server: scripted HTTP ${status}.` },
    });
  });

  it.each([
    [400, 'invalid_request_error', null],
    [401, 'invalid_request_error', 'invalid_api_key'],
    [403, 'permission_error', null],
    [500, 'server_error', null],
  ])('answers status %i in the OpenAI error format as %s', async (status, type, code) => {
    server.enqueue({ kind: 'status', status, message: 'Scripted.', headers: { 'x-extra': 'yes' } });

    const response = await post(server, CHAT, openaiBody());

    expect(response.status).toBe(status);
    expect(response.headers.get('x-extra')).toBe('yes');
    expect(await response.json()).toEqual({ error: { message: 'Scripted.', type, param: null, code } });
  });
});

describe('network faults', () => {
  it('sends the next reply only after a slow first byte', async () => {
    server.enqueue({
      kind: 'slow-first-byte',
      delayMs: 50,
      // biome-ignore lint/suspicious/noThenProperty: the FakeReply contract names the delayed reply `then`.
      then: { kind: 'text', text: 'late' },
    });
    const started = performance.now();

    const body = await chat(server, openaiBody());

    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(body.choices[0]?.message.content).toBe('late');
  });

  it('never computes the delayed reply when the client goes away first', async () => {
    let computed = false;
    server.enqueue({
      kind: 'slow-first-byte',
      delayMs: 100,
      // biome-ignore lint/suspicious/noThenProperty: the FakeReply contract names the delayed reply `then`.
      then: () => {
        computed = true;
        return { kind: 'text', text: 'too late' };
      },
    });

    const outcome = await fetch(`${server.url}${CHAT}`, {
      method: 'POST',
      body: JSON.stringify(openaiBody()),
      signal: AbortSignal.timeout(20),
    }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 150));

    expect(outcome).toBeInstanceOf(DOMException);
    expect(computed).toBe(false);
  });

  it('resets the connection without a response', async () => {
    server.enqueue({ kind: 'connection-reset' });

    const outcome = await post(server, CHAT, openaiBody()).catch((error: unknown) => error);

    expect(outcome).toBeInstanceOf(TypeError);
    expect(server.requests).toHaveLength(1);
  });

  it('cuts a stream after some text, before the end of the message', async () => {
    server.enqueue({ kind: 'disconnect-mid-stream' }, { kind: 'disconnect-mid-stream' });

    const openai = await post(server, CHAT, openaiBody({ stream: true }));
    const received: string[] = [];
    const reader = openai.body?.getReader();
    const outcome = await (async () => {
      for (;;) {
        const { done, value } = (await reader?.read()) ?? { done: true, value: undefined };
        if (done) return 'ended';
        received.push(new TextDecoder().decode(value));
      }
    })().catch((error: unknown) => error);

    expect(openai.status).toBe(200);
    expect(outcome).toBeInstanceOf(TypeError);
    expect(received.join('')).toContain('"content":"This"');
    expect(received.join('')).not.toContain('[DONE]');
    const anthropic = await post(server, MESSAGES, anthropicBody({ stream: true }));
    await expect(anthropic.text()).rejects.toThrow(TypeError);
  });

  it('cuts a non-streamed body halfway', async () => {
    server.enqueue({ kind: 'disconnect-mid-stream' });

    const response = await post(server, MESSAGES, anthropicBody());

    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it('sends invalid JSON with a 200 and a JSON content type', async () => {
    server.enqueue({ kind: 'malformed-json' });

    const response = await post(server, CHAT, openaiBody());

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('sends one stream event with invalid JSON, named for Anthropic', async () => {
    server.enqueue({ kind: 'malformed-json' }, { kind: 'malformed-json' });

    const [openai] = await readEvents(await post(server, CHAT, openaiBody({ stream: true })));
    const [anthropic] = await readEvents(await post(server, MESSAGES, anthropicBody({ stream: true })));

    expect(openai?.event).toBeNull();
    expect(() => JSON.parse(openai?.data ?? '')).toThrow(SyntaxError);
    expect(anthropic?.event).toBe('message_start');
    expect(() => JSON.parse(anthropic?.data ?? '')).toThrow(SyntaxError);
  });
});
