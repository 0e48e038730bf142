import { Agent } from '@agent/core';
import { ScriptedModel, textResponse, toolCallResponse } from '@agent/core/testing';
import { describe, expect, it } from 'vitest';
import { orderStatus } from '../tools/order-status.js';

// ScriptedModel answers from a script: the tests run without a network or an API key, and fail
// when the agent does not call the tool the way the script expects.
describe('assistant', () => {
  it('looks an order up with order_status and answers from the result', async () => {
    const model = new ScriptedModel([
      toolCallResponse('order_status', { orderId: 'A-1001' }),
      textResponse('Order A-1001 has shipped and arrives on 2026-12-01.'),
    ]);
    const agent = new Agent({ name: 'assistant', model, tools: [orderStatus] });

    const result = await agent.run('Where is my order A-1001?');

    expect(result.output).toBe('Order A-1001 has shipped and arrives on 2026-12-01.');
    const toolResult = model.calls[1]?.messages.at(-1);
    expect(toolResult).toMatchObject({ role: 'tool', toolName: 'order_status' });
    expect(JSON.stringify(toolResult)).toContain('shipped');
    model.assertComplete();
  });

  it('tells the model when an order does not exist', async () => {
    const model = new ScriptedModel([
      toolCallResponse('order_status', { orderId: 'Z-9999' }),
      textResponse('I could not find that order.'),
    ]);
    const agent = new Agent({ name: 'assistant', model, tools: [orderStatus] });

    await agent.run('Where is Z-9999?');

    expect(model.calls[1]?.messages.at(-1)).toMatchObject({ role: 'tool', isError: true });
  });
});
