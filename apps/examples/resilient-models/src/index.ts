import { startFakeLlmServer } from '@agent/fake-llm-server';
import { createModelStack } from './model-stack.js';

// Plays out an outage on the local fake server: OpenAI rate-limits, then stays overloaded, and
// the stack falls over to Anthropic.
const fake = await startFakeLlmServer();
console.log(`Using the local fake LLM server at ${fake.url}: OpenAI is having a bad day.`);
fake.enqueue(
  { kind: 'rate-limit', retryAfterMs: 300 },
  { kind: 'status', status: 503 },
  { kind: 'status', status: 503 },
  { kind: 'text', text: 'Hello from the backup model.' },
);
const model = createModelStack({
  openai: { apiKey: 'fake', baseURL: fake.openaiBaseURL },
  anthropic: { apiKey: 'fake', baseURL: fake.anthropicBaseURL },
  onRetry: (name, { attempt, delayMs, error }) =>
    console.log(`retry ${name}: attempt ${attempt} failed with ${error.code}, waiting ${delayMs} ms`),
  onFallback: (from, to) => console.log(`fallback: ${from} → ${to}`),
});
try {
  const response = await model.generate({ messages: [{ role: 'user', content: 'Say hello.' }] });
  console.log(response.message.content);
} finally {
  await fake.close();
}
