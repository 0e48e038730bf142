import { afterAll, describe, expect, it } from 'vitest';
import { UNDOCUMENTED_PATHS } from '../src/http/routes/docs.js';
import { createHarness } from './support/harness.js';
import { fetchOpenApi, operationsOf, resolveRef } from './support/openapi.js';

const harness = await createHarness({
  app: {
    dashboard: (app) => {
      app.get('/dashboard', (c) => c.html('<!doctype html><title>dashboard</title>'));
      app.get('/dashboard/*', (c) => c.text('asset'));
    },
  },
});
afterAll(() => harness.close());
const document = await fetchOpenApi(harness);
const operations = operationsOf(document);

/** Routes that are not API operations, so not in the document: the docs page, its assets and the document itself, and the dashboard. */
const isExempt = (path: string): boolean =>
  UNDOCUMENTED_PATHS.includes(path) || /^\/dashboard(\/.*)?$/.test(path);

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with bearer and X-API-Key security schemes', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      apiKeyHeader: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
    });
  });

  it('documents every route the router serves, except the exempt ones, and nothing else', () => {
    const routed = new Set(
      harness.app.routes
        .filter((route) => route.method !== 'ALL')
        .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(operations.map(({ method, path }) => `${method} ${path}`));

    const undocumented = [...routed].filter(
      (route) => !documented.has(route) && !isExempt(route.split(' ')[1] as string),
    );
    expect(undocumented).toEqual([]);
    expect([...documented].filter((operation) => !routed.has(operation))).toEqual([]);
    expect(routed.has('GET /dashboard')).toBe(true);
  });

  it.each(operations.map((entry) => [`${entry.method} ${entry.path}`, entry] as const))(
    '%s has an id, summary, tag, security and problem responses',
    (_name, { operation }) => {
      expect(operation.operationId).toEqual(expect.any(String));
      expect(operation.summary).toEqual(expect.any(String));
      expect(operation.tags?.length).toBeGreaterThan(0);
      expect(operation.security).toBeDefined();
      const statuses = Object.keys(operation.responses);
      expect(statuses.some((status) => status.startsWith('2'))).toBe(true);
      expect(statuses).toContain('500');
      if ((operation.security ?? []).length > 0)
        expect(statuses).toEqual(expect.arrayContaining(['401', '403', '429']));
      if ((operation.parameters ?? []).length > 0 || operation.requestBody) expect(statuses).toContain('400');
      if (operation.requestBody) expect(statuses).toEqual(expect.arrayContaining(['413', '415']));
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(response.description).not.toBe('');
        if (Number(status) < 400 || operation.operationId === 'ready') continue;
        expect(Object.keys(response.content ?? {})).toEqual(['application/problem+json']);
        const schema = resolveRef(document, response.content?.['application/problem+json']?.schema ?? {});
        expect(schema.required).toEqual(['type', 'title', 'status', 'detail', 'code']);
      }
    },
  );

  it('names the scope each protected operation needs', () => {
    const scopes = Object.fromEntries(
      operations
        .filter(({ operation }) => (operation.security ?? []).length > 0)
        .map(({ method, path, operation }) => [`${method} ${path}`, operation.security?.[0]?.bearerAuth]),
    );

    expect(scopes).toEqual({
      'POST /v1/agents/{agent}/runs': ['runs:write'],
      'GET /v1/runs': ['runs:read'],
      'GET /v1/runs/{id}': ['runs:read'],
      'GET /v1/runs/{id}/events': ['runs:read'],
      'POST /v1/runs/{id}/cancel': ['runs:write'],
      'GET /v1/events': ['runs:read'],
      'GET /v1/agents': ['runs:read'],
      'GET /v1/tools': ['runs:read'],
      'POST /v1/tools/{tool}': ['tools:call'],
    });
  });

  it('explains why a failed run is a 200 and that a disconnect does not cancel it', () => {
    const start = document.paths['/v1/agents/{agent}/runs']?.post;

    expect(start?.description).toMatch(/failed.*200|200.*failed/s);
    expect(start?.description).toMatch(/does \*\*not\*\* cancel the run/);
  });

  it('is served as JSON and built once', async () => {
    const first = await harness.request('/v1/openapi.json');
    const second = await harness.request('/v1/openapi.json');

    expect(first.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(await first.text()).toBe(await second.text());
  });
});

describe('the dashboard hook', () => {
  it('mounts the dashboard routes on the app', async () => {
    const response = await harness.request('/dashboard');

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('dashboard');
  });
});

describe('/docs', () => {
  it('is a page that loads only same-origin files and no inline script or style', async () => {
    const response = await harness.request('/docs');
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(response.headers.get('Content-Security-Policy')).toMatch(/script-src 'self'/);
    expect(html).toMatch(/<script src="\/docs\/app\.js" defer><\/script>/);
    expect(html).toMatch(/<link rel="stylesheet" href="\/docs\/app\.css">/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it.each([
    ['/docs/app.js', /^text\/javascript/],
    ['/docs/app.css', /^text\/css/],
  ])('serves %s from the same origin with no external reference', async (path, contentType) => {
    const response = await harness.request(path);
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(contentType);
    expect(text).not.toMatch(/https?:\/\/(?!agent-sdk\.dev)/);
    expect(text).not.toMatch(/\beval\(|new Function|innerHTML|@import|url\(/);
  });
});
