// The dashboard in real headless Chromium against the real server app (runtime, auth, routes,
// SSE) on a loopback port. The model's answers wait on gates the test opens, so "live" is
// observed deterministically: the run is visibly running until the test lets it go on.
//
// Chromium: AGENT_TEST_CHROMIUM, else /usr/bin/chromium (Debian's `chromium` package). The suite
// fails, never skips, when it is missing.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type AgentConfigInput, agentConfigSchema, ModelError, type ModelResponse } from '@agent/core';
import { ScriptedModel, type ScriptedStep, textResponse, toolCallResponse } from '@agent/core/testing';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../auth/index.js';
import type { ServerRuntime } from '../contract.js';
import { createApp } from '../http/app.js';
import { createServerRuntime } from '../runtime/index.js';
import { mountDashboard } from './mount-dashboard.js';

const CHROMIUM = process.env.AGENT_TEST_CHROMIUM ?? '/usr/bin/chromium';
const KEY = 'agk_dashboard_test_key_0123456789abcdef';
/** Bound of every wait on the page. */
const WAIT_MS = 10_000;
const TEST_MS = 45_000;

/** A promise the test resolves: the model's answer waits on it. */
interface Gate {
  open(): void;
  readonly promise: Promise<void>;
}

function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, promise };
}

/** A scripted step that answers only once `when` is open. */
const after =
  (when: Gate, outcome: ModelResponse | Error): ScriptedStep =>
  async () => {
    await when.promise;
    return outcome;
  };

const withUsage = (response: ModelResponse, usage: ModelResponse['usage']): ModelResponse => ({
  ...response,
  usage,
});

interface TestServer {
  url: string;
  runtime: ServerRuntime;
  model: ScriptedModel;
  close(): Promise<void>;
}

async function startTestServer(auth: boolean): Promise<TestServer> {
  const config = agentConfigSchema.parse({
    models: { main: { provider: 'openai', model: 'gpt-test', apiKey: 'sk-unused' } },
    agents: {
      assistant: {
        model: 'main',
        instructions: 'Count words with the tool.',
        description: 'Counts words.',
        tools: ['word_count'],
      },
      helper: { model: 'main', instructions: 'Be brief.', description: 'Answers briefly.' },
    },
    server: auth
      ? {
          auth: {
            apiKeys: [{ name: 'dashboard', key: KEY, tenant: 'acme', scopes: ['runs:read', 'runs:write'] }],
          },
        }
      : {},
    observability: { logLevel: 'error', events: { store: 'memory' }, metrics: { enabled: false } },
  } satisfies AgentConfigInput);
  const model = new ScriptedModel([], { streamChunkSize: 4 });
  const runtime = await createServerRuntime(config, { cwd: process.cwd(), models: { main: model } });
  const app = createApp(runtime, createAuthenticator(config.server.auth), {
    dashboard: (target) => mountDashboard(target),
  });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const listening = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    model,
    async close() {
      await runtime.runs.drain(0);
      runtime.live.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await runtime.close({ graceMs: 0 });
    },
  };
}

let browser: Browser;

/** What the tests read of the page's globals (this file is typed without the DOM library). */
interface PageGlobals {
  sessionStorage: { getItem(key: string): string | null };
  dashboardMarker?: string;
}

const storedKey = (page: Page) =>
  page.evaluate(() =>
    (globalThis as unknown as PageGlobals).sessionStorage.getItem('agent-dashboard.api-key'),
  );

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM}: the dashboard's browser tests need it. Install Debian's chromium package (apt-get install chromium) or set AGENT_TEST_CHROMIUM to a Chromium or Chrome executable.`,
    );
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 30_000 });
}, 40_000);

afterAll(async () => {
  await browser?.close();
});

/**
 * A page at 1280x800 that records console errors and warnings, page errors and failed asset
 * requests in `problems`. Chromium logs every 401 answer as a console error; those go to
 * `refused` instead, so a test can count the refusals it expects (a wrong key, the probe for
 * anonymous access).
 */
async function openPage(): Promise<{ page: Page; problems: string[]; refused: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems: string[] = [];
  const refused: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    const text = `console ${message.type()}: ${message.text()}`;
    if (/Failed to load resource: .*status of 401\b/.test(message.text())) refused.push(text);
    else problems.push(text);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().includes('/v1/'))
      problems.push(`${response.status()} ${response.url()}`);
  });
  return { page, problems, refused };
}

/** Polls `read` until it satisfies `check`, for at most WAIT_MS. */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: WAIT_MS, interval: 50 });

describe('the dashboard with API keys', () => {
  let server: TestServer;
  let page: Page;
  let problems: string[];
  let refused: string[];
  let seededRunId: string;
  let toolRunId: string;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...init.headers },
      signal: AbortSignal.timeout(WAIT_MS),
    });
  const startRun = async (agent: string, input: string, mode: 'async' | 'wait') => {
    const response = await api(`/v1/agents/${agent}/runs`, {
      method: 'POST',
      body: JSON.stringify({ input, mode }),
    });
    expect(response.status, await response.clone().text()).toBe(mode === 'async' ? 202 : 200);
    return ((await response.json()) as { runId: string }).runId;
  };
  const row = (runId: string) => page.locator(`#runs-body tr[data-run-id="${runId}"]`);
  const rowText = async (runId: string, cell: number) =>
    (await row(runId).locator('td').nth(cell).textContent())?.trim();
  const timelineItems = (kind: string) => page.locator(`#timeline-events li[data-kind="${kind}"]`);
  const filter = (label: 'Agent' | 'Status') => page.getByRole('region', { name: 'Runs' }).getByLabel(label);

  beforeAll(async () => {
    server = await startTestServer(true);
    // One finished run before the page opens: listed from the store, replayed later.
    server.model.push(
      withUsage(textResponse('Hello from the store.'), { inputTokens: 40, outputTokens: 8, costUsd: 0.0002 }),
    );
    seededRunId = await startRun('helper', 'Say hello', 'wait');
    ({ page, problems, refused } = await openPage());
  }, TEST_MS);

  afterAll(async () => {
    await page?.context().close();
    await server?.close();
  });

  afterEach(() => {
    const seen = problems.splice(0);
    expect(seen, 'console errors, page errors or failed asset requests').toEqual([]);
  });

  it('asks for a key, refuses a wrong one, then lists the runs', { timeout: TEST_MS }, async () => {
    await page.goto(`${server.url}/dashboard`);

    await page.getByLabel('API key').waitFor();
    // Auth is on: the anonymous probe is refused, so there is no way in without a key.
    expect(await page.locator('#signin-anonymous').isHidden()).toBe(true);
    await page.getByLabel('API key').fill('agk_wrong_key_0000000000000000000000000');
    await page.getByRole('button', { name: 'Use this key' }).click();
    await eventually(() => page.locator('#signin-message').textContent()).toContain('refused');

    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Use this key' }).click();

    await row(seededRunId).waitFor();
    expect(await rowText(seededRunId, 1)).toBe('helper');
    expect(await rowText(seededRunId, 2)).toBe('completed');
    expect(await rowText(seededRunId, 3)).toBe('40 / 8');
    expect(await rowText(seededRunId, 4)).toBe('$0.0002');
    await eventually(() => page.locator('#live-status').textContent()).toBe('Live');
    expect(await storedKey(page)).toBe(KEY);
    expect(await page.locator('#start-agent option').allTextContents()).toEqual(['assistant', 'helper']);
    // The probe for anonymous access and the wrong key; nothing else was refused.
    expect(refused).toHaveLength(2);
  });

  it('shows a run started through the API live, step by step, until it completes', {
    timeout: TEST_MS,
  }, async () => {
    // A marker on window proves the page never reloads while the run shows up and progresses.
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).dashboardMarker = 'same page';
    });
    const toolTurn = gate();
    const answerTurn = gate();
    server.model.push(
      after(
        toolTurn,
        toolCallResponse(
          'word_count',
          { text: 'one two three' },
          {
            id: 'call_wc',
            usage: { inputTokens: 120, outputTokens: 30 },
          },
        ),
      ),
      after(
        answerTurn,
        withUsage(textResponse('There are three words.'), { inputTokens: 150, outputTokens: 12 }),
      ),
    );

    const runId = await startRun('assistant', 'How many words: one two three', 'async');
    toolRunId = runId;

    await row(runId).waitFor();
    expect(await rowText(runId, 2)).toBe('running');
    await row(runId)
      .getByRole('button', { name: `Open run ${runId}` })
      .click();
    await eventually(() =>
      page.locator('#timeline-events li[data-type="run.started"]').textContent(),
    ).toContain('How many words: one two three');
    await timelineItems('model').first().waitFor();
    expect(await timelineItems('model').first().getAttribute('data-state')).toBe('pending');

    toolTurn.open();
    const tool = timelineItems('tool').first();
    await eventually(() => tool.getAttribute('data-state')).toBe('done');
    expect(await tool.locator('.event-title').textContent()).toBe('word_count');
    expect(await tool.locator('[data-field="input"] pre').textContent()).toBe('{"text":"one two three"}');
    expect(await tool.locator('[data-field="output"] pre').textContent()).toContain('"words":3');
    const firstModel = timelineItems('model').first();
    expect(await firstModel.getAttribute('data-state')).toBe('done');
    expect(await firstModel.locator('.event-meta').textContent()).toMatch(
      /^\d+ ms · 120 in \/ 30 out tokens · tool-calls$/,
    );
    expect(await firstModel.locator('[data-field="calls"] pre').textContent()).toBe('word_count');
    // Still running: the second model call waits, and the list says so.
    await eventually(() => timelineItems('model').nth(1).getAttribute('data-state')).toBe('pending');
    expect(await rowText(runId, 2)).toBe('running');
    expect(await rowText(runId, 3)).toBe('120 / 30');

    answerTurn.open();
    await eventually(() => rowText(runId, 2)).toBe('completed');
    await eventually(() => rowText(runId, 3)).toBe('270 / 42');
    await eventually(() =>
      page.locator('#timeline-events li[data-type="run.completed"]').textContent(),
    ).toContain('There are three words.');
    expect(await timelineItems('model').nth(1).locator('[data-field="text"] pre').textContent()).toBe(
      'There are three words.',
    );
    await eventually(() => page.locator('#timeline-status').textContent()).toMatch(
      /^Run completed · \d+ events received\.$/,
    );
    expect(await page.locator('#timeline-summary').textContent()).toContain('How many words: one two three');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).dashboardMarker)).toBe(
      'same page',
    );
    expect(await page.locator('#total-runs').textContent()).toBe('2');
    expect(await page.locator('#total-input').textContent()).toBe('310');
    expect(await page.locator('#total-output').textContent()).toBe('50');
  });

  it('replays a finished run from the store after a reload', { timeout: TEST_MS }, async () => {
    await page.reload();

    // The key survives a reload (sessionStorage): no sign-in again.
    await row(seededRunId).waitFor();
    await row(seededRunId)
      .getByRole('button', { name: `Open run ${seededRunId}` })
      .click();

    await eventually(() => page.locator('#timeline-status').textContent()).toMatch(
      /^Run completed · 6 events replayed\.$/,
    );
    const types = await page
      .locator('#timeline-events li[data-type]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-type')));
    expect(types).toEqual([
      'run.started',
      'step.started',
      'model.requested',
      'step.completed',
      'run.completed',
    ]);
    expect(await timelineItems('model').locator('.event-meta').textContent()).toContain(
      '40 in / 8 out tokens · $0.0002',
    );
    expect(await page.locator('#timeline-events li[data-type="run.completed"]').textContent()).toContain(
      'Hello from the store.',
    );
    expect(await page.locator('#runs-body tr.is-selected').getAttribute('data-run-id')).toBe(seededRunId);
    expect(await page.locator('#timeline-summary').textContent()).toContain('Say hello');
  });

  it('highlights a failed run and counts it in the totals', { timeout: TEST_MS }, async () => {
    const refused = gate();
    server.model.push(
      after(refused, new ModelError('MODEL_BAD_REQUEST', 'The test model refuses this prompt.')),
    );
    const runId = await startRun('helper', 'Please fail', 'async');
    await row(runId).waitFor();
    await row(runId)
      .getByRole('button', { name: `Open run ${runId}` })
      .click();
    await timelineItems('model').first().waitFor();

    refused.open();

    await eventually(() => rowText(runId, 2)).toBe('failed MODEL_BAD_REQUEST');
    await eventually(() => page.locator('#total-errors').textContent()).toBe('1');
    const failedModel = timelineItems('model').first();
    await eventually(() => failedModel.getAttribute('data-state')).toBe('failed');
    expect(await failedModel.getAttribute('class')).toContain('is-error');
    expect(await failedModel.locator('[data-field="error"] pre').textContent()).toContain(
      'MODEL_BAD_REQUEST: The test model refuses this prompt.',
    );
    const failedRun = page.locator('#timeline-events li[data-type="run.failed"]');
    await failedRun.waitFor();
    expect(await failedRun.getAttribute('class')).toContain('is-error');
    await eventually(() => page.locator('#timeline-summary').textContent()).toContain('MODEL_BAD_REQUEST');
  });

  it('filters the list by agent and by status', { timeout: TEST_MS }, async () => {
    const listedAgents = () => page.locator('#runs-body tr td:nth-child(2)').allTextContents();
    const listedStatuses = () => page.locator('#runs-body tr td:nth-child(3) .badge').allTextContents();
    await eventually(listedAgents).toEqual(['helper', 'assistant', 'helper']);

    await filter('Status').selectOption('failed');
    await eventually(listedStatuses).toEqual(['failed']);
    expect(await page.locator('#total-runs').textContent()).toBe('1');
    expect(await page.locator('#total-errors').textContent()).toBe('1');

    await filter('Status').selectOption('');
    await filter('Agent').selectOption('assistant');
    await eventually(listedAgents).toEqual(['assistant']);
    expect(await page.locator('#total-errors').textContent()).toBe('0');

    await filter('Status').selectOption('completed');
    await filter('Agent').selectOption('helper');
    await eventually(listedAgents).toEqual(['helper']);
    expect(await listedStatuses()).toEqual(['completed']);

    // A run that matches the filters appears live; one that does not stays out.
    server.model.push(textResponse('Filtered in.'));
    const matching = await startRun('helper', 'Quick one', 'wait');
    await eventually(() => page.locator('#runs-body tr').count()).toBe(2);
    expect(await page.locator('#runs-body tr').first().getAttribute('data-run-id')).toBe(matching);

    await filter('Status').selectOption('');
    await filter('Agent').selectOption('');
    await eventually(() => page.locator('#runs-body tr').count()).toBe(4);
  });

  it('starts a run from the form and opens its timeline', { timeout: TEST_MS }, async () => {
    server.model.push(textResponse('Started from the form.'));
    await page.getByRole('region', { name: 'Start a run' }).getByLabel('Agent').selectOption('helper');
    await page.getByLabel('Input').fill('Hello from the form');
    await page.getByRole('button', { name: 'Start run' }).click();

    await eventually(() => page.locator('#start-message').textContent()).toMatch(/^Started run .+\.$/);
    await eventually(() => page.locator('#timeline-events li[data-type="run.completed"]').count()).toBe(1);
    expect(await page.locator('#timeline-events li[data-type="run.started"]').textContent()).toContain(
      'Hello from the form',
    );
    await eventually(() => page.locator('#runs-body tr').count()).toBe(5);
  });

  it('cancels a running run from its timeline, and hides the button once it ended', {
    timeout: TEST_MS,
  }, async () => {
    const held = gate();
    server.model.push(after(held, textResponse('Too late.')));
    const runId = await startRun('helper', 'Wait for me', 'async');
    await row(runId).waitFor();
    await row(runId)
      .getByRole('button', { name: `Open run ${runId}` })
      .click();

    const cancel = page.getByRole('button', { name: 'Cancel run' });
    await cancel.waitFor();
    await cancel.click();
    // The model answers after the cancel: the run must end cancelled all the same.
    held.open();

    await page.locator('#timeline-events li[data-type="run.cancelled"]').waitFor();
    await eventually(() => rowText(runId, 2)).toBe('cancelled');
    await eventually(() => cancel.isHidden()).toBe(true);
    const record = await fetch(`${server.url}/v1/runs/${runId}`, {
      headers: { authorization: `Bearer ${KEY}` },
      signal: AbortSignal.timeout(WAIT_MS),
    });
    expect(((await record.json()) as { status: string }).status).toBe('cancelled');
  });

  it('signs out: the key is forgotten and the sign-in form is back', { timeout: TEST_MS }, async () => {
    // AGENT_DASHBOARD_SCREENSHOT=<file.png> keeps a picture of the dashboard with its runs.
    const screenshot = process.env.AGENT_DASHBOARD_SCREENSHOT;
    if (screenshot) {
      await row(toolRunId)
        .getByRole('button', { name: `Open run ${toolRunId}` })
        .click();
      await page.locator('#timeline-events li[data-type="run.completed"]').waitFor();
      await page.screenshot({ path: screenshot });
    }

    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByLabel('API key').waitFor();
    expect(await page.locator('#app').isHidden()).toBe(true);
    expect(await storedKey(page)).toBeNull();
    expect(await page.locator('#runs-body tr').count()).toBe(0);
    // The page was reloaded since the first probe, so it asks again whether a key is needed.
    expect(refused).toHaveLength(3);
  });
});

describe('the dashboard without auth', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(false);
  }, TEST_MS);

  afterAll(async () => {
    await server?.close();
  });

  it('offers to continue without a key when the server accepts requests without one', {
    timeout: TEST_MS,
  }, async () => {
    const { page, problems } = await openPage();
    try {
      server.model.push(textResponse('No key needed.'));
      await fetch(`${server.url}/v1/agents/helper/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: 'anonymous', mode: 'wait' }),
        signal: AbortSignal.timeout(WAIT_MS),
      });
      await page.goto(`${server.url}/dashboard/`);

      await page.getByRole('button', { name: 'Continue without key' }).click();

      await eventually(async () =>
        (await page.locator('#runs-body tr td:nth-child(3)').allTextContents()).map((text) => text.trim()),
      ).toEqual(['completed']);
      expect(await page.locator('#identity').textContent()).toBe('No key (auth off)');
      await page.reload();
      await eventually(() => page.locator('#runs-body tr').count()).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
