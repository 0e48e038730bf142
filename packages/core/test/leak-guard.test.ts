import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../src/agent/agent.js';
import { EventBus } from '../src/events/event-bus.js';
import { MemoryEventStore } from '../src/events/memory-event-store.js';
import { InMemoryConversationMemory } from '../src/memory/in-memory-conversation-memory.js';
import type { LanguageModel, ModelRequest, ModelResponse } from '../src/model/language-model.js';
import { MemoryRateLimiter } from '../src/ratelimit/memory-rate-limiter.js';
import { defineTool } from '../src/tools/define-tool.js';

/**
 * The stated bound: after 10,000 runs through the whole loop (bus with a store subscriber,
 * limiter, memory, a tool call per run), the heap after a forced GC is at most 8 MiB above the
 * heap after the first 1,000 runs. The bounded parts (store, memory, limiter keys) are full by
 * then, so any growth past the bound is a leak.
 */
const RUNS = 10_000;
const WARM_UP_RUNS = 1_000;
const MAX_GROWTH_BYTES = 8 * 1024 * 1024;

// A model that needs no script and records nothing (ScriptedModel keeps every call on purpose).
const model: LanguageModel = {
  provider: 'bench',
  modelId: 'loop',
  async generate(request: ModelRequest): Promise<ModelResponse> {
    const last = request.messages.at(-1);
    if (last?.role === 'tool') {
      return {
        message: { role: 'assistant', content: `sum ${last.content}` },
        usage: { inputTokens: 5, outputTokens: 2 },
        finishReason: 'stop',
      };
    }
    return {
      message: {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'c1', name: 'add', arguments: { a: 2, b: 3 } }],
      },
      usage: { inputTokens: 5, outputTokens: 2 },
      finishReason: 'tool-calls',
    };
  },
  stream() {
    throw new Error('not used');
  },
};

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('Run with --expose-gc (vitest.config.ts sets it).');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('leak guard', () => {
  it(`keeps the heap within ${MAX_GROWTH_BYTES / 1024 / 1024} MiB over ${RUNS} runs`, async () => {
    const bus = new EventBus({ maxQueue: 1000 });
    const store = new MemoryEventStore({ maxRuns: 200 });
    bus.subscribe((event) => store.append([event]));
    const add = defineTool({
      name: 'add',
      description: 'Adds.',
      input: z.object({ a: z.number(), b: z.number() }),
      execute: ({ a, b }) => a + b,
    });
    const agent = new Agent({
      name: 'leak-guard',
      model,
      tools: [add],
      events: bus,
      memory: new InMemoryConversationMemory({ maxMessages: 20, maxConversations: 100 }),
      limiter: new MemoryRateLimiter({
        rules: [{ name: 'per-tenant', scope: 'tenant', maxCalls: 1_000_000, windowMs: 1000 }],
        maxKeys: 100,
      }),
    });
    const runOnce = (index: number) =>
      agent.run('add 2 and 3', { tenant: `t${index % 500}`, conversationId: `c${index % 300}` });

    let baseline = 0;
    for (let index = 0; index < RUNS; index++) {
      const result = await runOnce(index);
      if (result.output !== 'sum 5') throw new Error(`run ${index} produced ${String(result.output)}`);
      if (index === WARM_UP_RUNS - 1) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        baseline = heapAfterGc();
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    const growth = heapAfterGc() - baseline;

    expect(growth).toBeLessThan(MAX_GROWTH_BYTES);
    expect((await store.listRuns({ limit: 500 })).runs.length).toBeLessThanOrEqual(200);
    expect(bus.stats().published).toBeGreaterThan(RUNS * 10);
  });
});
