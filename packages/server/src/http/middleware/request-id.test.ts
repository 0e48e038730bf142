import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { requestId } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function app() {
  const hono = new Hono();
  hono.use(requestId());
  hono.get('/id', (c) => c.text(c.get('requestId')));
  hono.get('/own-response', () => new Response('raw', { headers: { 'x-other': '1' } }));
  hono.get('/boom', () => {
    throw new Error('boom');
  });
  hono.onError((_error, c) => c.text('failed', 500));
  return hono;
}

describe('requestId', () => {
  it('accepts a well-formed X-Request-Id and echoes it', async () => {
    const response = await app().request('/id', { headers: { 'X-Request-Id': 'edge-1.a:b_c-2' } });

    expect(await response.text()).toBe('edge-1.a:b_c-2');
    expect(response.headers.get('x-request-id')).toBe('edge-1.a:b_c-2');
  });

  it('replaces an X-Request-Id with unsafe characters by a UUID', async () => {
    const response = await app().request('/id', { headers: { 'X-Request-Id': 'bad id\twith "quotes"' } });

    const id = await response.text();
    expect(id).toMatch(UUID);
    expect(response.headers.get('x-request-id')).toBe(id);
  });

  it('replaces an X-Request-Id longer than 128 characters', async () => {
    const response = await app().request('/id', { headers: { 'X-Request-Id': 'a'.repeat(129) } });

    expect(await response.text()).toMatch(UUID);
  });

  it('accepts one of exactly 128 characters', async () => {
    const response = await app().request('/id', { headers: { 'X-Request-Id': 'a'.repeat(128) } });

    expect(await response.text()).toBe('a'.repeat(128));
  });

  it('generates a different UUID for each request without one', async () => {
    const first = await (await app().request('/id')).text();
    const second = await (await app().request('/id')).text();

    expect(first).toMatch(UUID);
    expect(second).not.toBe(first);
  });

  it('sets the header on a Response the handler built itself and on error responses', async () => {
    const own = await app().request('/own-response', { headers: { 'X-Request-Id': 'r-1' } });
    const failed = await app().request('/boom', { headers: { 'X-Request-Id': 'r-2' } });

    expect(own.headers.get('x-request-id')).toBe('r-1');
    expect(own.headers.get('x-other')).toBe('1');
    expect(failed.status).toBe(500);
    expect(failed.headers.get('x-request-id')).toBe('r-2');
  });
});
