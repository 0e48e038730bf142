// @agent/server throughput, with autocannon against a server started in this process:
// POST /v1/agents/:agent/runs in wait mode (a scripted model that answers at once, so the figure
// is the server's own cost: auth, validation, the run, its events to SQLite, the response)
// next to GET /health in the same run (the floor: Hono + Node's HTTP stack).
//
//   node http-server.bench.mjs           10 s per target, 32 connections
//   node http-server.bench.mjs --quick   2 s per target (CI smoke)
//
// Prints numbers only; it never fails on them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentConfigSchema } from '@agent/core';
import { startServer } from '@agent/server';
import autocannon from 'autocannon';

const quick = process.argv.includes('--quick');
const DURATION_SECONDS = quick ? 2 : 10;
const CONNECTIONS = 32;

// Answers at once with a short text and realistic usage: the run's cost is the runtime's.
const instantModel = {
  provider: 'bench',
  modelId: 'instant',
  async generate() {
    return {
      message: { role: 'assistant', content: 'It is sunny.' },
      usage: { inputTokens: 42, outputTokens: 4 },
      finishReason: 'stop',
    };
  },
  stream() {
    throw new Error('not used by wait mode');
  },
};

const dir = mkdtempSync(join(tmpdir(), 'agent-http-bench-'));
const config = agentConfigSchema.parse({
  models: { main: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'unused' } },
  agents: { assistant: { model: 'main', instructions: 'Answer briefly.' } },
  server: {
    host: '127.0.0.1',
    port: 0,
    auth: {
      apiKeys: [
        { name: 'bench', key: 'bench-key-0123456789', tenant: 'bench', scopes: ['runs:write', 'runs:read'] },
      ],
    },
  },
  observability: {
    logLevel: 'error',
    events: { store: 'sqlite', path: join(dir, 'events.db'), retention: { maxRuns: 50_000 } },
  },
});
const server = await startServer({ config, cwd: dir, models: { main: instantModel } });

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: DURATION_SECONDS, ...options }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

const health = await run({ url: `${server.url}/health` });
const runs = await run({
  url: `${server.url}/v1/agents/assistant/runs`,
  method: 'POST',
  headers: { authorization: 'Bearer bench-key-0123456789', 'content-type': 'application/json' },
  body: JSON.stringify({ input: 'What is the weather?', mode: 'wait' }),
});
await server.close();
rmSync(dir, { recursive: true, force: true });

const row = (what, result) => ({
  what,
  'req/s': Math.round(result.requests.average),
  'p50 ms': result.latency.p50,
  'p99 ms': result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors,
});
console.log(
  `@agent/server under autocannon (Node ${process.version}, ${CONNECTIONS} connections, ${DURATION_SECONDS} s each${quick ? ', --quick' : ''})\n`,
);
console.table([
  row('POST /v1/agents/assistant/runs (wait, API key, SQLite store)', runs),
  row('GET /health (baseline)', health),
]);
console.log(`ratio (runs / health, req/s): ${(runs.requests.average / health.requests.average).toFixed(3)}`);
