import { afterAll, describe, expect, it } from 'vitest';
import { createHarness, KEYS } from './support/harness.js';

const harness = await createHarness();
afterAll(() => harness.close());

interface ToolsDocument {
  openapi: string;
  paths: Record<
    string,
    { post: { operationId: string; requestBody: { content: Record<string, { schema: unknown }> } } }
  >;
  components: { schemas: Record<string, Record<string, unknown>> };
}

describe('GET /v1/tools', () => {
  it('is one OpenAPI 3.1 document with a POST operation per tool and its input schema', async () => {
    const response = await harness.request('/v1/tools', { key: KEYS.acmeReader });

    expect(response.status).toBe(200);
    const document = (await response.json()) as ToolsDocument;
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/v1/tools/calculator',
      '/v1/tools/current_time',
      '/v1/tools/http_fetch',
      '/v1/tools/word_count',
    ]);
    const wordCount = document.paths['/v1/tools/word_count']?.post;
    expect(wordCount?.operationId).toBe('word_count');
    const ref = wordCount?.requestBody.content['application/json']?.schema as { $ref: string };
    const schema = document.components.schemas[ref.$ref.split('/').at(-1) ?? ''];
    expect(schema).toMatchObject({ type: 'object', required: ['text'] });
  });
});

describe('POST /v1/tools/{tool}', () => {
  const call = (tool: string, json: unknown, key: string = KEYS.acmeTools) =>
    harness.request(`/v1/tools/${tool}`, { method: 'POST', key, json });

  it('runs the tool with the body as its input and answers with its output', async () => {
    const response = await call('calculator', { expression: '(2 + 3) * 4' });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ expression: '(2 + 3) * 4', result: 20 });
    const word = await call('word_count', { text: 'one two three' }, KEYS.admin);
    expect(await word.json()).toEqual({ words: 3, characters: 13 });
  });

  it('answers 422 with what is wrong for input that breaks the schema, as the model would be told', async () => {
    const response = await call('word_count', { txt: 'x' });

    expect(response.status).toBe(422);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe('tool-input-invalid');
    expect(problem.detail).toContain('text');
  });

  it('answers 422 tool-refused when a guard refuses, naming why', async () => {
    const response = await call('http_fetch', { url: 'http://169.254.169.254/latest/meta-data/' });

    expect(response.status).toBe(422);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe('tool-refused');
    expect(problem.detail).toMatch(/169\.254\.169\.254/);
  });

  it('answers 404 for an unknown tool or version, pointing at GET /v1/tools', async () => {
    for (const tool of ['nope', 'calculator@^9']) {
      const response = await call(tool, {});
      expect(response.status).toBe(404);
      const problem = (await response.json()) as { code: string; detail: string };
      expect(problem.code).toBe('tool-not-found');
      expect(problem.detail).toContain('GET /v1/tools');
    }
  });

  it('logs each call with the tool, the caller and the outcome', async () => {
    await call('calculator', { expression: '1/0' });

    const line = harness.logs.findLast((entry) => entry.message === 'tool called over HTTP');
    expect(line?.fields).toMatchObject({
      tool: 'calculator',
      ok: false,
      code: 'TOOL_INPUT_INVALID',
      subject: 'acme-tools',
    });
  });
});
