import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bodyLimit, DEFAULT_BODY_LIMIT_BYTES } from './body-limit.js';
import { errorHandler } from './error-handler.js';

function app(maxBytes?: number) {
  const hono = new Hono();
  hono.use(bodyLimit(maxBytes));
  hono.post('/echo', async (c) => c.text(String((await c.req.text()).length)));
  hono.onError(errorHandler({ error: () => {}, warn: () => {} }));
  return hono;
}

function chunked(chunks: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent === chunks) {
        controller.close();
        return;
      }
      sent++;
      controller.enqueue(new Uint8Array(size).fill(97));
    },
  });
}

describe('bodyLimit', () => {
  it('passes a body within the limit through to the handler', async () => {
    const response = await app(10).request('/echo', { method: 'POST', body: 'x'.repeat(10) });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('10');
  });

  it('refuses a body whose Content-Length is over the limit with 413 payload-too-large', async () => {
    const response = await app(10).request('/echo', { method: 'POST', body: 'x'.repeat(11) });

    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      status: 413,
      code: 'payload-too-large',
      detail: expect.stringContaining('10 bytes'),
    });
  });

  it('refuses a chunked body without Content-Length once it passes the limit', async () => {
    const body = chunked(100, 1024);
    const request = new Request('http://localhost/echo', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(request.headers.has('content-length')).toBe(false);

    const response = await app(4096).request(request);

    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'payload-too-large' });
  });

  it('passes a chunked body within the limit through whole', async () => {
    const request = new Request('http://localhost/echo', {
      method: 'POST',
      body: chunked(4, 1000),
      duplex: 'half',
    } as RequestInit);

    const response = await app(4096).request(request);

    expect(await response.text()).toBe('4000');
  });

  it('defaults to 1 MiB', async () => {
    const response = await app().request('/echo', {
      method: 'POST',
      body: 'x'.repeat(DEFAULT_BODY_LIMIT_BYTES + 1),
    });

    expect(DEFAULT_BODY_LIMIT_BYTES).toBe(1_048_576);
    expect(response.status).toBe(413);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => bodyLimit(0)).toThrow(RangeError);
    expect(() => bodyLimit(1.5)).toThrow(/positive integer/);
  });
});
