import { textResponse, toolCallResponse } from '@agent/core/testing';
import { callTool, loadPluginForTest, runAgentWithTools } from '@agent/tools/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

// @agent/tools/testing loads the plugin the way an agent's config would (manifest and SDK range
// checked), so these tests fail on anything users would hit.
describe('{{name}}', () => {
  it('loads, with its tool', async () => {
    const loaded = await loadPluginForTest(plugin);

    expect(loaded.tools.map((tool) => tool.name)).toEqual(['unit_convert']);
    await loaded.close();
  });

  it('converts length, mass and temperature', async () => {
    const { tool, close } = await loadPluginForTest(plugin);
    const convert = tool('unit_convert');

    await expect(callTool(convert, { value: 5, from: 'km', to: 'mi' })).resolves.toEqual({
      value: 3.106856,
      unit: 'mi',
    });
    await expect(callTool(convert, { value: 1, from: 'lb', to: 'g' })).resolves.toEqual({
      value: 453.59237,
      unit: 'g',
    });
    await expect(callTool(convert, { value: 100, from: 'C', to: 'F' })).resolves.toEqual({
      value: 212,
      unit: 'F',
    });
    await close();
  });

  it('refuses invalid input and units of different dimensions', async () => {
    const { tool, close } = await loadPluginForTest(plugin);
    const convert = tool('unit_convert');

    await expect(callTool(convert, { value: 'five', from: 'km', to: 'mi' })).rejects.toThrow(/value/);
    await expect(callTool(convert, { value: 1, from: 'kg', to: 'km' })).rejects.toThrow(/same thing/);
    await close();
  });

  it('is called by an agent', async () => {
    const { tools, close } = await loadPluginForTest(plugin);

    const { result } = await runAgentWithTools({
      tools,
      script: [
        toolCallResponse('unit_convert', { value: 10, from: 'kg', to: 'lb' }),
        textResponse('10 kg is 22.05 lb.'),
      ],
      input: 'How many pounds is 10 kg?',
    });

    expect(result.output).toBe('10 kg is 22.05 lb.');
    await close();
  });
});
