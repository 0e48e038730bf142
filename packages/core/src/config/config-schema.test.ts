// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are config text, not templates.
import { describe, expect, it } from 'vitest';
import type { RateLimitRule } from '../ratelimit/rate-limiter.js';
import { type AgentConfigInput, agentConfigSchema } from './config-schema.js';

const minimal = {
  models: { main: { provider: 'openai', model: 'gpt-4o-mini' } },
  agents: { assistant: { model: 'main', instructions: 'Be brief.' } },
} satisfies AgentConfigInput;

const agentOf = (model: string) => ({ model, instructions: 'x' });

function issuesOf(input: unknown) {
  const result = agentConfigSchema.safeParse(input);
  return (result.error?.issues ?? []).map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
}

describe('agentConfigSchema failures', () => {
  it('rejects an agent that names an unknown model, listing the models defined', () => {
    const input = { ...minimal, agents: { assistant: { model: 'gpt5', instructions: 'x' } } };

    const issues = issuesOf(input);

    expect(issues).toEqual([
      { path: 'agents.assistant.model', message: 'unknown model "gpt5"; models defined: main' },
    ]);
  });

  it('checks planner models and fallbacks, including a model that falls back to itself', () => {
    const input = {
      models: { main: { provider: 'openai', model: 'm', fallback: ['main', 'spare'] } },
      agents: { assistant: { model: 'main', instructions: 'x', planner: { model: 'planner' } } },
    };

    const paths = issuesOf(input).map((issue) => issue.path);

    expect(paths).toEqual([
      'models.main.fallback.0',
      'models.main.fallback.1',
      'agents.assistant.planner.model',
    ]);
  });

  it('reports cross-references even when another part of the config is invalid', () => {
    const input = {
      ...minimal,
      server: { port: 'high' },
      agents: { a: { model: 'nope', instructions: 'x' } },
    };

    const paths = issuesOf(input).map((issue) => issue.path);

    expect(paths).toContain('server.port');
    expect(paths).toContain('agents.a.model');
  });

  it('says so when no models are defined at all', () => {
    const issues = issuesOf({ agents: { a: { model: 'main', instructions: 'x' } } });

    expect(issues[0]?.message).toBe('unknown model "main"; no models are defined');
  });

  it('rejects unknown keys at every level', () => {
    const input = {
      ...minimal,
      agents: { assistant: { ...minimal.agents.assistant, modle: 'main' } },
      extra: 1,
    };

    const codes = agentConfigSchema
      .safeParse(input)
      .error?.issues.map((issue) => [issue.code, issue.path.join('.')]);

    expect(codes).toEqual(
      expect.arrayContaining([
        ['unrecognized_keys', 'agents.assistant'],
        ['unrecognized_keys', ''],
      ]),
    );
  });

  it('rejects an empty agents mapping and a badly named agent', () => {
    expect(issuesOf({ agents: {} })).toEqual([{ path: 'agents', message: 'no agents are defined' }]);
    expect(issuesOf({ ...minimal, agents: { '9lives': minimal.agents.assistant } })[0]?.path).toBe(
      'agents.9lives',
    );
  });

  it('rejects a redis backend without a url, pointing at rateLimits.redis.url', () => {
    expect(issuesOf({ rateLimits: { backend: 'redis' } })).toEqual([
      { path: 'rateLimits.redis.url', message: 'backend is redis but no Redis URL is set' },
    ]);
    expect(issuesOf({ rateLimits: { backend: 'redis', redis: { url: 'http://x' } } })[0]?.path).toBe(
      'rateLimits.redis.url',
    );
  });

  it('rejects rules that limit nothing, repeat a name or a scope dimension', () => {
    const rule = { name: 'per-tenant', scope: 'tenant', maxCalls: 10, windowMs: 60_000 };
    const input = {
      rateLimits: {
        rules: [rule, { ...rule, maxCalls: undefined }, { ...rule, name: 'b', scope: ['agent', 'agent'] }],
      },
    };

    const issues = issuesOf(input);

    expect(issues).toEqual([
      { path: 'rateLimits.rules.1', message: 'the rule limits nothing' },
      { path: 'rateLimits.rules.2.scope', message: 'a dimension is listed twice' },
      { path: 'rateLimits.rules.1.name', message: 'rule name "per-tenant" is used twice' },
    ]);
  });

  it('rejects numbers out of range and text that is not a number', () => {
    const input = {
      ...minimal,
      server: { port: 70_000 },
      agents: { a: { ...minimal.agents.assistant, maxSteps: '3x' } },
    };

    expect(issuesOf(input).map((issue) => issue.path)).toEqual(['agents.a.maxSteps', 'server.port']);
  });

  it('requires exactly one of hash and key per API key, and one JWT verification method', () => {
    const key = { name: 'ci', tenant: 't', scopes: ['runs:read'] };
    const input = {
      server: {
        auth: {
          apiKeys: [key, { ...key, name: 'b', hash: 'h', key: 'k' }, { ...key, hash: 'h' }],
          jwt: { issuer: 'me' },
        },
      },
    };

    const paths = issuesOf(input).map((issue) => issue.path);

    expect(paths).toEqual([
      'server.auth.apiKeys.0',
      'server.auth.apiKeys.1.key',
      'server.auth.apiKeys.2.name',
      'server.auth.jwt',
    ]);
  });

  it('rejects boolean text other than true and false', () => {
    expect(issuesOf({ observability: { tracing: { enabled: 'yes' } } })[0]?.path).toBe(
      'observability.tracing.enabled',
    );
  });

  it('reports a document that is not a mapping without crashing the reference check', () => {
    expect(issuesOf('models: x').map((issue) => issue.path)).toEqual(['']);
    expect(issuesOf({ models: 5, agents: { a: agentOf('main') } }).map((issue) => issue.path)).toEqual([
      'models',
    ]);
  });

  it('requires a url for the postgres event store', () => {
    expect(issuesOf({ observability: { events: { store: 'postgres' } } })[0]?.path).toBe(
      'observability.events.url',
    );
  });

  it('requires a postgres url for the postgres event store and ordered retry delays', () => {
    const input = {
      ...minimal,
      models: { main: { ...minimal.models.main, retry: { initialDelayMs: 5000, maxDelayMs: 100 } } },
      observability: { events: { store: 'postgres', url: 'mysql://db' } },
    };

    expect(issuesOf(input).map((issue) => issue.path)).toEqual([
      'models.main.retry.initialDelayMs',
      'observability.events.url',
    ]);
  });
});

describe('agentConfigSchema defaults', () => {
  it('fills every section from an empty document', () => {
    const config = agentConfigSchema.parse({});

    expect(config).toEqual({
      models: {},
      agents: {},
      tools: { builtins: [], options: {}, mcp: {} },
      plugins: [],
      pluginMode: 'strict',
      rateLimits: { backend: 'memory', onLimit: 'wait', rules: [] },
      server: { host: '127.0.0.1', port: 3000, shutdownGraceMs: 30_000, dashboard: { enabled: true } },
      observability: {
        logLevel: 'info',
        logFormat: 'json',
        redact: true,
        events: { store: 'sqlite' },
        metrics: { enabled: true, requireAuth: false },
        tracing: { enabled: false, captureContent: false },
      },
    });
  });

  it('fills agent and retry defaults', () => {
    const config = agentConfigSchema.parse({
      ...minimal,
      models: { main: { ...minimal.models.main, retry: {} } },
      rateLimits: { backend: 'redis', redis: { url: 'rediss://cache:6380' } },
    });

    expect(config.agents.assistant).toEqual({
      model: 'main',
      instructions: 'Be brief.',
      tools: [],
      maxSteps: 10,
      toolConcurrency: 4,
    });
    expect(config.models.main?.retry).toEqual({ maxRetries: 3 });
    expect(config.rateLimits.redis).toEqual({ url: 'rediss://cache:6380', failurePolicy: 'memory' });
  });

  it('accepts the text form of numbers and booleans, as ${VAR} produces', () => {
    const config = agentConfigSchema.parse({
      server: { port: '8080' },
      observability: { tracing: { enabled: 'true', captureContent: 'false' } },
      models: { main: { provider: 'openai', model: 'm', settings: { temperature: '0.2' } } },
    });

    expect(config.server.port).toBe(8080);
    expect(config.observability.tracing).toEqual({ enabled: true, captureContent: false });
    expect(config.models.main?.settings?.temperature).toBe(0.2);
  });

  it('accepts a complete server section', () => {
    const server = {
      host: '0.0.0.0',
      port: 8080,
      auth: {
        apiKeys: [{ name: 'ci', hash: 'abc', tenant: 'acme', scopes: ['runs:write', 'runs:read'] }],
        jwt: {
          jwksUrl: 'https://id.example.com/.well-known/jwks.json',
          audience: ['api'],
          tenantClaim: 'org',
        },
      },
      cors: { origins: ['https://app.example.com'] },
      bodyLimitBytes: 1_000_000,
      requestTimeoutMs: 30_000,
      rateLimit: {
        perKey: { maxRequests: 60, windowMs: 60_000 },
        perTenant: { maxRequests: 600, windowMs: 60_000 },
      },
      shutdownGraceMs: 10_000,
      dashboard: { enabled: false },
    };

    expect(agentConfigSchema.parse({ server }).server).toEqual({
      ...server,
      auth: {
        apiKeys: [{ ...server.auth.apiKeys[0], revoked: false }],
        jwt: { ...server.auth.jwt, clockToleranceSeconds: 5 },
      },
    });
  });

  it('produces rate-limit rules usable as RateLimitRule', () => {
    const config = agentConfigSchema.parse({
      rateLimits: { rules: [{ name: 'pair', scope: ['tenant', 'model'], maxTokens: 1000, windowMs: 1000 }] },
    });

    const rule: RateLimitRule | undefined = config.rateLimits.rules[0];

    expect(rule?.scope).toEqual(['tenant', 'model']);
  });
});
