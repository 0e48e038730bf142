import { textResponse, toolCallResponse } from '@agent/core/testing';
import { loadPluginForTest, type PluginUnderTest, runAgentWithTools } from '@agent/tools/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenMeteo, startFakeOpenMeteo } from './__fixtures__/fake-open-meteo.js';
import { plugin } from './plugin.js';

describe('an agent using the weather tools', () => {
  let api: FakeOpenMeteo;
  let loaded: PluginUnderTest;
  beforeEach(async () => {
    api = await startFakeOpenMeteo();
    loaded = await loadPluginForTest(plugin, { options: api.options });
  });
  afterEach(async () => {
    await loaded.close();
    await api.close();
  });

  // An agent gets one version per name, as a host's `tools: [weather@^2, forecast]` would give.
  const agentTools = () => [loaded.tool('weather@^2'), loaded.tool('forecast')];

  it('calls weather, is shown its output, then answers', async () => {
    const { result, toolCalls, model } = await runAgentWithTools({
      tools: agentTools(),
      input: 'What is the weather in Berlin?',
      script: [
        toolCallResponse('weather', { city: 'Berlin' }),
        textResponse('12.3 °C and slight rain in Berlin.'),
      ],
    });

    expect(result.output).toBe('12.3 °C and slight rain in Berlin.');
    expect(toolCalls).toEqual([
      expect.objectContaining({
        name: 'weather',
        ok: true,
        output: expect.objectContaining({ temperature: 12.3 }),
      }),
    ]);
    expect(model.calls[0]?.tools.map((tool) => tool.name)).toEqual(['weather', 'forecast']);
    expect(model.calls[1]?.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: expect.stringContaining('"conditions":"slight rain"'),
    });
    model.assertComplete();
  });

  it('shows the model a failing call as a tool error it can recover from', async () => {
    const { result, toolCalls, model } = await runAgentWithTools({
      tools: agentTools(),
      script: [
        toolCallResponse('weather', { city: 'Berlln' }),
        toolCallResponse('forecast', { city: 'Berlin', days: 30 }),
        toolCallResponse('forecast', { city: 'Berlin', days: 2 }),
        textResponse('Rain today, overcast tomorrow.'),
      ],
    });

    expect(toolCalls.map((call) => [call.name, call.ok, call.error?.code])).toEqual([
      ['weather', false, 'TOOL_FAILED'],
      ['forecast', false, 'TOOL_INPUT_INVALID'],
      ['forecast', true, undefined],
    ]);
    expect(toolCalls[0]?.error?.message).toMatch(/City "Berlln" was not found\. Check the spelling/);
    expect(model.calls[1]?.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: expect.stringMatching(/^Error: .*not found/),
    });
    expect(result.output).toBe('Rain today, overcast tomorrow.');
    expect(api.requests.filter((url) => url.pathname === '/wx/v1/forecast')).toHaveLength(1);
  });

  it('cannot give one agent both versions of weather: the model sees names only', async () => {
    const run = runAgentWithTools({ tools: loaded.tools, script: [textResponse('unused')] });

    await expect(run).rejects.toMatchObject({ code: 'TOOL_DUPLICATE' });
  });
});
