import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { cors } from './cors.js';
import { errorHandler } from './error-handler.js';
import { requestId } from './request-id.js';

function app(origins: string[]) {
  const hono = new Hono();
  hono.use(requestId(), cors(origins));
  hono.get('/v1/runs', (c) => c.json([]));
  hono.get('/v1/fail', () => {
    throw new Error('boom');
  });
  hono.onError(errorHandler({ error: () => {}, warn: () => {} }));
  return hono;
}

const allowed = 'https://app.example.com';

describe('cors', () => {
  it('allows a configured origin without credentials and exposes X-Request-Id and Retry-After', async () => {
    const response = await app([allowed]).request('/v1/runs', { headers: { Origin: allowed } });

    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('access-control-expose-headers')).toBe('X-Request-Id,Retry-After');
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('gives another origin no Access-Control-Allow-Origin', async () => {
    const hono = app([allowed]);

    const other = await hono.request('/v1/runs', { headers: { Origin: 'https://evil.example' } });
    const lookalike = await hono.request('/v1/runs', { headers: { Origin: `${allowed}.evil.example` } });

    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(lookalike.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight from a configured origin with the methods and headers the API takes', async () => {
    const response = await app([allowed]).request('/v1/runs', {
      method: 'OPTIONS',
      headers: {
        Origin: allowed,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect(response.headers.get('access-control-allow-headers')).toContain('X-API-Key');
    expect(response.headers.get('access-control-max-age')).toBe('600');
  });

  it('answers a preflight from another origin without allowing it', async () => {
    const response = await app([allowed]).request('/v1/runs', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps the CORS headers on error responses, so browsers can read the problem', async () => {
    const response = await app([allowed]).request('/v1/fail', { headers: { Origin: allowed } });

    expect(response.status).toBe(500);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
  });

  it('ignores a trailing slash in a configured origin, and allows every origin for *', async () => {
    const slash = await app([`${allowed}/`]).request('/v1/runs', { headers: { Origin: allowed } });
    const any = await app(['*']).request('/v1/runs', { headers: { Origin: 'https://anyone.example' } });

    expect(slash.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(any.headers.get('access-control-allow-origin')).toBe('*');
  });
});
