import { Agent } from '@agent/core';
import { ScriptedModel, textResponse, toolCallResponse } from '@agent/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stdioFixture } from './__fixtures__/fixture-process.js';
import { type McpToolSet, mcpTools } from './mcp-tools.js';

let set: McpToolSet;

beforeAll(async () => {
  set = await mcpTools({
    ...stdioFixture('our-server.ts'),
    name: 'fixture',
    namespace: 'fx',
    timeoutMs: 2000,
  });
});

afterAll(async () => {
  await set.close();
});

describe('an Agent using MCP tools', () => {
  it('calls an MCP tool end to end and answers with its result', async () => {
    const model = new ScriptedModel([toolCallResponse('fx_add', { a: 2, b: 3 }), textResponse('2 + 3 = 5')]);
    const agent = new Agent({ name: 'calc', model, tools: set.tools });

    const result = await agent.run('What is 2 + 3?');

    expect(result.output).toBe('2 + 3 = 5');
    expect(model.calls[0]?.tools.find((tool) => tool.name === 'fx_add')?.inputSchema).toMatchObject({
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
    });
    expect(model.calls[1]?.messages.at(-1)).toMatchObject({ role: 'tool', toolName: 'fx_add', content: '5' });
    model.assertComplete();
  });

  it('keeps running when the MCP tool fails, and tells the model why', async () => {
    const model = new ScriptedModel([
      toolCallResponse('fx_fail', {}),
      toolCallResponse('fx_slow', { ms: 10_000 }),
      textResponse('Both tools failed, sorry.'),
    ]);
    const agent = new Agent({ name: 'unlucky', model, tools: set.tools });

    const result = await agent.run('Try the tools.');

    const failure = model.calls[1]?.messages.at(-1);
    const timeout = model.calls[2]?.messages.at(-1);
    expect(result.output).toBe('Both tools failed, sorry.');
    expect(failure).toMatchObject({ role: 'tool', toolName: 'fx_fail', isError: true });
    expect(failure?.content).toContain('boom: the fixture tool always fails');
    expect(timeout).toMatchObject({ role: 'tool', toolName: 'fx_slow', isError: true });
    expect(timeout?.content).toContain('did not answer within 2000 ms');
    model.assertComplete();
  });
});
