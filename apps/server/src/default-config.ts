import type { AgentConfigInput } from '@agent/core';

/**
 * The configuration the reference server runs with when there is no `agent.config.yaml`: one
 * assistant on OpenAI's gpt-4o-mini (the built-in demo model answers instead while
 * OPENAI_API_KEY is unset, and the server says so) with built-in tools and the example weather
 * plugin (offline demo data), events in SQLite under ./data, the in-memory
 * limiter, no auth (so it listens on 127.0.0.1 only). `agent.config.yaml` next to this app is
 * the same configuration written out; a test keeps the two equal.
 */
export const DEFAULT_CONFIG: AgentConfigInput = {
  models: {
    main: { provider: 'openai', model: 'gpt-4o-mini', timeoutMs: 60_000, retry: { maxRetries: 3 } },
  },
  agents: {
    assistant: {
      model: 'main',
      description:
        'A helpful assistant that can tell the time, calculate, count words and check the weather.',
      instructions: 'You are a concise, helpful assistant. Use the tools when they help.',
      tools: ['current_time', 'calculator', 'word_count', 'weather@^2', 'forecast'],
    },
  },
  // The example tool plugin (apps/examples/tool-plugin-weather), offline: drop `source` for live data.
  plugins: [{ from: '@acme/agent-tools-weather', options: { source: 'demo' } }],
  rateLimits: {
    backend: 'memory',
    rules: [{ name: 'per-tenant', scope: 'tenant', maxCalls: 120, windowMs: 60_000 }],
  },
  server: { host: '127.0.0.1', port: 3000 },
  observability: {
    logLevel: 'info',
    logFormat: 'pretty',
    events: { store: 'sqlite', path: './data/events.db', retention: { maxRuns: 10_000 } },
  },
};
