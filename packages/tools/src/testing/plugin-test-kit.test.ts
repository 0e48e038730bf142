import { AbortedError, defineTool, PluginError } from '@agent/core';
import { textResponse, toolCallResponse, toolCallsResponse } from '@agent/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { definePlugin } from '../plugins/define-plugin.js';
import { callTool } from './call-tool.js';
import { loadPluginForTest } from './load-plugin-for-test.js';
import { runAgentWithTools } from './run-agent-with-tools.js';

const dispose = vi.fn();
const weatherPlugin = definePlugin({
  name: '@acme/agent-tools-weather',
  version: '1.0.0',
  sdk: '^1.0.0',
  setup: () => dispose,
  tools: (context) => [
    defineTool({
      name: 'weather',
      version: '2.0.0',
      description: 'Current weather for a city.',
      input: z.object({ city: z.string().min(1) }),
      output: z.object({ city: z.string(), units: z.string(), key: z.string() }),
      execute: ({ city }) => ({
        city,
        units: String(context.options.units),
        key: context.env.WEATHER_KEY ?? 'none',
      }),
    }),
    defineTool({
      name: 'broken',
      description: 'Returns the wrong shape.',
      input: z.object({}),
      output: z.object({ ok: z.literal(true) }),
      execute: () => ({ ok: false }) as unknown as { ok: true },
    }),
  ],
});

const slow = defineTool({
  name: 'slow',
  description: 'Waits for its signal.',
  input: z.object({}),
  execute: (_input, context) =>
    new Promise((_resolve, reject) =>
      context.signal.addEventListener('abort', () => reject(context.signal.reason)),
    ),
});

describe('loadPluginForTest', () => {
  it('validates, runs setup and tools(context) with the given options and env, and disposes on close', async () => {
    dispose.mockClear();
    const loaded = await loadPluginForTest(weatherPlugin, {
      options: { units: 'metric' },
      env: { WEATHER_KEY: 'k-1' },
      sdkVersion: '1.2.0',
    });

    const output = await callTool(loaded.tool('weather@^2'), { city: 'Oslo' });
    await loaded.close();

    expect(output).toEqual({ city: 'Oslo', units: 'metric', key: 'k-1' });
    expect(loaded.tools.map((tool) => tool.name)).toEqual(['weather', 'broken']);
    expect(dispose).toHaveBeenCalledOnce();
  });

  it('keeps the test hermetic: the process environment does not reach the plugin by default', async () => {
    process.env.WEATHER_KEY = 'from-the-shell';
    try {
      const loaded = await loadPluginForTest(weatherPlugin, { sdkVersion: '1.0.0' });

      await expect(callTool(loaded.tool('weather'), { city: 'Oslo' })).resolves.toMatchObject({
        key: 'none',
      });
    } finally {
      delete process.env.WEATHER_KEY;
    }
  });

  it('accepts the module that exports the plugin and applies a namespace', async () => {
    const loaded = await loadPluginForTest(
      { plugin: weatherPlugin },
      { sdkVersion: '1.0.0', namespace: 'acme' },
    );

    expect(loaded.tools.map((tool) => tool.name)).toEqual(['acme_weather', 'acme_broken']);
    expect(() => loaded.tool('weather')).toThrow(/Did you mean "acme_weather"/);
  });

  it('refuses an incompatible SDK like the real loader', async () => {
    const attempt = loadPluginForTest(weatherPlugin, { sdkVersion: '2.0.0' });

    await expect(attempt).rejects.toBeInstanceOf(PluginError);
    await expect(attempt).rejects.toMatchObject({
      code: 'PLUGIN_INCOMPATIBLE',
      plugin: '@acme/agent-tools-weather',
    });
  });

  it('refuses a module without a plugin export', async () => {
    await expect(loadPluginForTest({ default: { name: 'x' } })).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
    });
  });

  it('disposes setup when a namespace cannot be applied', async () => {
    dispose.mockClear();

    await expect(
      loadPluginForTest(weatherPlugin, { sdkVersion: '1.0.0', namespace: 'n'.repeat(60) }),
    ).rejects.toMatchObject({ code: 'PLUGIN_INVALID' });
    expect(dispose).toHaveBeenCalledOnce();
  });
});

describe('callTool', () => {
  it('refuses invalid input with TOOL_INPUT_INVALID, as the agent would', async () => {
    const loaded = await loadPluginForTest(weatherPlugin, { sdkVersion: '1.0.0', options: { units: 'si' } });

    await expect(callTool(loaded.tool('weather'), { town: 'Oslo' })).rejects.toMatchObject({
      code: 'TOOL_INPUT_INVALID',
      message: expect.stringContaining('"city"'),
    });
  });

  it('refuses output that does not match the output schema', async () => {
    const loaded = await loadPluginForTest(weatherPlugin, { sdkVersion: '1.0.0' });

    await expect(callTool(loaded.tool('broken'), {})).rejects.toMatchObject({ code: 'TOOL_OUTPUT_INVALID' });
  });

  it('times out with the given timeout, replacing the tool own', async () => {
    vi.useFakeTimers();
    try {
      const call = callTool({ ...slow, timeoutMs: 60_000 }, {}, { timeoutMs: 50 });
      const outcome = expect(call).rejects.toMatchObject({
        code: 'TOOL_TIMEOUT',
        message: expect.stringContaining('50 ms'),
      });
      await vi.advanceTimersByTimeAsync(50);
      await outcome;
    } finally {
      vi.useRealTimers();
    }
  });

  it('aborts with the signal and passes context fields to the tool', async () => {
    const seen = vi.fn();
    const spy = defineTool({
      name: 'spy',
      description: 'Records its context.',
      input: z.object({}),
      execute: (_input, context) => {
        seen({
          runId: context.runId,
          agent: context.agent,
          tenant: context.tenant,
          toolCallId: context.toolCallId,
        });
        return 'ok';
      },
    });
    const controller = new AbortController();

    const pending = callTool(slow, {}, { signal: controller.signal });
    controller.abort(new Error('stop'));
    await callTool(spy, {}, { context: { runId: 'r1', agent: 'a1', tenant: 't1', toolCallId: 'c1' } });

    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(seen).toHaveBeenCalledWith({ runId: 'r1', agent: 'a1', tenant: 't1', toolCallId: 'c1' });
  });
});

describe('runAgentWithTools', () => {
  it('runs a real agent with the scripted model and records the tool calls', async () => {
    const loaded = await loadPluginForTest(weatherPlugin, {
      sdkVersion: '1.0.0',
      options: { units: 'metric' },
    });

    const run = await runAgentWithTools({
      tools: loaded.tools,
      instructions: 'Answer about weather.',
      input: 'Weather in Oslo and Rome?',
      script: [
        toolCallsResponse([
          { name: 'weather', arguments: { city: 'Oslo' } },
          { name: 'weather', arguments: { town: 'Rome' } },
        ]),
        textResponse('Oslo is fine.'),
      ],
    });

    expect(run.result.output).toBe('Oslo is fine.');
    expect(run.toolCalls).toMatchObject([
      { name: 'weather', arguments: { city: 'Oslo' }, ok: true, output: { city: 'Oslo', units: 'metric' } },
      { name: 'weather', arguments: { town: 'Rome' }, ok: false, error: { code: 'TOOL_INPUT_INVALID' } },
    ]);
    expect(run.model.calls[0]?.tools.map((tool) => tool.name)).toEqual(['weather', 'broken']);
    expect(run.model.calls[0]?.messages[0]).toEqual({ role: 'system', content: 'Answer about weather.' });
    expect(run.events.map((event) => event.type)).toContain('tool.succeeded');
    expect(run.events.at(-1)?.type).toBe('run.completed');
    run.model.assertComplete();
  });

  it('rejects with the typed error when the run fails', async () => {
    const attempt = runAgentWithTools({
      tools: [slow],
      maxSteps: 1,
      toolTimeoutMs: 5,
      script: [toolCallResponse('missing', {}), textResponse('never')],
    });

    await expect(attempt).rejects.toMatchObject({ code: 'MAX_STEPS_EXCEEDED' });
  });
});
