import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RateLimitError } from '../errors/errors.js';
import type { AgentEvent } from '../events/agent-event.js';
import { EventBus } from '../events/event-bus.js';
import { MemoryEventStore } from '../events/memory-event-store.js';
import { InMemoryConversationMemory } from '../memory/in-memory-conversation-memory.js';
import { MemoryRateLimiter } from '../ratelimit/memory-rate-limiter.js';
import type { RateLimiter } from '../ratelimit/rate-limiter.js';
import { ScriptedModel, textResponse, toolCallResponse } from '../testing/scripted-model.js';
import { defineTool } from '../tools/define-tool.js';
import type { Clock } from '../util/clock.js';
import { Agent } from './agent.js';

function manualClock(start = 0): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('Agent with a rate limiter', () => {
  it('fails the run with RateLimitError when configured to fail, and records ratelimit.limited', async () => {
    const clock = manualClock();
    const limiter = new MemoryRateLimiter({
      rules: [{ name: 'two-calls', scope: 'agent', maxCalls: 2, windowMs: 1000 }],
      clock,
    });
    const model = new ScriptedModel([], { fallback: textResponse('ok') });
    const events: AgentEvent[] = [];
    const agent = new Agent({
      name: 'limited',
      model,
      clock,
      limiter: { limiter, onLimit: 'fail' },
      hooks: { onEvent: (event) => events.push(event) },
    });
    await agent.run('1');
    await agent.run('2');

    const error = await agent.run('3').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ rule: 'two-calls', retryAfterMs: 1000 });
    expect(model.calls).toHaveLength(2);
    expect(events.find((event) => event.type === 'ratelimit.limited')).toMatchObject({
      rule: 'two-calls',
      kind: 'calls',
      action: 'fail',
    });
    expect(events.at(-1)).toMatchObject({ type: 'run.failed', error: { code: 'RATE_LIMITED' } });
  });

  it('waits for capacity when configured to wait, using the injected sleep', async () => {
    const clock = manualClock();
    const limiter = new MemoryRateLimiter({
      rules: [{ name: 'one-call', scope: 'global', maxCalls: 1, windowMs: 500 }],
      clock,
    });
    const waits: number[] = [];
    const agent = new Agent({
      name: 'waiter',
      model: new ScriptedModel([], { fallback: textResponse('ok') }),
      clock,
      limiter: { limiter, onLimit: 'wait', maxWaitMs: 10_000 },
      sleep: async (ms) => {
        waits.push(ms);
        clock.advance(ms);
      },
    });
    await agent.run('first');

    const result = await agent.run('second');

    expect(result.output).toBe('ok');
    expect(waits).toEqual([500]);
  });

  it('acquires per model call with agent, model, tenant and an estimate, then reconciles actual usage', async () => {
    const acquired: unknown[] = [];
    const reconciled: number[] = [];
    const limiter: RateLimiter = {
      acquire: async (request) => {
        acquired.push(request);
        return {
          allowed: true,
          reservation: { id: String(acquired.length), tokens: request.tokens ?? 0, at: 0 },
        };
      },
      reconcile: async (_reservation, actual) => {
        reconciled.push(actual);
      },
    };
    const add = defineTool({
      name: 'add',
      description: 'Adds.',
      input: z.object({ a: z.number() }),
      execute: ({ a }) => a,
    });
    const model = new ScriptedModel([
      toolCallResponse('add', { a: 1 }),
      textResponse('1', { inputTokens: 7, outputTokens: 3 }),
    ]);

    await new Agent({ name: 'counter', model, tools: [add], limiter }).run('go', { tenant: 'acme' });

    expect(acquired).toHaveLength(2);
    expect(acquired[0]).toMatchObject({ agent: 'counter', model: 'scripted-model', tenant: 'acme' });
    expect((acquired[0] as { tokens: number }).tokens).toBeGreaterThan(0);
    expect(reconciled).toEqual([15, 10]);
  });
});

describe('Agent with conversation memory', () => {
  it('loads earlier turns of the same conversation and saves the new ones', async () => {
    const memory = new InMemoryConversationMemory({ maxMessages: 10 });
    const model = new ScriptedModel([textResponse('Hello Ada!'), textResponse('Your name is Ada.')]);
    const agent = new Agent({ name: 'chat', instructions: 'Be kind.', model, memory });

    await agent.run('I am Ada.', { conversationId: 'c1' });
    await agent.run('What is my name?', { conversationId: 'c1' });

    expect(model.calls[1]?.messages.map((message) => message.content)).toEqual([
      'Be kind.',
      'I am Ada.',
      'Hello Ada!',
      'What is my name?',
    ]);
    expect(await memory.load('c1')).toHaveLength(4);
  });

  it('keeps conversations apart and ignores memory for runs without a conversation id', async () => {
    const memory = new InMemoryConversationMemory();
    const model = new ScriptedModel([], { fallback: textResponse('ok') });
    const agent = new Agent({ name: 'chat', model, memory });

    await agent.run('one', { conversationId: 'a' });
    await agent.run('two');
    await agent.run('three', { conversationId: 'b' });

    expect(model.calls[2]?.messages).toEqual([{ role: 'user', content: 'three' }]);
    expect(await memory.load('a')).toHaveLength(2);
  });

  it('does not save the turns of a failed run', async () => {
    const memory = new InMemoryConversationMemory();
    const agent = new Agent({ name: 'chat', model: new ScriptedModel([new Error('down')]), memory });

    await expect(agent.run('lost', { conversationId: 'c' })).rejects.toThrow();

    expect(await memory.load('c')).toEqual([]);
  });
});

describe('Agent events into a store through a bus', () => {
  it('keeps the run outcome in the store when a slow store subscriber drops events', async () => {
    const bus = new EventBus();
    const store = new MemoryEventStore();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A store write that stalls until released: the subscriber's queue of 3 overflows meanwhile.
    const subscription = bus.subscribe(
      async (event) => {
        await gate;
        await store.append([event]);
      },
      { maxQueue: 3 },
    );
    const model = new ScriptedModel([toolCallResponse('echo', { text: 'a' }), textResponse('done')]);
    const echo = defineTool({
      name: 'echo',
      description: 'Echoes.',
      input: z.object({ text: z.string() }),
      execute: ({ text }) => text,
    });

    const result = await new Agent({ name: 'stored', model, tools: [echo], events: bus }).run('go');
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));

    const summary = await store.getRun(result.runId);
    expect(subscription.dropped).toBeGreaterThan(0);
    expect(summary).toMatchObject({ status: 'completed', usage: { inputTokens: 20, outputTokens: 10 } });
    expect(summary?.missingEvents).toBe(subscription.dropped);
  });
});

describe('Agent token reservations', () => {
  it("reserves the model's own token count plus maxTokens when the model can count", async () => {
    const reserved: number[] = [];
    const limiter: RateLimiter = {
      acquire: async (request) => {
        reserved.push(request.tokens ?? 0);
        return { allowed: true, reservation: { id: 'r', tokens: request.tokens ?? 0, at: 0 } };
      },
      reconcile: async () => {},
    };
    const model = Object.assign(new ScriptedModel([textResponse('ok')]), { countTokens: async () => 42 });

    await new Agent({ name: 'counted', model, limiter, settings: { maxTokens: 100 } }).run('hi');

    expect(reserved).toEqual([142]);
  });

  it('falls back to the estimate when counting fails, and still runs', async () => {
    const reserved: number[] = [];
    const limiter: RateLimiter = {
      acquire: async (request) => {
        reserved.push(request.tokens ?? 0);
        return { allowed: true, reservation: { id: 'r', tokens: request.tokens ?? 0, at: 0 } };
      },
      reconcile: async () => {},
    };
    const model = Object.assign(new ScriptedModel([textResponse('ok')]), {
      countTokens: async () => {
        throw new Error('count API unreachable');
      },
    });

    const result = await new Agent({ name: 'estimated', model, limiter }).run('hello there');

    expect(result.output).toBe('ok');
    expect(reserved[0]).toBeGreaterThan(0);
  });
});
