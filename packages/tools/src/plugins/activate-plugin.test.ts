import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineTool, noopLogger, type PluginError } from '@agent/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type ActivationOptions, activatePlugin } from './activate-plugin.js';
import { definePlugin } from './define-plugin.js';
import { namespaceTools } from './namespace-tools.js';
import type { PluginSpec } from './plugin-types.js';
import { installedSdkVersion } from './sdk-compatibility.js';

const ping = defineTool({ name: 'ping', description: 'Pings.', input: z.object({}), execute: () => 'pong' });
const spec: PluginSpec = { name: 'timing', version: '1.0.0', sdk: '^1.0.0', tools: [ping] };
const activation: ActivationOptions = {
  source: './timing.js',
  options: {},
  logger: noopLogger,
  env: {},
  cwd: '/project',
  sdkVersion: '1.0.0',
  timeoutMs: 1_000,
};

async function rejection(promise: Promise<unknown>): Promise<PluginError> {
  return (await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  )) as PluginError;
}

describe('activatePlugin', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fails a setup that never finishes, and disposes it if it finishes late', async () => {
    vi.useFakeTimers();
    let finishSetup: (dispose: () => void) => void = () => {};
    const dispose = vi.fn();
    const plugin = definePlugin({ ...spec, setup: () => new Promise((resolve) => (finishSetup = resolve)) });

    const result = rejection(activatePlugin(plugin, activation));
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await result;
    finishSetup(dispose);
    await vi.runAllTimersAsync();

    expect(error.code).toBe('PLUGIN_LOAD_FAILED');
    expect(error.message).toContain('setup failed: did not finish within 1000 ms');
    expect(error.message).toContain('raise the loader timeout');
    expect(dispose).toHaveBeenCalledOnce();
  });

  it('fails tools(context) that never finishes', async () => {
    vi.useFakeTimers();
    const plugin = definePlugin({ ...spec, tools: () => new Promise(() => {}) });

    const result = rejection(activatePlugin(plugin, activation));
    await vi.advanceTimersByTimeAsync(1_000);

    expect((await result).message).toContain('tools(context) failed: did not finish within 1000 ms');
  });

  it('refuses a setup that returns something other than a dispose function', async () => {
    const plugin = definePlugin({ ...spec, setup: () => 42 as unknown as undefined });

    const error = await rejection(activatePlugin(plugin, activation));

    expect(error.code).toBe('PLUGIN_INVALID');
    expect(error.message).toContain('setup returned number: return a dispose function or nothing');
  });

  it('refuses what tools(context) returns when it is not a list of tools', async () => {
    const plugin = definePlugin({ ...spec, tools: () => [{ name: 'fake' }] as never });

    const error = await rejection(activatePlugin(plugin, activation));

    expect(error.code).toBe('PLUGIN_INVALID');
    expect(error.message).toContain('has an invalid tool list');
    expect(error.message).toContain('- tools(context)[0].description: must be a string');
  });

  it('runs dispose once however often it is called', async () => {
    const dispose = vi.fn();
    const activated = await activatePlugin(definePlugin({ ...spec, setup: () => dispose }), activation);

    await activated.dispose();
    await activated.dispose();

    expect(dispose).toHaveBeenCalledOnce();
    expect(activated.tools).toEqual([ping]);
  });

  it('reads the installed @agent/core version from its package.json', () => {
    const require = createRequire(import.meta.url);
    const manifest = JSON.parse(readFileSync(require.resolve('@agent/core/package.json'), 'utf8')) as {
      version: string;
    };

    expect(installedSdkVersion()).toBe(manifest.version);
    expect(installedSdkVersion()).toBe(manifest.version);
  });

  it('refuses a namespace that makes a tool name longer than 64 characters', () => {
    const long = defineTool({
      name: 'x'.repeat(60),
      description: 'Long.',
      input: z.object({}),
      execute: () => 1,
    });

    expect(() => namespaceTools([long], 'acme', './long.js')).toThrow(
      /Plugin "\.\/long\.js" tool "x{60}" cannot be namespaced as "acme_x{60}": .*Use a shorter namespace/,
    );
  });
});
