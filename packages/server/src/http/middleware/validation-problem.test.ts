import { createRoute, OpenAPIHono, z as openapiZ } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorHandler } from './error-handler.js';
import { jsonPointer, validationProblem } from './validation-problem.js';

const startRun = z
  .object({
    agent: z.string(),
    input: z.string().min(1),
    metadata: z.object({ tags: z.array(z.string()) }).optional(),
  })
  .strict();

describe('validationProblem', () => {
  it('turns each zod issue into a JSON pointer and a message, without zod internals', () => {
    const result = startRun.safeParse({ agent: 'a', input: 42, metadata: { tags: ['x', 7] }, extra: true });
    if (result.success) throw new Error('expected a failure');

    const problem = validationProblem(result.error, 'json');

    expect(problem).toMatchObject({ status: 400, code: 'validation-failed' });
    expect(problem.errors).toEqual([
      { path: '/input', message: expect.stringMatching(/expected string/) },
      { path: '/metadata/tags/1', message: expect.any(String) },
      { path: '', message: expect.stringContaining('extra') },
    ]);
    expect(problem.detail).toMatch(/^The request body is invalid \(\/input: .+\) \(and 2 more\)\./);
    const serialised = JSON.stringify(problem.toBody('r', '/v1/runs'));
    expect(serialised).not.toContain('invalid_type');
    expect(serialised).not.toContain('"expected"');
    expect(serialised).not.toContain('"received"');
  });

  it('names the query string and the root', () => {
    const result = z.string().safeParse(1);
    if (result.success) throw new Error('expected a failure');

    const problem = validationProblem(result.error, 'query');

    expect(problem.detail).toMatch(/^The query string is invalid \(\/: /);
    expect(problem.errors).toEqual([{ path: '', message: expect.any(String) }]);
  });

  it('says "request" for an unknown or missing target, and handles an error without issues', () => {
    expect(validationProblem({ issues: [] }).detail).toBe(
      'The request is invalid. See errors for every problem.',
    );
    expect(validationProblem({ issues: [] }, 'body').detail).toMatch(/^The request is invalid/);
  });

  it('keeps at most 20 errors and shortens long messages', () => {
    const issues = Array.from({ length: 25 }, (_, index) => ({ path: [index], message: 'x'.repeat(400) }));

    const problem = validationProblem({ issues });

    expect(problem.errors).toHaveLength(20);
    expect(problem.errors?.[0]?.message).toHaveLength(300);
    expect(problem.detail).toContain('(and 24 more)');
  });

  it('fills in an empty message', () => {
    expect(validationProblem({ issues: [{ path: ['a'], message: '' }] }).errors).toEqual([
      { path: '/a', message: 'Invalid value' },
    ]);
  });
});

describe('jsonPointer', () => {
  it('escapes ~ and / and names symbols by their description', () => {
    expect(jsonPointer(['a/b', 'c~d', 0, Symbol('s')])).toBe('/a~1b/c~0d/0/s');
    expect(jsonPointer([])).toBe('');
  });
});

describe('validationProblem as the OpenAPIHono defaultHook', () => {
  it('answers 400 application/problem+json with field errors', async () => {
    const app = new OpenAPIHono({
      defaultHook: (result) => {
        if (!result.success) throw validationProblem(result.error, result.target);
      },
    });
    app.openapi(
      createRoute({
        method: 'post',
        path: '/v1/runs',
        request: {
          body: {
            content: { 'application/json': { schema: openapiZ.object({ input: openapiZ.string().min(1) }) } },
          },
        },
        responses: { 200: { description: 'ok' } },
      }),
      (c) => c.json({ ok: true }, 200),
    );
    app.onError(errorHandler({ error: () => {}, warn: () => {} }));

    const response = await app.request('/v1/runs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ input: '' }),
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as { code: string; errors: { path: string; message: string }[] };
    expect(body.code).toBe('validation-failed');
    expect(body.errors).toEqual([{ path: '/input', message: expect.any(String) }]);
    expect(JSON.stringify(body)).not.toContain('too_small');
  });
});
