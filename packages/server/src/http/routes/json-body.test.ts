import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { HttpProblem } from '../http-problem.js';
import { jsonBody } from './json-body.js';

function app() {
  const hono = new Hono();
  hono.onError((error, c) =>
    error instanceof HttpProblem
      ? c.json({ status: error.status, code: error.code, detail: error.detail }, 400)
      : c.text('boom', 500),
  );
  hono.post('/', jsonBody(), async (c) => c.json(await c.req.json()));
  return hono;
}

// Bytes, so that no Content-Type is implied when none is given.
const post = (body: string, contentType?: string) =>
  app().request('/', {
    method: 'POST',
    body: new TextEncoder().encode(body),
    ...(contentType !== undefined ? { headers: { 'Content-Type': contentType } } : {}),
  });

describe('jsonBody', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/merge-patch+json',
    'APPLICATION/JSON',
  ])('passes a JSON body sent as %s', async (contentType) => {
    const response = await post('{"a":1}', contentType);

    expect(await response.json()).toEqual({ a: 1 });
  });

  it.each([
    ['text/plain', /got "text\/plain"/],
    ['application/jsonx', /got/],
    [undefined, /Content-Type: application\/json\.$/],
  ])('answers 415 for Content-Type %s', async (contentType, detail) => {
    const response = await post('{"a":1}', contentType);

    const problem = (await response.json()) as { status: number; detail: string };
    expect(problem.status).toBe(415);
    expect(problem.detail).toMatch(detail);
  });

  it('answers 400 invalid-json for a body that does not parse', async () => {
    const response = await post('{"a":', 'application/json');

    expect(await response.json()).toMatchObject({ status: 400, code: 'invalid-json' });
  });
});
