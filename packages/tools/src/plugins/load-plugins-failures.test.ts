import { type AgentError, ConfigError, noopLogger } from '@agent/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_SDK_VERSION, PluginSandbox, pluginSource } from './__fixtures__/plugin-sandbox.js';
import { loadPlugins } from './load-plugins.js';
import type { LoadPluginsOptions } from './load-plugins-types.js';

describe('loadPlugins failures', () => {
  let sandbox: PluginSandbox;
  beforeEach(() => {
    sandbox = new PluginSandbox();
  });
  afterEach(() => sandbox.remove());

  const lenient = (extra: Partial<LoadPluginsOptions> = {}): LoadPluginsOptions => ({
    cwd: sandbox.root,
    mode: 'lenient',
    logger: noopLogger,
    sdkVersion: FIXTURE_SDK_VERSION,
    ...extra,
  });

  /** Loads one entry leniently and returns its single failure's error. */
  async function failureOf(entry: string, extra: Partial<LoadPluginsOptions> = {}): Promise<AgentError> {
    const result = await loadPlugins([entry], lenient(extra));
    expect(result.plugins).toEqual([]);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]?.plugin).toBe(entry);
    const error = result.failures[0]?.error;
    if (!error) throw new Error('expected a failure');
    return error;
  }

  it('reports a missing package with the install command for the config folder', async () => {
    const error = await failureOf('@acme/agent-tools-missing');

    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.message).toBe(
      `Plugin "@acme/agent-tools-missing" is not installed: run pnpm add @acme/agent-tools-missing in ${sandbox.root}.`,
    );
  });

  it('reports a missing local file with its absolute path', async () => {
    const error = await failureOf('./nowhere.js');

    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.message).toContain(`${sandbox.path('nowhere.js')} does not exist`);
  });

  it('reports a package whose exports have no import target', async () => {
    sandbox.writePackage(
      'cjs-only',
      { 'index.cjs': 'module.exports = {};' },
      { exports: { require: './index.cjs' } },
    );

    const error = await failureOf('cjs-only');

    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.message).toContain('exports nothing for "." under the "import" or "default" condition');
  });

  it('reports an import that throws, keeping the cause', async () => {
    sandbox.writePackage('agent-tools-broken', { 'index.js': "throw new Error('database url missing');" });

    const error = await failureOf('agent-tools-broken');

    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.message).toContain('database url missing');
    expect((error.cause as Error).message).toBe('database url missing');
  });

  it('reports a module without a plugin export, naming what it exports', async () => {
    sandbox.writeFiles(sandbox.root, {
      'plain.js': "export const helper = 1; export default { name: 'x', tools: [] };",
    });

    const error = await failureOf('./plain.js');

    expect(error.code).toBe('PLUGIN_INVALID');
    expect(error.message).toContain('has no plugin export (found: helper, default)');
    expect(error.message).toContain('export definePlugin(...) as default or as `plugin`');
    expect(error.message).toContain('wrap it in definePlugin(...)');
  });

  it('lists every problem of a bad manifest with its path', async () => {
    sandbox.writeFiles(sandbox.root, {
      'bad.js': `export default {
  [Symbol.for('@agent/tools.plugin')]: true,
  name: 'Bad Name!',
  version: 'one',
  sdk: 'not a range',
  tools: [{ name: 'no tool' }, 42],
};`,
    });

    const error = await failureOf('./bad.js');

    expect(error.code).toBe('PLUGIN_INVALID');
    expect(error.message).toContain('(9 problems)');
    for (const fragment of [
      '- name: must be an npm package name',
      '- version: "one" is not a semver version: use e.g. "1.0.0"',
      '- sdk: "not a range" is not a semver range',
      '- tools[0].name: must be 1-64 letters',
      '- tools[0].description: must be a string',
      '- tools[0].input: must be a zod schema',
      '- tools[0].inputJsonSchema: is missing: the tool was not made by defineTool',
      '- tools[0].execute: must be a function',
      '- tools[1]: is not a tool',
    ]) {
      expect(error.message).toContain(fragment);
    }
  });

  it('refuses a plugin built for a newer SDK, telling to upgrade @agent/core', async () => {
    sandbox.writeFiles(sandbox.root, {
      'new.js': pluginSource({ name: 'future', sdk: '^2.0.0', tools: [] }),
    });

    const error = await failureOf('./new.js');

    expect(error.code).toBe('PLUGIN_INCOMPATIBLE');
    expect(error.message).toBe(
      'Plugin "./new.js" (future@1.0.0) needs @agent/core ^2.0.0, installed 1.4.0: upgrade @agent/core (pnpm add @agent/core@"^2.0.0"), or use a plugin version that supports @agent/core 1.4.0.',
    );
  });

  it('refuses a plugin built for an older SDK, telling to update the plugin', async () => {
    sandbox.writeFiles(sandbox.root, {
      'old.js': pluginSource({ name: 'legacy', sdk: '~1.1.0', tools: [] }),
    });

    const error = await failureOf('./old.js');

    expect(error.code).toBe('PLUGIN_INCOMPATIBLE');
    expect(error.message).toContain(
      'use a plugin version built for @agent/core 1.4.0 (pnpm add legacy@latest)',
    );
  });

  it('reports a setup that throws', async () => {
    sandbox.writeFiles(sandbox.root, {
      'setup.js': pluginSource({
        name: 'needs-key',
        tools: [],
        extra: "setup() { throw new Error('API key missing'); },",
      }),
    });

    const error = await failureOf('./setup.js');

    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.message).toContain('Plugin "./setup.js" setup failed: API key missing');
  });

  it('reports tools(context) that throws and disposes what setup opened', async () => {
    const disposed: string[] = [];
    Object.assign(globalThis, { __disposedOnFailure: disposed });
    sandbox.writeFiles(sandbox.root, {
      'tools.js': pluginSource({
        name: 'tools-fail',
        tools: [],
        extra: "setup() { return () => { globalThis.__disposedOnFailure.push('closed'); }; },",
      }).replace('tools: [],', "tools: () => { throw new Error('bad region'); },"),
    });

    const error = await failureOf('./tools.js');

    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.message).toContain('tools(context) failed: bad region');
    expect(disposed).toEqual(['closed']);
  });

  it('reports a namespace the config schema would reject', async () => {
    sandbox.writeFiles(sandbox.root, { 'p.js': pluginSource({ name: 'p', tools: [] }) });

    const result = await loadPlugins([{ from: './p.js', namespace: '1bad', options: {} }], lenient());

    expect(result.failures[0]?.error).toBeInstanceOf(ConfigError);
    expect(result.failures[0]?.error.message).toContain('invalid namespace "1bad"');
  });

  it('reports an entry from code that names no plugin', async () => {
    const result = await loadPlugins([{ from: '' }, { options: {} } as never], lenient());

    expect(result.failures.map((failure) => [failure.plugin, failure.error.code])).toEqual([
      ['', 'CONFIG_INVALID'],
      ['plugins[1]', 'CONFIG_INVALID'],
    ]);
    expect(result.failures[1]?.error.message).toBe(
      'plugins[1] names no plugin: write a package name or a path, or { from, namespace?, options? }.',
    );
  });

  it('turns an unexpected error into PLUGIN_LOAD_FAILED, through the import seam', async () => {
    sandbox.writeFiles(sandbox.root, { 'odd.js': '' });
    const importModule = async () => ({
      get default(): unknown {
        throw new TypeError('getter exploded');
      },
    });

    const error = await failureOf('./odd.js', { importModule });

    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.message).toBe('Plugin "./odd.js" failed to load: getter exploded.');
  });

  it('reports a setup that throws something other than an Error', async () => {
    sandbox.writeFiles(sandbox.root, {
      'str.js': pluginSource({ name: 'throws-string', tools: [], extra: "setup() { throw 'no config'; }," }),
    });

    expect((await failureOf('./str.js')).message).toContain('setup failed: no config.');
  });

  it('reports a namespace that makes a tool name too long, disposing the plugin', async () => {
    const disposed: string[] = [];
    Object.assign(globalThis, { __disposedLongName: disposed });
    sandbox.writeFiles(sandbox.root, {
      'long.js': pluginSource({
        name: 'long-names',
        tools: [{ name: 't'.repeat(40) }],
        extra: "setup() { return () => { globalThis.__disposedLongName.push('closed'); }; },",
      }),
    });

    const result = await loadPlugins([{ from: './long.js', namespace: 'n'.repeat(30) }], lenient());

    expect(result.failures[0]?.error.code).toBe('PLUGIN_INVALID');
    expect(result.failures[0]?.error.message).toContain('Use a shorter namespace for this entry in plugins.');
    expect(disposed).toEqual(['closed']);
  });
});
