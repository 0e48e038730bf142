import { ConfigError, noopLogger } from '@agent/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_SDK_VERSION, PluginSandbox, pluginSource } from './__fixtures__/plugin-sandbox.js';
import { recordingLogger } from './__fixtures__/recording-logger.js';
import { loadPlugins } from './load-plugins.js';

describe('loadPlugins clashes and modes', () => {
  let sandbox: PluginSandbox;
  const disposed: string[] = [];
  beforeEach(() => {
    sandbox = new PluginSandbox();
    disposed.length = 0;
    Object.assign(globalThis, { __modesDisposed: disposed });
    const plugin = (name: string, tools: { name: string; version?: string }[]) =>
      pluginSource({
        name,
        tools,
        extra: `setup() { return () => { globalThis.__modesDisposed.push(${JSON.stringify(name)}); }; },`,
      });
    sandbox.writeFiles(sandbox.root, {
      'a.js': plugin('plugin-a', [{ name: 'weather', version: '1.0.0' }, { name: 'forecast' }]),
      'b.js': plugin('plugin-b', [{ name: 'weather', version: '1.0.0' }]),
      'fetch.js': plugin('plugin-fetch', [{ name: 'fetch', version: '9.0.0' }]),
      'clock.js': plugin('plugin-clock', [{ name: 'clock', version: '2.0.0' }]),
      'throws.js': "throw new Error('boom');",
    });
  });
  afterEach(() => sandbox.remove());

  const options = (mode: 'strict' | 'lenient') => ({
    cwd: sandbox.root,
    mode,
    logger: noopLogger,
    sdkVersion: FIXTURE_SDK_VERSION,
  });

  it('names both plugins and asks for a namespace when two provide the same tool and version', async () => {
    const result = await loadPlugins(['./a.js', './b.js'], options('lenient'));

    expect(result.plugins.map((plugin) => plugin.name)).toEqual(['plugin-a']);
    const error = result.failures[0]?.error;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toBe(
      'Plugin "./b.js" clashes: tool "weather" (version 1.0.0) is also provided by plugin "./a.js". Fix: set a namespace on one of the entries in plugins, e.g. { from: "./b.js", namespace: "acme" }, so its tools become acme_<tool>.',
    );
    expect(disposed).toEqual(['plugin-b']);
  });

  it('resolves the clash when one entry has a namespace', async () => {
    const result = await loadPlugins(
      ['./a.js', { from: './b.js', namespace: 'acme', options: {} }],
      options('strict'),
    );

    expect(result.failures).toEqual([]);
    expect(result.tools.map((tool) => tool.name)).toEqual(['weather', 'forecast', 'acme_weather']);
  });

  it('reserves every version of a built-in name, and only the given version of name@version', async () => {
    const result = await loadPlugins(['./fetch.js', './clock.js', './a.js'], {
      ...options('lenient'),
      builtinNames: ['fetch', 'clock@1.0.0', 'forecast@0.0.0'],
    });

    expect(result.plugins.map((plugin) => plugin.name)).toEqual(['plugin-clock']);
    expect(result.failures.map((failure) => failure.error.message)).toEqual([
      expect.stringContaining('tool "fetch" (version 9.0.0) is also provided by a built-in tool'),
      expect.stringContaining('tool "forecast" (unversioned) is also provided by a built-in tool'),
    ]);
  });

  it('in lenient mode logs each failure with the plugin and returns the rest', async () => {
    const { logger, lines } = recordingLogger();

    const result = await loadPlugins(['./throws.js', './a.js', 'agent-tools-absent'], {
      ...options('lenient'),
      logger,
    });

    expect(result.plugins.map((plugin) => plugin.source)).toEqual(['./a.js']);
    expect(result.failures.map((failure) => failure.plugin)).toEqual(['./throws.js', 'agent-tools-absent']);
    expect(lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^Plugin "\.\/throws\.js" was not loaded: .*boom/),
        fields: { plugin: './throws.js', code: 'PLUGIN_LOAD_FAILED' },
      }),
      expect.objectContaining({
        message: expect.stringMatching(/^Plugin "agent-tools-absent" was not loaded: .*not installed/),
        fields: { plugin: 'agent-tools-absent', code: 'PLUGIN_LOAD_FAILED' },
      }),
    ]);
  });

  it('in strict mode attempts every plugin, throws one error listing all failures and disposes the rest', async () => {
    const attempt = loadPlugins(['./throws.js', './a.js', './b.js', 'agent-tools-absent'], {
      ...options('strict'),
      configFile: '/srv/agent.config.yaml',
    });

    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.message).toMatch(/^3 plugins failed to load \(pluginMode: strict\):\n/);
    expect(configError.message).toContain('[PLUGIN_LOAD_FAILED] Plugin "./throws.js" failed to import');
    expect(configError.message).toContain('[CONFIG_INVALID] Plugin "./b.js" clashes');
    expect(configError.message).toContain(
      '[PLUGIN_LOAD_FAILED] Plugin "agent-tools-absent" is not installed',
    );
    expect(configError.issues.map((issue) => [issue.file, issue.path])).toEqual([
      ['/srv/agent.config.yaml', 'plugins.0'],
      ['/srv/agent.config.yaml', 'plugins.2'],
      ['/srv/agent.config.yaml', 'plugins.3'],
    ]);
    expect(configError.issues[2]?.fix).toBe(`run pnpm add agent-tools-absent in ${sandbox.root}`);
    expect(configError.cause).toBeInstanceOf(AggregateError);
    expect(disposed.sort()).toEqual(['plugin-a', 'plugin-b']);
  });

  it('in strict mode keeps a single failure as the cause', async () => {
    const error = (await loadPlugins(['./throws.js'], options('strict')).catch(
      (caught: unknown) => caught,
    )) as ConfigError;

    expect(error.message).toMatch(/^1 plugin failed to load/);
    expect((error.cause as ConfigError).code).toBe('PLUGIN_LOAD_FAILED');
  });

  it('logs a dispose that throws on close and still disposes the others', async () => {
    sandbox.writeFiles(sandbox.root, {
      'bad-dispose.js': pluginSource({
        name: 'bad-dispose',
        tools: [],
        extra: "setup() { return () => { throw new Error('socket already closed'); }; },",
      }),
    });
    const { logger, lines } = recordingLogger();

    const result = await loadPlugins(['./a.js', './bad-dispose.js'], { ...options('strict'), logger });
    await result.close();

    expect(disposed).toEqual(['plugin-a']);
    expect(lines).toContainEqual({
      level: 'error',
      message: 'Plugin "./bad-dispose.js" dispose failed: socket already closed',
      fields: { plugin: './bad-dispose.js' },
    });
  });
});
