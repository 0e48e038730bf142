import { join } from 'node:path';
import { loadPlugins } from '@agent/tools';
import { callTool, recordingLogger } from '@agent/tools/testing';
import { describe, expect, it } from 'vitest';

// The package folder, as a host's config folder would be; the entry is loaded like a local plugin.
const packageRoot = join(import.meta.dirname, '..');
const entry = './src/index.ts';

describe('loading the package the way a host does', () => {
  it('imports the entry, validates the manifest and returns all three tools', async () => {
    const { logger } = recordingLogger();

    const result = await loadPlugins([{ from: entry, options: { source: 'demo' } }], {
      cwd: packageRoot,
      mode: 'strict',
      logger,
    });

    try {
      expect(result.plugins).toEqual([
        expect.objectContaining({
          name: '@acme/agent-tools-weather',
          version: '2.0.0',
          source: entry,
          file: join(packageRoot, 'src/index.ts'),
        }),
      ]);
      expect(result.tools.map((tool) => `${tool.name}@${tool.version}`)).toEqual([
        'weather@1.3.0',
        'weather@2.0.0',
        'forecast@1.0.0',
      ]);
      const forecast = result.tools.find((tool) => tool.name === 'forecast');
      expect(forecast && (await callTool(forecast, { city: 'Oslo', days: 2 }))).toMatchObject({
        source: 'demo',
      });
    } finally {
      await result.close();
    }
  });

  it('prefixes the tools and the deprecation hint with a namespace', async () => {
    const { logger } = recordingLogger();

    const result = await loadPlugins([{ from: entry, namespace: 'acme', options: { source: 'demo' } }], {
      cwd: packageRoot,
      mode: 'strict',
      logger,
    });
    await result.close();

    expect(result.tools.map((tool) => tool.name)).toEqual(['acme_weather', 'acme_weather', 'acme_forecast']);
    expect(result.tools[0]?.deprecated?.replacement).toBe('acme_weather@2');
  });

  it('fails a strict host with the options error, naming the field', async () => {
    const { logger } = recordingLogger();

    const loading = loadPlugins([{ from: entry, options: { units: 'kelvin' } }], {
      cwd: packageRoot,
      mode: 'strict',
      logger,
    });

    await expect(loading).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(loading).rejects.toThrow(/PLUGIN_LOAD_FAILED.*options\.units must be "metric"/);
  });

  it('lets a lenient host start without it, logging why', async () => {
    const { logger, lines } = recordingLogger();

    const result = await loadPlugins([{ from: entry, options: { timeoutMs: 0 } }], {
      cwd: packageRoot,
      mode: 'lenient',
      logger,
    });

    expect(result.tools).toEqual([]);
    expect(result.failures).toEqual([
      expect.objectContaining({
        plugin: entry,
        error: expect.objectContaining({ code: 'PLUGIN_LOAD_FAILED' }),
      }),
    ]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: expect.stringMatching(/options\.timeoutMs must be more than 0/),
      }),
    );
  });
});
