// Agent loop overhead per model step: `Agent` (events on a bus with a subscriber, zod validation
// of tool arguments, a MemoryRateLimiter acquire + reconcile per model call) against a
// hand-written minimal loop doing the same model calls, validation and tool calls, in the same
// process and interleaved, so machine noise hits both alike.
//
//   pnpm bench            full run
//   pnpm bench -- --quick a short run (CI smoke)
import { Agent, defineTool, EventBus, MemoryRateLimiter } from '@agent/core';
import { z } from 'zod';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 10;
const RUNS_PER_ROUND = quick ? 300 : 1500;
const WARM_UP_RUNS = quick ? 300 : 2000;

const inputSchema = z.object({ a: z.number(), b: z.number() });
const add = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  input: inputSchema,
  execute: ({ a, b }) => a + b,
});
const tools = [{ name: add.name, description: add.description, inputSchema: add.inputJsonSchema }];

/** A model answering `toolSteps` tool calls, then a final text; it does the same work for both loops. */
function benchModel(toolSteps) {
  const usage = { inputTokens: 20, outputTokens: 5 };
  return {
    provider: 'bench',
    modelId: 'scripted',
    async generate(request) {
      let calls = 0;
      for (const message of request.messages) if (message.role === 'tool') calls++;
      if (calls < toolSteps) {
        return {
          message: {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: `c${calls}`, name: 'add', arguments: { a: calls, b: 1 } }],
          },
          usage,
          finishReason: 'tool-calls',
        };
      }
      return { message: { role: 'assistant', content: 'done' }, usage, finishReason: 'stop' };
    },
    stream() {
      throw new Error('not used');
    },
  };
}

/** The baseline: the least a correct tool-calling loop does. */
async function handWrittenLoop(model, input) {
  const messages = [
    { role: 'system', content: 'You add numbers.' },
    { role: 'user', content: input },
  ];
  for (let step = 0; step < 20; step++) {
    const response = await model.generate({ messages, tools });
    messages.push(response.message);
    const calls = response.message.toolCalls;
    if (!calls || calls.length === 0) return response.message.content;
    for (const call of calls) {
      const parsed = inputSchema.safeParse(call.arguments);
      const content = parsed.success ? JSON.stringify(await add.execute(parsed.data)) : 'invalid';
      messages.push({ role: 'tool', toolCallId: call.id, toolName: call.name, content });
    }
  }
  throw new Error('too many steps');
}

function sdkAgent(model) {
  const events = new EventBus();
  let seen = 0;
  events.subscribe(() => {
    seen++;
  });
  const limiter = new MemoryRateLimiter({
    rules: [
      { name: 'per-tenant', scope: ['tenant', 'model'], maxCalls: 1e9, maxTokens: 1e12, windowMs: 60_000 },
    ],
  });
  const agent = new Agent({
    name: 'bench',
    instructions: 'You add numbers.',
    model,
    tools: [add],
    events,
    limiter,
    maxSteps: 20,
  });
  return { run: (input) => agent.run(input, { tenant: 'acme' }), seen: () => seen };
}

/** The same Agent with no bus and no limiter: shows what events and rate limiting cost. */
function bareAgent(model) {
  const agent = new Agent({
    name: 'bare',
    instructions: 'You add numbers.',
    model,
    tools: [add],
    maxSteps: 20,
  });
  return (input) => agent.run(input, { tenant: 'acme' });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(run, samples, steps) {
  for (let index = 0; index < RUNS_PER_ROUND; index++) {
    const start = process.hrtime.bigint();
    await run('add');
    samples.push(Number(process.hrtime.bigint() - start) / 1000 / steps);
  }
}

async function scenario(toolSteps) {
  const steps = toolSteps + 1;
  const model = benchModel(toolSteps);
  const sdk = sdkAgent(model);
  const hand = (input) => handWrittenLoop(model, input);
  const bare = bareAgent(model);
  if ((await sdk.run('x')).output !== 'done' || (await hand('x')) !== 'done')
    throw new Error('loops disagree');
  for (let index = 0; index < WARM_UP_RUNS; index++) {
    await sdk.run('warm');
    await hand('warm');
    await bare('warm');
  }
  const sdkSamples = [];
  const handSamples = [];
  const bareSamples = [];
  for (let round = 0; round < ROUNDS; round++) {
    globalThis.gc?.();
    // Alternate which goes first so neither always runs on a warmer cache.
    if (round % 2 === 0) {
      await measure(sdk.run, sdkSamples, steps);
      await measure(hand, handSamples, steps);
      await measure(bare, bareSamples, steps);
    } else {
      await measure(bare, bareSamples, steps);
      await measure(hand, handSamples, steps);
      await measure(sdk.run, sdkSamples, steps);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (sdk.seen() === 0) throw new Error('the event subscriber saw nothing: events were not on');
  sdkSamples.sort((a, b) => a - b);
  handSamples.sort((a, b) => a - b);
  bareSamples.sort((a, b) => a - b);
  const row = (name, samples) => ({
    loop: name,
    'median µs/step': percentile(samples, 50).toFixed(2),
    'p99 µs/step': percentile(samples, 99).toFixed(2),
  });
  return {
    rows: [
      row(`@agent/core Agent (${toolSteps} tool call(s)/run)`, sdkSamples),
      row(`  same Agent without bus and limiter`, bareSamples),
      row(`hand-written (${toolSteps} tool call(s)/run)`, handSamples),
    ],
    medianRatio: percentile(sdkSamples, 50) / percentile(handSamples, 50),
    p99Ratio: percentile(sdkSamples, 99) / percentile(handSamples, 99),
  };
}

console.log(
  `agent loop overhead per model step (Node ${process.version}, ${ROUNDS}x${RUNS_PER_ROUND} runs per loop)`,
);
console.log(
  'Agent: events on (bus + subscriber), zod validation, MemoryRateLimiter acquire/reconcile per call\n',
);
const summary = [];
for (const toolSteps of [1, 10]) {
  const result = await scenario(toolSteps);
  console.table(result.rows);
  summary.push({
    'tool calls/run': toolSteps,
    'median ratio': result.medianRatio.toFixed(2),
    'p99 ratio': result.p99Ratio.toFixed(2),
  });
}
console.log('ratio = Agent / hand-written (aim: at most 3x)');
console.table(summary);
