import { noopLogger } from '@agent/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFINE_PLUGIN_TS,
  FIXTURE_SDK_VERSION,
  PluginSandbox,
  pluginSource,
} from './__fixtures__/plugin-sandbox.js';
import { recordingLogger } from './__fixtures__/recording-logger.js';
import { loadPlugins } from './load-plugins.js';

const toolContext = {
  signal: new AbortController().signal,
  runId: 'run',
  agent: 'agent',
  tenant: undefined,
  toolCallId: 'call',
  logger: noopLogger,
};

describe('loadPlugins', () => {
  let sandbox: PluginSandbox;
  beforeEach(() => {
    sandbox = new PluginSandbox();
  });
  afterEach(() => sandbox.remove());

  const base = () => ({
    cwd: sandbox.root,
    mode: 'strict' as const,
    logger: noopLogger,
    sdkVersion: FIXTURE_SDK_VERSION,
  });

  it('loads an ESM-only package through its exports map, looked up from a nested config folder', async () => {
    sandbox.writePackage('@acme/agent-tools-weather', {
      'index.js': pluginSource({
        name: '@acme/agent-tools-weather',
        tools: [{ name: 'weather', version: '1.2.0' }],
      }),
    });
    sandbox.writeFiles(sandbox.root, { 'config/agent.config.yaml': 'plugins: []' });

    const result = await loadPlugins(['@acme/agent-tools-weather'], {
      ...base(),
      cwd: sandbox.path('config'),
    });

    expect(result.failures).toEqual([]);
    expect(result.plugins).toMatchObject([
      {
        name: '@acme/agent-tools-weather',
        version: '1.0.0',
        source: '@acme/agent-tools-weather',
        namespace: undefined,
      },
    ]);
    expect(result.plugins[0]?.file).toBe(sandbox.path('node_modules/@acme/agent-tools-weather/index.js'));
    expect(result.tools.map((tool) => `${tool.name}@${tool.version}`)).toEqual(['weather@1.2.0']);
    expect(await result.tools[0]?.execute({ city: 'Oslo' }, toolContext)).toBe('weather@1.2.0:Oslo');
  });

  it('loads a package subpath and a plugin exported as `plugin`', async () => {
    sandbox.writePackage(
      'agent-tools-extra',
      {
        'extra.js': pluginSource({
          name: 'agent-tools-extra',
          tools: [{ name: 'extra' }],
          exportAs: 'plugin',
        }),
      },
      { exports: { '.': './missing.js', './extra': { import: './extra.js' } } },
    );

    const result = await loadPlugins(['agent-tools-extra/extra'], base());

    expect(result.tools.map((tool) => tool.name)).toEqual(['extra']);
  });

  it('loads a local .js plugin by a path relative to the config folder', async () => {
    sandbox.writeFiles(sandbox.root, {
      'tools/local.js': pluginSource({ name: 'local-tools', tools: [{ name: 'local' }] }),
    });

    const result = await loadPlugins([{ from: './tools/local.js', options: {} }], base());

    expect(result.plugins.map((plugin) => plugin.name)).toEqual(['local-tools']);
    expect(result.plugins[0]?.file).toBe(sandbox.path('tools/local.js'));
  });

  it('loads a local .ts plugin through tsx, built with definePlugin from another module copy', async () => {
    sandbox.writeFiles(sandbox.root, {
      'package.json': JSON.stringify({ type: 'module' }),
      'tools/typed.ts': `import { defineTool } from '@agent/core';
import { z } from 'zod';
import { definePlugin } from ${JSON.stringify(DEFINE_PLUGIN_TS)};
interface Options { greeting: string }
export default definePlugin({
  name: 'typed-tools',
  version: '2.0.0',
  sdk: '>=1.0.0',
  tools: (context) => {
    const { greeting } = context.options as unknown as Options;
    return [defineTool({
      name: 'greet',
      description: 'Greets someone.',
      input: z.object({ who: z.string() }),
      execute: ({ who }: { who: string }): string => \`\${greeting}, \${who}\`,
    })];
  },
});
`,
    });

    const result = await loadPlugins([{ from: './tools/typed.ts', options: { greeting: 'Hei' } }], base());

    expect(result.plugins.map((plugin) => `${plugin.name}@${plugin.version}`)).toEqual(['typed-tools@2.0.0']);
    expect(await result.tools[0]?.execute({ who: 'Kari' }, toolContext)).toBe('Hei, Kari');
  });

  it('loads a .ts plugin that tsx compiles as CommonJS (no "type": "module"), found under default.default', async () => {
    sandbox.writeFiles(sandbox.path('cjs'), {
      'package.json': JSON.stringify({ name: 'cjs-local' }),
      'plugin.ts': `import { defineTool } from '@agent/core';
import { z } from 'zod';
const brand: unique symbol = Symbol.for('@agent/tools.plugin') as never;
export default {
  [brand]: true,
  name: 'cjs-tools',
  version: '1.0.0',
  sdk: '^1.0.0',
  tools: [defineTool({ name: 'cjs', description: 'CJS.', input: z.object({}), execute: (): string => 'from cjs' })],
};
`,
    });

    const result = await loadPlugins(['./cjs/plugin.ts'], base());

    expect(result.plugins.map((plugin) => plugin.name)).toEqual(['cjs-tools']);
    expect(await result.tools[0]?.execute({}, toolContext)).toBe('from cjs');
  });

  it('passes options, env, cwd, sdkVersion and a named logger to setup and tools(context)', async () => {
    sandbox.writeFiles(sandbox.root, {
      'tools/context.js': pluginSource({
        name: 'context-tools',
        tools: [],
        body: 'export const seen = [];',
        extra: `setup(context) { seen.push(['setup', context]); context.logger.info('set up'); },`,
      }).replace(
        'tools: [],',
        `tools: (context) => { seen.push(['tools', context]); return [defineTool({ name: 'unit', description: 'Unit.', input: z.object({}), execute: () => context.options.unit })]; },`,
      ),
    });
    const { logger, lines } = recordingLogger();
    const env = { WEATHER_KEY: 'secret' };

    const result = await loadPlugins([{ from: './tools/context.js', options: { unit: 'celsius' } }], {
      ...base(),
      logger,
      env,
    });
    const module = (await import(sandbox.path('tools/context.js'))) as {
      seen: [string, Record<string, unknown>][];
    };

    expect(module.seen.map(([phase]) => phase)).toEqual(['setup', 'tools']);
    expect(module.seen[0]?.[1]).toMatchObject({
      options: { unit: 'celsius' },
      env,
      cwd: sandbox.root,
      sdkVersion: FIXTURE_SDK_VERSION,
    });
    expect(Object.isFrozen(module.seen[0]?.[1])).toBe(true);
    expect(lines).toContainEqual({
      level: 'info',
      message: 'set up',
      fields: { plugin: './tools/context.js' },
    });
    expect(await result.tools[0]?.execute({}, toolContext)).toBe('celsius');
  });

  it('disposes every plugin on close, last loaded first, once', async () => {
    const disposing = (name: string) =>
      pluginSource({
        name,
        tools: [{ name: `${name}-tool` }],
        extra: `setup() { return () => { globalThis.__disposed.push(${JSON.stringify(name)}); }; },`,
      });
    sandbox.writeFiles(sandbox.root, { 'a.js': disposing('first'), 'b.js': disposing('second') });
    const disposed: string[] = [];
    Object.assign(globalThis, { __disposed: disposed });

    const result = await loadPlugins(['./a.js', './b.js'], base());
    expect(disposed).toEqual([]);
    await result.close();
    await result.close();

    expect(disposed).toEqual(['second', 'first']);
  });

  it('prefixes tools with the entry namespace, keeping every field', async () => {
    sandbox.writeFiles(sandbox.root, {
      'ns.js': pluginSource({
        name: 'ns-tools',
        tools: [
          { name: 'old', version: '1.0.0', deprecated: { replacement: 'new@2', message: 'Renamed.' } },
          { name: 'new', version: '2.0.0' },
          { name: 'older', version: '0.1.0', deprecated: { replacement: 'weather' } },
          { name: 'oldest', version: '0.0.1', deprecated: {} },
        ],
      }),
    });

    const result = await loadPlugins([{ from: './ns.js', namespace: 'acme', options: {} }], base());

    expect(result.tools.map((tool) => `${tool.name}@${tool.version}`)).toEqual([
      'acme_old@1.0.0',
      'acme_new@2.0.0',
      'acme_older@0.1.0',
      'acme_oldest@0.0.1',
    ]);
    expect(result.tools.map((tool) => tool.deprecated)).toEqual([
      { replacement: 'acme_new@2', message: 'Renamed.' },
      undefined,
      { replacement: 'weather' },
      {},
    ]);
    expect(result.tools[0]?.inputJsonSchema).toMatchObject({ required: ['city'] });
    expect(await result.tools[1]?.execute({ city: 'Bergen' }, toolContext)).toBe('new@2.0.0:Bergen');
    expect(result.plugins[0]?.namespace).toBe('acme');
  });

  it('keeps two versions of one tool name from two plugins side by side', async () => {
    sandbox.writeFiles(sandbox.root, {
      'v1.js': pluginSource({ name: 'weather-v1', tools: [{ name: 'weather', version: '1.0.0' }] }),
      'v2.js': pluginSource({ name: 'weather-v2', tools: [{ name: 'weather', version: '2.0.0' }] }),
    });

    const result = await loadPlugins(['./v1.js', './v2.js'], { ...base(), builtinNames: ['calculator'] });

    expect(result.failures).toEqual([]);
    expect(result.tools.map((tool) => `${tool.name}@${tool.version}`)).toEqual([
      'weather@1.0.0',
      'weather@2.0.0',
    ]);
  });
});
