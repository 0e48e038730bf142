import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPluginForTest, recordingLogger, resetDeprecationWarnings } from '@agent/tools/testing';
import { afterEach, describe, expect, it } from 'vitest';
import * as entry from './index.js';
import { plugin } from './plugin.js';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

describe('the plugin manifest', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('is the default and the `plugin` export, named and versioned like package.json', () => {
    expect(entry.default).toBe(plugin);
    expect(entry.plugin).toBe(plugin);
    expect(plugin).toMatchObject({ name: manifest.name, version: manifest.version, sdk: '^0.1.0' });
  });

  it('offers weather 1.3.0 (deprecated), weather 2.0.0 and forecast 1.0.0', async () => {
    const loaded = await loadPluginForTest(plugin, { options: { source: 'demo' } });
    closers.push(loaded.close);

    const offered = loaded.tools.map((tool) => ({
      name: tool.name,
      version: tool.version,
      deprecated: tool.deprecated,
    }));

    expect(offered).toEqual([
      {
        name: 'weather',
        version: '1.3.0',
        deprecated: {
          replacement: 'weather@2',
          message: 'v1 returns only the temperature; v2 adds conditions and wind',
        },
      },
      { name: 'weather', version: '2.0.0', deprecated: undefined },
      { name: 'forecast', version: '1.0.0', deprecated: undefined },
    ]);
  });

  it('resolves `weather` to 2.0.0 quietly and warns once when an agent asks for weather@^1', async () => {
    // Hosts warn once per process; start from a clean slate whatever ran before in this file.
    resetDeprecationWarnings();
    const { logger, lines } = recordingLogger();
    const loaded = await loadPluginForTest(plugin, { options: { source: 'demo' }, logger });
    closers.push(loaded.close);

    const latest = loaded.tool('weather');
    const quiet = lines.filter((line) => line.level === 'warn');
    const old = loaded.tool('weather@^1');
    loaded.tool('weather@1.3.0');
    const warnings = lines.filter((line) => line.level === 'warn');

    expect(latest.version).toBe('2.0.0');
    expect(quiet).toEqual([]);
    expect(old.version).toBe('1.3.0');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(
      /"weather" \(1\.3\.0\) is deprecated: use "weather@2" instead\. v1 returns only/,
    );
    expect(warnings[0]?.fields).toMatchObject({
      tool: 'weather',
      version: '1.3.0',
      replacement: 'weather@2',
    });
  });

  it('logs which source the tools use, saying demo data is not real weather', async () => {
    const { logger, lines } = recordingLogger();
    const demo = await loadPluginForTest(plugin, { options: { source: 'demo' }, logger });
    const live = await loadPluginForTest(plugin, { options: { baseUrl: 'http://127.0.0.1:9' }, logger });
    closers.push(demo.close, live.close);

    expect(lines.filter((line) => line.level === 'info')).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/demo data.*not real weather/),
        fields: { source: 'demo', units: 'metric' },
      }),
      expect.objectContaining({
        message: 'Weather tools use Open-Meteo at http://127.0.0.1:9.',
        fields: { source: 'open-meteo', units: 'metric' },
      }),
    ]);
  });

  it('refuses to load on an @agent/core outside its sdk range', async () => {
    const loading = loadPluginForTest(plugin, { options: { source: 'demo' }, sdkVersion: '1.0.0' });

    await expect(loading).rejects.toMatchObject({ code: 'PLUGIN_INCOMPATIBLE' });
    await expect(loading).rejects.toThrow(/needs @agent\/core \^0\.1\.0, installed 1\.0\.0/);
  });
});
