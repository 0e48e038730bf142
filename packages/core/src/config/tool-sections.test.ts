import { describe, expect, it } from 'vitest';
import { agentConfigSchema } from './config-schema.js';

const base = {
  models: { main: { provider: 'openai', model: 'gpt-4o-mini' } },
  agents: { assistant: { model: 'main', instructions: 'Be brief.' } },
};

describe('plugins entries', () => {
  it('accepts package names, paths and objects with a namespace and options', () => {
    const config = agentConfigSchema.parse({
      ...base,
      plugins: [
        '@acme/agent-tools-weather',
        './plugins/local.ts',
        { from: '@acme/agent-tools-search', namespace: 'acme', options: { region: 'eu' } },
        { from: './other.js' },
      ],
    });

    expect(config.plugins).toEqual([
      '@acme/agent-tools-weather',
      './plugins/local.ts',
      { from: '@acme/agent-tools-search', namespace: 'acme', options: { region: 'eu' } },
      { from: './other.js', options: {} },
    ]);
  });

  it('refuses a namespace that would make invalid tool names, and unknown keys', () => {
    const result = agentConfigSchema.safeParse({
      ...base,
      plugins: [
        { from: 'x', namespace: 'has space' },
        { from: 'y', nmespace: 'a' },
      ],
    });

    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['plugins.0.namespace', 'plugins.1']));
  });
});

describe('tools.mcp', () => {
  it('accepts a stdio server and an http server, with defaults', () => {
    const config = agentConfigSchema.parse({
      ...base,
      tools: {
        mcp: {
          files: { transport: 'stdio', command: 'node', allow: ['read_*'], timeoutMs: '5000' },
          search: { transport: 'http', url: 'http://127.0.0.1:9000/mcp', namespace: 'search' },
        },
      },
    });

    expect(config.tools.mcp.files).toEqual({
      transport: 'stdio',
      command: 'node',
      args: [],
      allow: ['read_*'],
      timeoutMs: 5000,
    });
    expect(config.tools.mcp.search).toMatchObject({ transport: 'http', namespace: 'search' });
  });

  it('refuses a stdio server without a command and an http server with a bad URL', () => {
    const result = agentConfigSchema.safeParse({
      ...base,
      tools: {
        mcp: {
          a: { transport: 'stdio' },
          b: { transport: 'http', url: 'ftp://x' },
          c: { transport: 'carrier-pigeon' },
        },
      },
    });

    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['tools.mcp.a.command', 'tools.mcp.b.url', 'tools.mcp.c.transport']),
    );
  });
});
