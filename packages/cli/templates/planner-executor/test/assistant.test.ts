import { PlannerExecutor } from '@agent/core';
import { ScriptedModel, textResponse } from '@agent/core/testing';
import { describe, expect, it } from 'vitest';
import { orderStatus } from '../tools/order-status.js';

// The planner answers with a JSON plan; steps that name a tool run it directly, then the final
// answer is written from the results. ScriptedModel plays the model, so no API key is needed.
const plan = (value: unknown) => textResponse(JSON.stringify(value));

describe('assistant (planner-executor)', () => {
  it('plans two lookups, runs them, and answers from both results', async () => {
    const model = new ScriptedModel([
      plan({
        goal: 'Report the status of orders A-1001 and A-1002',
        steps: [
          { description: 'Look up A-1001', tool: 'order_status', input: { orderId: 'A-1001' } },
          { description: 'Look up A-1002', tool: 'order_status', input: { orderId: 'A-1002' } },
        ],
      }),
      textResponse('A-1001 has shipped; A-1002 is still processing.'),
    ]);
    const agent = new PlannerExecutor({ name: 'assistant', planner: model, tools: [orderStatus] });

    const result = await agent.run('How are my orders A-1001 and A-1002 doing?');

    expect(result.output).toBe('A-1001 has shipped; A-1002 is still processing.');
    const finalPrompt = JSON.stringify(model.calls.at(-1)?.messages);
    expect(finalPrompt).toContain('shipped');
    expect(finalPrompt).toContain('processing');
    model.assertComplete();
  });
});
