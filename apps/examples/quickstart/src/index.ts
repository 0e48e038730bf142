import { Agent, defineTool, type LanguageModel } from '@agent/core';
import { type FakeLlmServer, startFakeLlmServer } from '@agent/fake-llm-server';
import { createOpenAI } from '@agent/llm-openai';
import { z } from 'zod';

const weather = defineTool({
  name: 'weather',
  description: 'The current temperature in a city, in degrees Celsius.',
  input: z.object({ city: z.string().describe('City name, e.g. "Oslo"') }),
  execute: ({ city }) => ({ city, celsius: city.length + 10 }),
});

// With a key, a real model; without one, the local fake server scripted to answer the same way.
let model: LanguageModel;
let fake: FakeLlmServer | undefined;
if (process.env.OPENAI_API_KEY) {
  console.log('Using OpenAI (gpt-4o-mini), because OPENAI_API_KEY is set.');
  model = createOpenAI()('gpt-4o-mini');
} else {
  fake = await startFakeLlmServer();
  console.log(`Using the local fake LLM server at ${fake.url}, because OPENAI_API_KEY is not set.`);
  fake.enqueue(
    { kind: 'tool-calls', calls: [{ name: 'weather', arguments: { city: 'Oslo' } }] },
    { kind: 'text', text: 'It is 14 °C in Oslo right now.' },
  );
  model = createOpenAI({ apiKey: 'fake-key', baseURL: fake.openaiBaseURL })('gpt-4o-mini');
}

const agent = new Agent({
  name: 'quickstart',
  instructions: 'You answer questions about the weather. Use the weather tool.',
  model,
  tools: [weather],
});

try {
  const run = agent.stream('What is the weather in Oslo?');
  for await (const event of run) {
    if (event.type === 'tool.called')
      console.log(`→ ${event.toolCall.name}(${JSON.stringify(event.toolCall.arguments)})`);
    if (event.type === 'tool.succeeded') console.log(`← ${JSON.stringify(event.output)}`);
    if (event.type === 'model.text-delta') process.stdout.write(event.delta);
  }
  const result = await run.result;
  console.log(
    `\n(${result.usage.inputTokens} input + ${result.usage.outputTokens} output tokens, ${result.steps.length} steps)`,
  );
} finally {
  await fake?.close();
}
