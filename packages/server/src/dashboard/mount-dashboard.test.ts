import { readdirSync, readFileSync } from 'node:fs';
import { ConfigError } from '@agent/core';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_CSP, loadDashboardAssets, mountDashboard } from './mount-dashboard.js';

const assetsDir = new URL('./assets/', import.meta.url);
const readAsset = (name: string) => readFileSync(new URL(name, assetsDir), 'utf8');

function dashboardApp(options?: Parameters<typeof mountDashboard>[1]) {
  const app = new Hono();
  app.notFound((c) => c.json({ code: 'not-found' }, 404));
  mountDashboard(app, options);
  return app;
}

describe('mountDashboard', () => {
  const app = dashboardApp();

  it.each(['/dashboard', '/dashboard/'])('serves the page at %s, uncached, with its CSP', async (path) => {
    const response = await app.request(path);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{32}"$/);
    expect(response.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).toContain('<title>Agent dashboard</title>');
    expect(Number(response.headers.get('content-length'))).toBe(new TextEncoder().encode(html).byteLength);
  });

  it.each([
    ['/dashboard/app.js', 'text/javascript; charset=utf-8', 'app.js'],
    ['/dashboard/app.css', 'text/css; charset=utf-8', 'app.css'],
    ['/dashboard/favicon.svg', 'image/svg+xml; charset=utf-8', 'favicon.svg'],
  ])('serves %s as %s with a short max-age', async (path, contentType, file) => {
    const response = await app.request(path);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('etag')).toMatch(/^"[\w-]{32}"$/);
    expect(await response.text()).toBe(readAsset(file));
  });

  it('answers 304 to a matching If-None-Match (weak, listed or *) and 200 to a stale one', async () => {
    const etag = (await app.request('/dashboard/app.js')).headers.get('etag') ?? '';

    for (const ifNoneMatch of [etag, `W/${etag}`, `"stale", ${etag}`, '*']) {
      const response = await app.request('/dashboard/app.js', { headers: { 'if-none-match': ifNoneMatch } });
      expect(response.status, ifNoneMatch).toBe(304);
      expect(response.headers.get('etag')).toBe(etag);
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      expect(await response.text()).toBe('');
    }
    const stale = await app.request('/dashboard/app.js', { headers: { 'if-none-match': '"stale"' } });
    expect(stale.status).toBe(200);
  });

  it('gives each asset its own ETag, stable across mounts', async () => {
    const tags = await Promise.all(
      ['/dashboard', '/dashboard/app.js', '/dashboard/app.css'].map(async (path) =>
        (await app.request(path)).headers.get('etag'),
      ),
    );
    const again = await dashboardApp().request('/dashboard/app.css');

    expect(new Set(tags).size).toBe(3);
    expect(again.headers.get('etag')).toBe(tags[2]);
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await app.request('/dashboard/app.css', { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await response.text()).toBe('');
  });

  it.each([
    ['GET', '/dashboard/nope.js'],
    ['GET', '/dashboard/assets/app.js'],
    ['GET', '/dashboard/app.js/more'],
    ['GET', '/dashboard/index.html'],
    ['GET', '/dashboard/%2e%2e/package.json'],
    ['POST', '/dashboard/app.js'],
    ['DELETE', '/dashboard/'],
  ])("answers %s %s with the app's 404", async (method, path) => {
    const response = await app.request(path, { method });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: 'not-found' });
  });

  it('leaves paths outside the base path alone', async () => {
    const shared = dashboardApp();
    shared.get('/dashboards', (c) => c.text('other'));
    shared.get('/v1/runs', (c) => c.json({ runs: [] }));

    expect(await (await shared.request('/dashboards')).text()).toBe('other');
    expect(await (await shared.request('/v1/runs')).json()).toEqual({ runs: [] });
  });

  it('serves under another base path, and the page refers to its assets there with a content hash', async () => {
    const custom = dashboardApp({ basePath: '/ops/dashboard/' });

    const html = await (await custom.request('/ops/dashboard')).text();
    const script = await custom.request('/ops/dashboard/app.js');
    const scriptHash = (script.headers.get('etag') ?? '').slice(1, 13);

    expect(script.status).toBe(200);
    expect(html).toContain(`src="/ops/dashboard/app.js?v=${scriptHash}"`);
    expect(html).not.toContain('"/dashboard/');
    expect((await custom.request('/dashboard')).status).toBe(404);
  });

  it('links only assets it serves (with their hash) from the page', async () => {
    const html = await (await app.request('/dashboard')).text();
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');

    expect(references.length).toBeGreaterThanOrEqual(3);
    for (const reference of references) {
      const url = new URL(reference, 'http://localhost/dashboard/');
      expect(url.pathname, reference).toMatch(/^\/dashboard\/[\w.-]+$/);
      expect(url.searchParams.get('v'), reference).toMatch(/^[\w-]{12}$/);
      expect((await app.request(url.pathname)).status, reference).toBe(200);
    }
  });

  it.each(['', '/', 'dashboard', '/a b', '/x/../y', '//dashboard'])(
    'refuses the base path %j',
    (basePath) => {
      expect(() => mountDashboard(new Hono(), { basePath })).toThrow(ConfigError);
    },
  );

  it('says how to fix missing assets', () => {
    expect(() => loadDashboardAssets(new URL('./no-such-folder/', assetsDir))).toThrow(
      /cannot be read\. Building @agent\/server copies src\/dashboard\/assets to dist\/dashboard\/assets/,
    );
  });
});

describe('dashboard assets under a strict CSP (default-src self, no inline code)', () => {
  const html = readAsset('index.html');
  const names = readdirSync(assetsDir);

  it('has no inline script, style, handler or javascript: URL in index.html', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
  });

  it('loads nothing from another origin in any asset', () => {
    expect(names.sort()).toEqual(['app.css', 'app.js', 'favicon.svg', 'index.html']);
    for (const name of names) {
      // The SVG namespace is an identifier, never fetched.
      const text = readAsset(name).replaceAll('xmlns="http://www.w3.org/2000/svg"', '');
      expect(text, name).not.toMatch(/\bhttps?:\/\//i);
      expect(text, name).not.toMatch(/(?:src|href|action)\s*=\s*["']?\/\//i);
      expect(text, name).not.toMatch(/url\(\s*['"]?(?!#)[^)]*\)/i);
      expect(text, name).not.toMatch(/@import/i);
      expect(text, name).not.toMatch(/['"(]\s*data:[a-z]+\//i);
    }
  });

  it('renders server data as text: no HTML parsing, eval or inline style strings in app.js', () => {
    const script = readAsset('app.js');

    expect(script).not.toMatch(
      /\.(?:innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|createContextualFragment/,
    );
    expect(script).not.toMatch(/\beval\(|new Function\(|setTimeout\(\s*['"`]/);
    expect(script).not.toMatch(/setAttribute\(\s*['"]style['"]|setAttribute\(\s*['"]on/);
    expect(script).not.toMatch(/new EventSource\b/);
    expect(script).toContain("'/v1'");
  });
});
