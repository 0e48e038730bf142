import { type AnyTool, ConfigError, defineTool, ToolError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolCatalog } from './tool-catalog.js';

function tool(name: string, version?: string): AnyTool {
  return defineTool({
    name,
    description: `${name} tool.`,
    input: z.object({}),
    ...(version !== undefined ? { version } : {}),
    execute: () => `${name}@${version ?? 'none'}`,
  });
}

function catalogOf(...tools: AnyTool[]): ToolCatalog {
  const catalog = new ToolCatalog();
  for (const entry of tools) catalog.add(entry, `source of ${entry.name}@${entry.version ?? '-'}`);
  return catalog;
}

const weather = ['1.0.0', '1.2.0', '1.10.1', '2.0.0', '2.1.3', '3.0.0-beta.1'].map((version) =>
  tool('weather', version),
);

describe('ToolCatalog', () => {
  it.each([
    ['weather', '2.1.3'],
    ['weather@latest', '2.1.3'],
    ['weather@^1', '1.10.1'],
    ['weather@1.2.0', '1.2.0'],
    ['weather@~2.1', '2.1.3'],
    ['weather@>=2 <2.1', '2.0.0'],
    ['weather@^3.0.0-beta.0', '3.0.0-beta.1'],
  ])('resolves %s to %s', (reference, version) => {
    expect(catalogOf(...weather).resolve(reference).version).toBe(version);
  });

  it('resolves a name with only prereleases to the highest prerelease', () => {
    const catalog = catalogOf(tool('beta', '1.0.0-alpha.1'), tool('beta', '1.0.0-beta.2'));

    expect(catalog.resolve('beta').version).toBe('1.0.0-beta.2');
  });

  it('treats an unversioned tool as 0.0.0 below every version, shown as unversioned', () => {
    const catalog = catalogOf(tool('clock'), tool('clock', '0.1.0'));

    expect(catalog.resolve('clock').version).toBe('0.1.0');
    expect(catalog.resolve('clock@0.0.0').version).toBeUndefined();
    expect(catalog.versions('clock')).toEqual(['0.1.0', 'unversioned']);
    expect(catalog.list().map((entry) => [entry.version, entry.versioned])).toEqual([
      ['0.1.0', true],
      ['0.0.0', false],
    ]);
  });

  it('lists entries by name, highest version first, with their sources', () => {
    const catalog = catalogOf(tool('b', '1.0.0'), tool('a'), tool('b', '2.0.0'));

    expect(catalog.list().map((entry) => `${entry.name}@${entry.version} from ${entry.source}`)).toEqual([
      'a@0.0.0 from source of a@-',
      'b@2.0.0 from source of b@2.0.0',
      'b@1.0.0 from source of b@1.0.0',
    ]);
    expect(catalog.size).toBe(3);
    expect(catalog.versions('missing')).toEqual([]);
  });

  it('refuses the same name and version twice, naming both sources', () => {
    const catalog = new ToolCatalog().add(tool('weather', '1.0.0'), 'plugin @acme/a');

    expect(() => catalog.add(tool('weather', '1.0.0'), 'plugin @acme/b')).toThrow(
      new ToolError(
        'TOOL_DUPLICATE',
        'weather',
        'Tool "weather" (1.0.0) from plugin @acme/b is already in the catalog from plugin @acme/a: give one of them another version, or load one plugin with a namespace.',
      ),
    );
  });

  it('refuses a version that is not semver', () => {
    expect(() => new ToolCatalog().add(tool('weather', 'v-one'))).toThrow(ConfigError);
  });

  it('lists the available versions when no version satisfies the range', () => {
    const attempt = () => catalogOf(...weather.slice(0, 3)).resolve('weather@^2');

    expect(attempt).toThrow(
      'No version of tool "weather" satisfies "^2": available versions are 1.10.1, 1.2.0, 1.0.0. Change the range',
    );
    expect(attempt).toThrow(expect.objectContaining({ code: 'TOOL_NOT_FOUND' }));
  });

  it('suggests close names for an unknown name, or lists the known ones', () => {
    const catalog = catalogOf(tool('weather'), tool('weather_alerts'), tool('calculator'));

    expect(() => catalog.resolve('wether')).toThrow(
      /No tool named "wether" in the catalog\. Did you mean "weather"\?/,
    );
    expect(() => catalog.resolve('zzz')).toThrow(/Known tools: calculator, weather, weather_alerts\./);
    expect(() => new ToolCatalog().resolve('zzz')).toThrow(/Known tools: \(none\)\./);
  });

  it('refuses references with an empty name or an invalid range', () => {
    const catalog = catalogOf(...weather);

    expect(() => catalog.resolve('@^1')).toThrow(ConfigError);
    expect(() => catalog.resolve('weather@')).toThrow(/invalid version range ""/);
    expect(() => catalog.resolve('weather@banana')).toThrow(/use a semver range such as weather@\^1/);
    expect(catalog.has('weather@^2')).toBe(true);
    expect(catalog.has('weather@^9')).toBe(false);
  });

  it('builds a registry of the resolved tools for an agent', () => {
    const catalog = catalogOf(...weather, tool('calculator'));

    const registry = catalog.registryFor(['weather@^1', 'calculator', 'weather@1.10.1']);

    expect(registry.list().map((entry) => `${entry.name}@${entry.version}`)).toEqual([
      'weather@1.10.1',
      'calculator@undefined',
    ]);
  });

  it('refuses two versions of one name in one registry, because the model sees names only', () => {
    const catalog = catalogOf(...weather);

    expect(() => catalog.registryFor(['weather@^1', 'weather@^2'])).toThrow(
      /References "weather@\^1" and "weather@\^2" resolve to two versions of "weather" \(1\.10\.1 and 2\.1\.3\)/,
    );
  });

  it('takes tools in the constructor with the default source', () => {
    const catalog = new ToolCatalog([tool('a')]);

    expect(catalog.list()[0]?.source).toBe('code');
  });
});
