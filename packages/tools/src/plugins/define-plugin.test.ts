import { defineTool, PluginError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin } from './define-plugin.js';
import { isPlugin, PLUGIN_BRAND } from './plugin-brand.js';
import type { PluginSpec } from './plugin-types.js';

const echo = defineTool({
  name: 'echo',
  description: 'Echoes the text.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

const valid: PluginSpec = { name: '@acme/agent-tools-echo', version: '1.0.0', sdk: '^0.1.0', tools: [echo] };

function invalidMessage(spec: unknown): string {
  try {
    definePlugin(spec as PluginSpec);
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError);
    expect((error as PluginError).code).toBe('PLUGIN_INVALID');
    return (error as PluginError).message;
  }
  throw new Error('expected definePlugin to throw');
}

describe('definePlugin', () => {
  it('returns a frozen, branded plugin that isPlugin recognises', () => {
    const plugin = definePlugin(valid);

    expect(isPlugin(plugin)).toBe(true);
    expect(plugin[PLUGIN_BRAND]).toBe(true);
    expect(Object.isFrozen(plugin)).toBe(true);
    expect(Object.isFrozen(plugin.tools)).toBe(true);
    expect(plugin).toMatchObject({ name: '@acme/agent-tools-echo', version: '1.0.0', sdk: '^0.1.0' });
  });

  it('copies the tool array so later changes to it do not reach the plugin', () => {
    const tools = [echo];
    const plugin = definePlugin({ ...valid, tools });
    tools.push(echo);

    expect(plugin.tools).toHaveLength(1);
  });

  it('recognises the brand of another copy through the registered symbol only', () => {
    expect(isPlugin({ [Symbol.for('@agent/tools.plugin')]: true })).toBe(true);
    expect(isPlugin({ [Symbol('@agent/tools.plugin')]: true })).toBe(false);
    expect(isPlugin({ ...valid })).toBe(false);
    expect(isPlugin(null)).toBe(false);
    expect(isPlugin('plugin')).toBe(false);
  });

  it('accepts local names, tools as a function and a setup', () => {
    const plugin = definePlugin({
      name: 'My.Local_tools',
      version: '0.0.1-beta.1',
      sdk: '*',
      tools: () => [],
      setup() {},
    });

    expect(typeof plugin.tools).toBe('function');
  });

  it('lists every problem with its path, labelled with the name when there is one', () => {
    const message = invalidMessage({
      name: 'x',
      version: '1',
      sdk: '>>1',
      description: 3,
      setup: 'no',
      tools: 'none',
    });

    expect(message).toBe(
      [
        'Plugin "x" has an invalid manifest (5 problems):',
        '  - version: "1" is not a semver version: use e.g. "1.0.0"',
        '  - sdk: ">>1" is not a semver range: give the @agent/core versions the plugin works with, e.g. "^0.1.0"',
        '  - description: must be a string: one line about the tools',
        '  - setup: must be a function (context) => dispose | undefined',
        '  - tools: must be an array of tools made by defineTool, or a function (context) => tools',
        "Fix the plugin's definePlugin({ ... }) call, or report it to the plugin's author.",
      ].join('\n'),
    );
  });

  it('names missing fields and an unnamed plugin', () => {
    const message = invalidMessage({});

    expect(message).toMatch(/^Plugin "\(unnamed plugin\)" has an invalid manifest \(4 problems\)/);
    expect(message).toContain('- name: is missing: the npm package name');
    expect(message).toContain('- tools: is missing: give an array of tools');
    expect(invalidMessage(null)).toContain('- (root): must be an object made by definePlugin');
  });

  it('refuses the same tool name and version twice, and tools with an invalid version', () => {
    const versioned = defineTool({ ...echo, version: 'v1', name: 'versioned' } as Parameters<
      typeof defineTool
    >[0]);

    const message = invalidMessage({ ...valid, tools: [echo, echo, versioned] });

    expect(message).toContain(
      '- tools[1]: repeats tool "echo" (unversioned): give each tool its own name or version',
    );
    expect(message).toContain('- tools[2].version: "v1" is not a semver version');
  });
});
