import { Agent, defineTool, EventBus } from '@agent/core';
import { ScriptedModel, textResponse, toolCallResponse } from '@agent/core/testing';
import { z } from 'zod';

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

// Swap in openai('gpt-4o-mini') from @agent/llm-openai for a real model.
const model = new ScriptedModel([toolCallResponse('add', { a: 2, b: 3 }), textResponse('2 + 3 = 5')]);

const events = new EventBus();
events.subscribe((event) => console.log(`#${event.seq} ${event.type}`));

const agent = new Agent({
  name: 'calculator',
  instructions: 'You add numbers.',
  model,
  tools: [add],
  events,
});
const result = await agent.run('What is 2 + 3?');

console.log(result.output); // 2 + 3 = 5
console.log(result.usage); // { inputTokens: 20, outputTokens: 10 }
