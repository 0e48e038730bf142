import { ConfigError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { recordingLogger, testConfig } from './__fixtures__/runtime-fixtures.js';
import { createServerRuntime } from './create-server-runtime.js';

// Plugins and MCP servers that cannot be used, in both plugin modes. (Working ones are tested
// end to end by the CLI: a project serving its tools with `agent mcp serve`, another using them.)
const CONFIG_FILE = '/srv/app/agent.config.yaml';
const broken = {
  plugins: ['@acme/not-installed'],
  tools: {
    mcp: { files: { transport: 'stdio' as const, command: '/nonexistent/mcp-server', namespace: 'fs' } },
  },
};

describe('createServerRuntime with plugins and MCP servers that fail', () => {
  it('stops start-up in strict mode with errors naming the config file and the entries', async () => {
    const config = testConfig({ ...broken, plugins: [] });

    const creating = createServerRuntime(config, {
      cwd: '/srv/app',
      configFile: CONFIG_FILE,
      logger: recordingLogger(),
    });

    await expect(creating).rejects.toBeInstanceOf(ConfigError);
    const error = (await creating.catch((caught: unknown) => caught)) as ConfigError;
    expect(error.issues).toEqual([
      expect.objectContaining({
        file: CONFIG_FILE,
        path: 'tools.mcp.files',
        message: expect.stringContaining('/nonexistent/mcp-server'),
      }),
    ]);

    const plugin = createServerRuntime(testConfig({ plugins: broken.plugins }), {
      cwd: '/srv/app',
      configFile: CONFIG_FILE,
      logger: recordingLogger(),
    });
    const pluginError = (await plugin.catch((caught: unknown) => caught)) as ConfigError;
    expect(pluginError).toBeInstanceOf(ConfigError);
    expect(pluginError.issues[0]).toMatchObject({
      file: CONFIG_FILE,
      path: expect.stringContaining('plugins'),
    });
    expect(pluginError.message).toContain('@acme/not-installed');
  });

  it('starts without them in lenient mode, logging each and warning about the tools agents miss', async () => {
    const logger = recordingLogger();
    const config = testConfig({
      ...broken,
      pluginMode: 'lenient',
      agents: { assistant: { model: 'main', instructions: 'x', tools: ['current_time', 'fs_read_file'] } },
    });

    const runtime = await createServerRuntime(config, { cwd: '/srv/app', configFile: CONFIG_FILE, logger });
    try {
      expect(runtime.agents[0]?.tools).toEqual(['current_time']);
      const errors = logger.lines.filter((line) => line.level === 'error').map((line) => line.message);
      expect(errors).toContain('MCP server skipped (pluginMode: lenient)');
      expect(errors).toContain(
        'Plugin "@acme/not-installed" was not loaded: Plugin "@acme/not-installed" is not installed: run pnpm add @acme/not-installed in /srv/app.',
      );
      const warnings = logger.lines.filter((line) => line.level === 'warn').map((line) => line.message);
      expect(
        warnings.some((message) => message.includes('agents.assistant.tools[1] names "fs_read_file"')),
      ).toBe(true);
    } finally {
      await runtime.close({ graceMs: 0 });
    }
  });
});
