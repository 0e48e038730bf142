import { type AgentConfigInput, agentConfigSchema, type LanguageModel } from '@agent/core';
import { createAuthenticator } from '../../src/auth/index.js';
import type { ServerRuntime } from '../../src/contract.js';
import { type CreateAppOptions, createApp, type ServerApp } from '../../src/http/app.js';
import { createServerRuntime } from '../../src/runtime/index.js';
import { createControlledModel, Gates } from './control-model.js';
import { createMemoryLogger, type LogLine } from './memory-logger.js';

/** API keys of the test tenants. */
export const KEYS = {
  /** acme, runs:read + runs:write */
  acme: 'agk_test_acme_read_write_0123456789abcdef',
  /** acme, runs:read only */
  acmeReader: 'agk_test_acme_read_only_0123456789abcdef',
  /** acme, runs:write only */
  acmeWriter: 'agk_test_acme_write_only_0123456789abcde',
  /** globex, runs:read + runs:write */
  globex: 'agk_test_globex_read_write_0123456789abcd',
  /** acme, revoked */
  revoked: 'agk_test_acme_revoked_0123456789abcdefgh',
  /** ops, admin */
  admin: 'agk_test_ops_admin_0123456789abcdefghijkl',
  /** acme, tools:call only */
  acmeTools: 'agk_test_acme_tools_call_0123456789abcde',
} as const;

/** The `server.auth` of the tests. */
export const TEST_AUTH = {
  apiKeys: [
    { name: 'acme-app', key: KEYS.acme, tenant: 'acme', scopes: ['runs:read', 'runs:write'] },
    { name: 'acme-viewer', key: KEYS.acmeReader, tenant: 'acme', scopes: ['runs:read'] },
    { name: 'acme-writer', key: KEYS.acmeWriter, tenant: 'acme', scopes: ['runs:write'] },
    { name: 'globex-app', key: KEYS.globex, tenant: 'globex', scopes: ['runs:read', 'runs:write'] },
    {
      name: 'acme-old',
      key: KEYS.revoked,
      tenant: 'acme',
      scopes: ['runs:read', 'runs:write'],
      revoked: true,
    },
    { name: 'ops', key: KEYS.admin, tenant: 'ops', scopes: ['admin'] },
    { name: 'acme-tools', key: KEYS.acmeTools, tenant: 'acme', scopes: ['tools:call'] },
  ],
} satisfies NonNullable<NonNullable<AgentConfigInput['server']>['auth']>;

/** Options of {@link createHarness}. */
export interface HarnessOptions {
  /** Merged into the test config's `server` section. */
  server?: Partial<NonNullable<AgentConfigInput['server']>>;
  /** Merged into `observability`. */
  observability?: Partial<NonNullable<AgentConfigInput['observability']>>;
  /** The model of every agent; by default {@link createControlledModel} over `gates`. */
  model?: LanguageModel;
  /** No `server.auth`: anonymous access. */
  noAuth?: boolean;
  app?: CreateAppOptions;
}

/** An app over a real runtime (memory store), ready for `app.request`. */
export interface Harness {
  app: ServerApp;
  runtime: ServerRuntime;
  logs: LogLine[];
  /** Gates of the default model: inputs with `[hold:<name>]` wait for `gates.open(name)`. */
  gates: Gates;
  /** `app.request` with `key` sent as `Authorization: Bearer`. */
  request(path: string, init?: RequestInit & { key?: string; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** Builds the app the way `startServer` does, with scripted models and the test keys. */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const config = agentConfigSchema.parse({
    models: { main: { provider: 'openai', model: 'gpt-test', apiKey: 'sk-unused' } },
    agents: {
      assistant: { model: 'main', instructions: 'Be brief.', description: 'Answers briefly.' },
      helper: { model: 'main', instructions: 'Help.', tools: ['current_time', 'word_count'] },
    },
    // Enabled for POST /v1/tools/{tool} though no agent uses them.
    tools: { builtins: ['calculator', 'http_fetch'], options: { http_fetch: { allow: ['example.com'] } } },
    server: { ...(options.noAuth ? {} : { auth: TEST_AUTH }), ...options.server },
    observability: { events: { store: 'memory' }, ...options.observability },
  } satisfies AgentConfigInput);
  const logger = createMemoryLogger();
  const gates = new Gates();
  const model = options.model ?? createControlledModel(gates);
  const runtime = await createServerRuntime(config, { cwd: process.cwd(), logger, models: { main: model } });
  const app = createApp(runtime, createAuthenticator(config.server.auth), options.app);
  return {
    app,
    runtime,
    logs: logger.lines,
    gates,
    async request(path, init = {}) {
      const { key, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (key !== undefined) headers.set('Authorization', `Bearer ${key}`);
      if (json !== undefined) headers.set('Content-Type', 'application/json');
      return app.request(path, {
        ...rest,
        headers,
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
    },
    close: () => runtime.close({ graceMs: 0 }),
  };
}

/** Starts a run in `async` mode and returns its id. */
export async function startRun(
  harness: Harness,
  input: string,
  options: { key?: string; agent?: string; headers?: Record<string, string> } = {},
): Promise<string> {
  const response = await harness.request(`/v1/agents/${options.agent ?? 'assistant'}/runs`, {
    method: 'POST',
    key: options.key ?? KEYS.acme,
    json: { input, mode: 'async' },
    ...(options.headers ? { headers: options.headers } : {}),
  });
  if (response.status !== 202) throw new Error(`start failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { runId: string }).runId;
}

/** Waits until the run has ended (its event stream ends) and returns the stream's text. */
export async function runToEnd(harness: Harness, runId: string, key: string = KEYS.admin): Promise<string> {
  const response = await harness.request(`/v1/runs/${runId}/events`, { key });
  if (response.status !== 200) throw new Error(`events failed: ${response.status} ${await response.text()}`);
  return response.text();
}
