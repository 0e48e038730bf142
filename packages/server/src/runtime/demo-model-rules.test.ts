import { type ToolDefinition, userMessage } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { createDemoModel } from './demo-model.js';

const offered = (...names: string[]): ToolDefinition[] =>
  names.map((name) => ({ name, description: name, inputSchema: { type: 'object' } }));

async function firstCall(text: string, tools: ToolDefinition[]) {
  const response = await createDemoModel({ latencyMs: 0 }).generate({ messages: [userMessage(text)], tools });
  return response.message.toolCalls?.[0];
}

describe('createDemoModel tool rules', () => {
  const all = offered('weather', 'calculator', 'current_time', 'word_count');

  it('asks the weather tool for the city after "in"', async () => {
    expect(await firstCall("What's the weather today in New York?", all)).toMatchObject({
      name: 'weather',
      arguments: { city: 'New York' },
    });
    expect(await firstCall('Is it sunny?', all)).toMatchObject({
      name: 'weather',
      arguments: { city: 'London' },
    });
  });

  it('gives the calculator the arithmetic in the message', async () => {
    expect(await firstCall('What is (12.5 + 7) * 3 in total?', all)).toMatchObject({
      name: 'calculator',
      arguments: { expression: '(12.5 + 7) * 3' },
    });
  });

  it('falls through to the next rule when a tool is not offered', async () => {
    expect(await firstCall('weather today?', offered('current_time'))).toMatchObject({
      name: 'current_time',
    });
    expect(await firstCall('2 + 2', offered('word_count'))).toBeUndefined();
  });
});
