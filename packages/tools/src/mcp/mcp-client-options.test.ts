import { agentConfigSchema, ConfigError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { RecordingLogger } from './__fixtures__/recording-logger.js';
import { type McpToolsOptions, resolveMcpOptions } from './mcp-client-options.js';

describe('resolveMcpOptions', () => {
  it('applies the defaults', () => {
    const resolved = resolveMcpOptions({ transport: 'stdio', command: '/usr/local/bin/files-server' });

    expect(resolved).toMatchObject({
      name: 'files-server',
      args: [],
      timeoutMs: 30_000,
      connectTimeoutMs: 30_000,
      maxResultBytes: 102_400,
      reconnect: { maxAttempts: 3, initialDelayMs: 250, maxDelayMs: 5000 },
    });
  });

  it('names an HTTP server after its host, and tags its log lines with the name', () => {
    const logger = new RecordingLogger();

    const resolved = resolveMcpOptions({ transport: 'http', url: 'https://tools.example:8443/mcp', logger });
    resolved.logger.info('hello');

    expect(resolved.name).toBe('tools.example:8443');
    expect(resolved.transport === 'http' && resolved.url.href).toBe('https://tools.example:8443/mcp');
    expect(logger.lines[0]?.fields).toEqual({ mcpServer: 'tools.example:8443' });
  });

  it.each<[string, McpToolsOptions, string]>([
    [
      'a bad namespace',
      { transport: 'stdio', command: 'x', namespace: '1bad' },
      'namespace "1bad" is invalid',
    ],
    [
      'a zero timeout',
      { transport: 'stdio', command: 'x', timeoutMs: 0 },
      'timeoutMs must be a positive number',
    ],
    [
      'a negative reconnect delay',
      { transport: 'stdio', command: 'x', reconnect: { initialDelayMs: -1 } },
      'reconnect.initialDelayMs must be a positive number',
    ],
    ['an empty command', { transport: 'stdio', command: '  ' }, 'command is empty'],
    [
      'a URL that is not one',
      { transport: 'http', url: 'not a url', name: 'web' },
      'url "not a url" is not a URL',
    ],
    ['a non-HTTP URL', { transport: 'http', url: 'ftp://example.com/mcp' }, 'must use http: or https:'],
  ])('refuses %s with a ConfigError', (_case, options, message) => {
    expect(() => resolveMcpOptions(options)).toThrow(ConfigError);
    expect(() => resolveMcpOptions(options)).toThrow(message);
  });

  it('accepts the tools.mcp entries of a parsed agent config as they are', () => {
    const config = agentConfigSchema.parse({
      models: { main: { provider: 'openai', model: 'gpt-4o-mini' } },
      agents: { assistant: { model: 'main', instructions: 'Be brief.' } },
      tools: {
        mcp: {
          files: {
            transport: 'stdio',
            command: 'npx',
            args: ['-y', 'server-files'],
            allow: ['read_*'],
            namespace: 'fs',
          },
          search: {
            transport: 'http',
            url: 'http://127.0.0.1:3001/mcp',
            headers: { authorization: 'Bearer t' },
          },
        },
      },
    });

    const resolved = Object.entries(config.tools.mcp).map(([name, entry]) =>
      resolveMcpOptions({ name, ...entry }),
    );

    expect(resolved.map((options) => [options.name, options.transport, options.namespace])).toEqual([
      ['files', 'stdio', 'fs'],
      ['search', 'http', undefined],
    ]);
  });
});
