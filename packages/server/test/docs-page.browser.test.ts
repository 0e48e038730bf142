// The /docs page in real headless Chromium against the real app on a loopback port, under the
// app's own Content-Security-Policy ('self' only): it must load, render every operation with its
// parameters, body and responses, and trigger no CSP violation or script error.
//
// Chromium: AGENT_TEST_CHROMIUM, else /usr/bin/chromium (Debian's `chromium` package). The suite
// fails, never skips, when it is missing.
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';
import { fetchOpenApi, operationsOf } from './support/openapi.js';

const CHROMIUM = process.env.AGENT_TEST_CHROMIUM ?? '/usr/bin/chromium';
const WAIT_MS = 10_000;

let harness: Harness;
let server: ServerType;
let base: string;
let browser: Browser;

beforeAll(async () => {
  harness = await createHarness();
  await new Promise<void>((resolve, reject) => {
    server = serve({ fetch: harness.app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
    server.once('error', reject);
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 30_000 });
}, 45_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await harness.close();
});

describe('/docs in a browser', () => {
  it('renders every operation under a self-only CSP without errors', async () => {
    const operations = operationsOf(await fetchOpenApi(harness));
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(base)) external.push(request.url());
    });

    const response = await page.goto(`${base}/docs`);
    await page.waitForSelector('#operations[data-ready="true"]', { timeout: WAIT_MS });

    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    expect(await page.locator('details.operation').count()).toBe(operations.length);
    for (const { method, path, operation } of operations) {
      const view = page.locator(
        `details.operation[data-method="${method.toLowerCase()}"][data-path="${path}"]`,
      );
      await expect(view.count()).resolves.toBe(1);
      const text = await view.textContent();
      expect(text).toContain(operation.summary as string);
      for (const status of Object.keys(operation.responses)) {
        await expect(view.locator(`section.response[data-status="${status}"]`).count()).resolves.toBe(1);
      }
      for (const parameter of operation.parameters ?? []) expect(text).toContain(parameter.name);
      if (operation.requestBody) expect(text).toContain('Request body');
    }
    // Schemas as formatted JSON, with $refs resolved: the problem shape is spelled out.
    const problemSchema = await page
      .locator('details.operation[data-path="/v1/runs/{id}"] section.response[data-status="404"] pre')
      .textContent();
    expect(JSON.parse(problemSchema ?? '')).toMatchObject({
      title: 'Problem',
      required: ['type', 'title', 'status', 'detail', 'code'],
    });
    expect(problems).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  });

  it('filters operations as the reader types', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/docs`);
    await page.waitForSelector('#operations[data-ready="true"]', { timeout: WAIT_MS });

    await page.fill('#filter', 'cancel');

    expect(await page.locator('details.operation:not(.hidden)').count()).toBe(1);
    expect(await page.locator('details.operation:not(.hidden) .path').textContent()).toBe(
      '/v1/runs/{id}/cancel',
    );
    await page.close();
  });
});
