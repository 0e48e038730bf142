import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  anthropicBody,
  chat,
  type ErrorBody,
  messages,
  openaiBody,
  post,
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

describe('startFakeLlmServer', () => {
  it('listens on 127.0.0.1 and derives each SDK base URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.openaiBaseURL).toBe(`${server.url}/v1`);
    expect(server.anthropicBaseURL).toBe(server.url);
  });

  it('answers from one queue, first in first out, whichever endpoint is called', async () => {
    server.enqueue({ kind: 'text', text: 'first' }, { kind: 'text', text: 'second' });
    expect(server.pending).toBe(2);

    const anthropic = await messages(server, anthropicBody());
    const openai = await chat(server, openaiBody());

    expect(anthropic.content[0]?.text).toBe('first');
    expect(openai.choices[0]?.message.content).toBe('second');
    expect(server.pending).toBe(0);
  });

  it('records every request with provider, lower-case headers, parsed body and stream flag', async () => {
    server.enqueue({ kind: 'text', text: 'a' }, { kind: 'text', text: 'b' });

    await (await post(server, `${CHAT}?api-version=1`, openaiBody({ stream: true }))).text();
    await (await post(server, MESSAGES, anthropicBody())).text();

    const [openai, anthropic] = server.requests;
    expect(openai).toEqual({
      provider: 'openai',
      method: 'POST',
      path: CHAT,
      headers: expect.objectContaining({ authorization: 'Bearer test-key' }),
      body: openaiBody({ stream: true }),
      stream: true,
    });
    expect(openai?.bodyAs<{ model: string }>().model).toBe('gpt-test');
    expect(anthropic).toMatchObject({ provider: 'anthropic', path: MESSAGES, stream: false });
  });

  it('keeps a body that is not JSON as text, and an empty body as undefined', async () => {
    await fetch(`${server.url}${CHAT}`, { method: 'POST', body: 'not json' });
    await fetch(`${server.url}/v1/models`);

    expect(server.requests.map((request) => request.body)).toEqual(['not json', undefined]);
  });

  it('answers 418 naming the endpoint when no reply is scripted, in the vendor error format', async () => {
    const openai = await post(server, CHAT, openaiBody());
    const anthropic = await post(server, MESSAGES, anthropicBody());

    expect(openai.status).toBe(418);
    expect((await readJson<ErrorBody>(openai)).error.message).toBe(
      'fake-llm-server: no scripted reply for POST /v1/chat/completions (enqueue one)',
    );
    expect(anthropic.status).toBe(418);
    expect(await anthropic.json()).toMatchObject({
      type: 'error',
      error: { message: 'fake-llm-server: no scripted reply for POST /v1/messages (enqueue one)' },
    });
  });

  it('answers 404 in the OpenAI error format for unknown paths and methods', async () => {
    server.enqueue({ kind: 'text', text: 'unused' });

    const unknown = await fetch(`${server.url}/v1/embeddings`, { method: 'POST', body: '{}' });
    const wrongMethod = await fetch(`${server.url}${CHAT}`);

    expect(unknown.status).toBe(404);
    expect((await readJson<ErrorBody>(unknown)).error).toMatchObject({ type: 'invalid_request_error' });
    expect(wrongMethod.status).toBe(404);
    expect(server.pending).toBe(1);
  });

  it('counts tokens as a quarter of the characters of messages, system and tools, without using the queue', async () => {
    server.enqueue({ kind: 'text', text: 'unused' });
    const body = {
      model: 'claude-test',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hello' }],
    };
    const expected = Math.ceil(
      (JSON.stringify(body.messages).length + JSON.stringify(body.system).length) / 4,
    );

    const response = await post(server, '/v1/messages/count_tokens', body);
    const empty = await fetch(`${server.url}/v1/messages/count_tokens`, { method: 'POST' });

    expect(await response.json()).toEqual({ input_tokens: expected });
    expect(await empty.json()).toEqual({ input_tokens: 0 });
    expect(server.pending).toBe(1);
    expect(server.requests[0]?.provider).toBe('anthropic');
  });

  it('computes a reply from the request when given a function', async () => {
    server.enqueue((request) => ({
      kind: 'text',
      text: `you sent ${request.bodyAs<{ model: string }>().model}`,
    }));

    const body = await chat(server, openaiBody());

    expect(body.choices[0]?.message.content).toBe('you sent gpt-test');
  });

  it('answers 500 when a computed reply throws', async () => {
    server.enqueue(() => {
      throw new Error('test bug');
    });

    const response = await post(server, CHAT, openaiBody());

    expect(response.status).toBe(500);
    expect((await readJson<ErrorBody>(response)).error.message).toContain('test bug');
  });

  it('reset clears the queue, the recorded requests and the id counters', async () => {
    server.enqueue({ kind: 'text', text: 'a' });
    await (await post(server, CHAT, openaiBody())).text();
    server.enqueue({ kind: 'text', text: 'unused' });

    server.reset();
    server.enqueue({ kind: 'tool-calls', calls: [{ name: 'add', arguments: {} }] });
    const body = await chat(server, openaiBody());

    expect(server.requests).toHaveLength(1);
    expect(body.id).toBe('chatcmpl-1');
    expect(body.choices[0]?.message.tool_calls?.[0]?.id).toBe('call_1');
  });

  it('close ends a hanging request instead of waiting for it', async () => {
    const own = await startFakeLlmServer();
    own.enqueue(
      { kind: 'hang' },
      {
        kind: 'slow-first-byte',
        delayMs: 60_000,
        // biome-ignore lint/suspicious/noThenProperty: the FakeReply contract names the delayed reply `then`.
        then: { kind: 'text', text: 'x' },
      },
    );
    const hanging = post(own, CHAT, openaiBody()).then(
      () => 'answered',
      () => 'failed',
    );
    const slow = post(own, MESSAGES, anthropicBody()).then(
      () => 'answered',
      () => 'failed',
    );
    while (own.requests.length < 2) await new Promise((resolve) => setImmediate(resolve));

    const started = performance.now();
    await own.close();

    expect(performance.now() - started).toBeLessThan(1000);
    expect(await hanging).toBe('failed');
    expect(await slow).toBe('failed');
  });
});

describe('requests that outlive their test', () => {
  it('does not let a request that arrived before reset() consume a reply scripted after it', async () => {
    const server = await startFakeLlmServer();
    try {
      let bodyController: ReadableStreamDefaultController<Uint8Array> | undefined;
      const encoder = new TextEncoder();
      const early = fetch(`${server.openaiBaseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream<Uint8Array>({
          start: (controller) => {
            bodyController = controller;
            controller.enqueue(encoder.encode('{"model":'));
          },
        }),
        duplex: 'half',
      } as RequestInit).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 20));

      // The next test starts while the old request is still arriving.
      server.reset();
      server.enqueue({ kind: 'text', text: 'for the next test' });
      bodyController?.enqueue(encoder.encode('"gpt-4o-mini","messages":[]}'));
      bodyController?.close();
      await early;

      expect(server.pending).toBe(1);
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
