import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentError } from '../errors/agent-error.js';
import { AbortedError, ModelError } from '../errors/errors.js';
import type { AgentEvent } from '../events/agent-event.js';
import { EventBus } from '../events/event-bus.js';
import {
  ScriptedModel,
  textResponse,
  toolCallResponse,
  toolCallsResponse,
} from '../testing/scripted-model.js';
import { defineTool } from '../tools/define-tool.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import { noopLogger } from '../util/logger.js';
import { Agent } from './agent.js';

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

function recorder() {
  const events: AgentEvent[] = [];
  return { events, onEvent: (event: AgentEvent) => events.push(event) };
}

describe('Agent: failure paths', () => {
  it('stops a running tool promptly when the run is aborted, and reports the run as cancelled', async () => {
    const controller = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const hang = defineTool({
      name: 'hang',
      description: 'Never finishes on its own.',
      input: z.object({}),
      execute: (_input, context) =>
        new Promise((_resolve, reject) => {
          toolSignal = context.signal;
          context.signal.addEventListener('abort', () => reject(new Error('tool saw abort')));
          setTimeout(() => controller.abort(), 5);
        }),
    });
    const { events, onEvent } = recorder();
    const agent = new Agent({
      name: 'a',
      model: new ScriptedModel([toolCallResponse('hang', {})]),
      tools: [hang],
      hooks: { onEvent },
    });

    const error = await agent.run('go', { signal: controller.signal }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AgentError).runId).toBe(events[0]?.runId);
    expect(toolSignal?.aborted).toBe(true);
    expect(events.at(-1)?.type).toBe('run.cancelled');
  });

  it('stops a model call that ignores its signal as soon as the run is aborted', async () => {
    const controller = new AbortController();
    const model = new ScriptedModel([() => new Promise(() => {})]);
    const agent = new Agent({ name: 'a', model });
    setTimeout(() => controller.abort(), 5);

    await expect(agent.run('go', { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('refuses to start a run whose signal is already aborted, without calling the model', async () => {
    const model = new ScriptedModel([textResponse('never')]);

    await expect(
      new Agent({ name: 'a', model }).run('go', { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(model.calls).toHaveLength(0);
  });

  it('turns a tool timeout into a tool-error message and lets the model continue', async () => {
    const slow = defineTool({
      name: 'slow',
      description: 'Too slow.',
      input: z.object({}),
      timeoutMs: 10,
      execute: (_input, context) =>
        new Promise((resolve) => context.signal.addEventListener('abort', () => resolve('late'))),
    });
    const model = new ScriptedModel([toolCallResponse('slow', {}), textResponse('gave up')]);
    const { events, onEvent } = recorder();

    const result = await new Agent({ name: 'a', model, tools: [slow], hooks: { onEvent } }).run('go');

    expect(result.output).toBe('gave up');
    expect(model.calls[1]?.messages.at(-1)).toMatchObject({ role: 'tool', isError: true });
    expect(model.calls[1]?.messages.at(-1)?.content).toContain('timed out after 10 ms');
    expect(events.find((event) => event.type === 'tool.failed')).toMatchObject({
      error: { code: 'TOOL_TIMEOUT' },
    });
  });

  it('sends invalid tool arguments back to the model with the problem and what it sent', async () => {
    const model = new ScriptedModel([
      toolCallResponse('add', { a: 1, c: 2 }),
      toolCallResponse('add', { a: 1, b: 2 }),
      textResponse('3'),
    ]);

    const result = await new Agent({ name: 'a', model, tools: [add] }).run('1+2');

    const toolMessage = model.calls[1]?.messages.at(-1);
    expect(toolMessage).toMatchObject({ role: 'tool', isError: true });
    expect(toolMessage?.content).toContain('"b"');
    expect(toolMessage?.content).toContain('{"a":1,"c":2}');
    expect(result.output).toBe('3');
    expect(result.steps[0]?.toolResults[0]?.ok).toBe(false);
  });

  it('answers a call to an unknown tool with the list of tools that exist', async () => {
    const model = new ScriptedModel([toolCallResponse('multiply', { a: 1 }), textResponse('ok')]);

    await new Agent({ name: 'a', model, tools: [add] }).run('go');

    expect(model.calls[1]?.messages.at(-1)?.content).toContain(
      'Tool "multiply" does not exist. Available tools: add',
    );
  });

  it('turns a throwing tool into a tool-error message instead of crashing the run', async () => {
    const broken = defineTool({
      name: 'broken',
      description: 'Throws.',
      input: z.object({}),
      execute: () => {
        throw new Error('disk on fire');
      },
    });
    const model = new ScriptedModel([toolCallResponse('broken', {}), textResponse('sorry')]);

    const result = await new Agent({ name: 'a', model, tools: [broken] }).run('go');

    expect(result.output).toBe('sorry');
    expect(model.calls[1]?.messages.at(-1)?.content).toBe('Error: Tool "broken" failed: disk on fire');
  });

  it('ends the run with MaxStepsError when the model never stops calling tools', async () => {
    const model = new ScriptedModel([], { fallback: toolCallResponse('add', { a: 1, b: 1 }) });
    const { events, onEvent } = recorder();

    const error = await new Agent({ name: 'a', model, tools: [add], maxSteps: 3, hooks: { onEvent } })
      .run('loop')
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'MAX_STEPS_EXCEEDED', maxSteps: 3 });
    expect(model.calls).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({
      type: 'run.failed',
      error: { code: 'MAX_STEPS_EXCEEDED' },
      steps: 3,
    });
  });

  it('records a failed model call as model.failed and run.failed, and rethrows the typed error', async () => {
    const model = new ScriptedModel([new ModelError('MODEL_AUTH', 'bad key', { status: 401 })]);
    const { events, onEvent } = recorder();

    await expect(new Agent({ name: 'a', model, hooks: { onEvent } }).run('go')).rejects.toMatchObject({
      code: 'MODEL_AUTH',
    });
    expect(events.map((event) => event.type)).toEqual([
      'run.started',
      'step.started',
      'model.requested',
      'model.failed',
      'run.failed',
    ]);
  });

  it('wraps a non-AgentError thrown by a model into a typed ModelError that keeps the cause', async () => {
    const cause = new TypeError('fetch failed');
    const model = new ScriptedModel([cause]);

    const error = await new Agent({ name: 'a', model }).run('go').catch((caught: unknown) => caught);

    expect(AgentError.isInstance(error)).toBe(true);
    expect((error as AgentError).cause).toBe(cause);
  });

  it('rejects invalid construction options with a ConfigError that names the option', () => {
    const model = new ScriptedModel();
    expect(() => new Agent({ name: '', model })).toThrow(/name is required/);
    expect(() => new Agent({ name: 'a', model, maxSteps: 0 })).toThrow(/maxSteps must be a positive integer/);
    expect(() => new Agent({ name: 'a', model, toolConcurrency: 1.5 })).toThrow(/toolConcurrency/);
    expect(() => new Agent({ name: 'a', model: {} as never })).toThrow(/model must be a LanguageModel/);
    expect(() => new Agent({ name: 'a', model: null as never })).toThrow(/got null/);
  });

  it('fails with OUTPUT_INVALID when structured output is still invalid after one repair', async () => {
    const model = new ScriptedModel([textResponse('not json'), textResponse('{"answer": "x"}')]);
    const { events, onEvent } = recorder();

    const error = await new Agent({ name: 'a', model, hooks: { onEvent } })
      .run('go', { output: z.object({ answer: z.number() }) })
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'OUTPUT_INVALID' });
    expect(events.filter((event) => event.type === 'output.repaired')).toHaveLength(1);
  });
});

describe('Agent: tool-calling loop', () => {
  it('runs a tool and feeds its result back, as in the README', async () => {
    const model = new ScriptedModel([toolCallResponse('add', { a: 2, b: 3 }), textResponse('5')]);

    const result = await new Agent({ name: 'calc', model, tools: [add] }).run('2+3?');

    expect(result.output).toBe('5');
    expect(result.status).toBe('completed');
    expect(model.calls[1]?.messages.at(-1)).toMatchObject({ role: 'tool', content: '5' });
    expect(result.usage).toEqual({ inputTokens: 20, outputTokens: 10 });
    expect(result.steps).toHaveLength(2);
    model.assertComplete();
  });

  it('sends the instructions as the system prompt and the tools as JSON Schema', async () => {
    const model = new ScriptedModel([textResponse('hi')]);

    await new Agent({ name: 'a', instructions: 'Be brief.', model, tools: new ToolRegistry([add]) }).run(
      'hello',
    );

    expect(model.calls[0]?.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(model.calls[0]?.tools[0]).toMatchObject({
      name: 'add',
      inputSchema: { type: 'object', required: ['a', 'b'] },
    });
    expect(model.calls[0]?.context).toMatchObject({ agent: 'a' });
  });

  it('runs parallel tool calls at most toolConcurrency at a time and keeps results in call order', async () => {
    let running = 0;
    let peak = 0;
    const wait = defineTool({
      name: 'wait',
      description: 'Waits a little.',
      input: z.object({ id: z.number() }),
      execute: async ({ id }) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5 - id));
        running--;
        return `done ${id}`;
      },
    });
    const calls = [0, 1, 2, 3, 4].map((id) => ({ name: 'wait', arguments: { id } }));
    const model = new ScriptedModel([toolCallsResponse(calls), textResponse('all done')]);

    await new Agent({ name: 'a', model, tools: [wait], toolConcurrency: 2 }).run('go');

    expect(peak).toBe(2);
    const toolMessages = model.calls[1]?.messages.filter((message) => message.role === 'tool');
    expect(toolMessages?.map((message) => message.content)).toEqual([
      'done 0',
      'done 1',
      'done 2',
      'done 3',
      'done 4',
    ]);
  });

  it('numbers events contiguously from 0 even when parallel tool calls interleave', async () => {
    const bus = new EventBus();
    const seen: AgentEvent[] = [];
    bus.subscribe((event) => {
      seen.push(event);
    });
    const jitter = defineTool({
      name: 'jitter',
      description: 'Finishes in random order.',
      input: z.object({ delay: z.number() }),
      execute: async ({ delay }) => {
        await new Promise((resolve) => setTimeout(resolve, delay));
        return delay;
      },
    });
    const calls = [3, 1, 2, 0, 4, 1].map((delay) => ({ name: 'jitter', arguments: { delay } }));
    const model = new ScriptedModel([toolCallsResponse(calls), toolCallsResponse(calls), textResponse('ok')]);

    const result = await new Agent({
      name: 'a',
      model,
      tools: [jitter],
      toolConcurrency: 6,
      events: bus,
    }).run('go');
    await new Promise((resolve) => setTimeout(resolve, 0));

    expect(seen.map((event) => event.seq)).toEqual(seen.map((_event, index) => index));
    expect(new Set(seen.map((event) => event.runId))).toEqual(new Set([result.runId]));
    expect(seen.filter((event) => event.type === 'tool.succeeded')).toHaveLength(12);
    expect(seen.at(-1)?.type).toBe('run.completed');
  });

  it('returns validated, typed structured output', async () => {
    const model = new ScriptedModel([textResponse('```json\n{"answer": 42}\n```')]);

    const result = await new Agent({ name: 'a', model }).run('go', {
      output: z.object({ answer: z.number() }),
    });

    const answer: number = result.output.answer;
    expect(answer).toBe(42);
    expect(model.calls[0]?.settings?.responseFormat).toMatchObject({
      type: 'json_schema',
      schema: { type: 'object' },
    });
  });

  it('repairs invalid structured output once by telling the model what was wrong', async () => {
    const model = new ScriptedModel([
      textResponse('{"answer": "forty-two"}'),
      textResponse('{"answer": 42}'),
    ]);

    const result = await new Agent({ name: 'a', model }).run('go', {
      output: z.object({ answer: z.number() }),
    });

    expect(result.output).toEqual({ answer: 42 });
    expect(model.calls[1]?.messages.at(-1)?.content).toContain('"answer"');
  });

  it('uses the given run id and tenant in every event', async () => {
    const { events, onEvent } = recorder();

    await new Agent({ name: 'a', model: new ScriptedModel([textResponse('x')]), hooks: { onEvent } }).run(
      'go',
      {
        runId: 'run-1',
        tenant: 'acme',
        metadata: { source: 'test' },
      },
    );

    expect(events.every((event) => event.runId === 'run-1' && event.tenant === 'acme')).toBe(true);
    expect(events[0]).toMatchObject({ type: 'run.started', input: 'go', metadata: { source: 'test' } });
  });

  it('calls every hook, and lets beforeModelCall replace the request', async () => {
    const order: string[] = [];
    const model = new ScriptedModel([toolCallResponse('add', { a: 1, b: 1 }), textResponse('2')]);

    await new Agent({
      name: 'a',
      model,
      tools: [add],
      hooks: {
        beforeModelCall: (request) => {
          order.push('beforeModel');
          return { ...request, settings: { temperature: 0 } };
        },
        afterModelCall: () => {
          order.push('afterModel');
        },
        beforeToolCall: (call) => {
          order.push(`beforeTool:${call.name}`);
        },
        afterToolCall: (_call, outcome) => {
          order.push(`afterTool:${outcome.content}`);
        },
      },
    }).run('go');

    expect(order).toEqual([
      'beforeModel',
      'afterModel',
      'beforeTool:add',
      'afterTool:2',
      'beforeModel',
      'afterModel',
    ]);
    expect(model.calls[0]?.settings).toEqual({ temperature: 0 });
  });

  it('accepts a conversation as input instead of a string', async () => {
    const model = new ScriptedModel([textResponse('fine')]);

    await new Agent({ name: 'a', model }).run([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'how are you?' },
    ]);

    expect(model.calls[0]?.messages).toHaveLength(3);
  });
});

describe('Agent.stream', () => {
  it('yields text deltas and events as they happen, and resolves the result', async () => {
    const model = new ScriptedModel(
      [toolCallResponse('add', { a: 2, b: 3 }), textResponse('The answer is 5.')],
      {
        streamChunkSize: 4,
      },
    );
    const run = new Agent({ name: 'a', model, tools: [add] }).stream('2+3?');

    const types: string[] = [];
    let text = '';
    for await (const event of run) {
      types.push(event.type);
      if (event.type === 'model.text-delta') text += event.delta;
    }
    const result = await run.result;

    expect(text).toBe('The answer is 5.');
    expect(result.output).toBe('The answer is 5.');
    expect(types[0]).toBe('run.started');
    expect(types).toContain('tool.succeeded');
    expect(types.at(-1)).toBe('run.completed');
    expect(model.calls.every((call) => call.method === 'stream')).toBe(true);
  });

  it('cancels the run when the consumer stops iterating', async () => {
    const model = new ScriptedModel([toolCallResponse('add', { a: 1, b: 1 })], {
      fallback: toolCallResponse('add', { a: 1, b: 1 }),
    });
    const run = new Agent({ name: 'a', model, tools: [add], maxSteps: 50 }).stream('go');

    for await (const event of run) {
      if (event.type === 'tool.succeeded') break;
    }

    await expect(run.result).rejects.toMatchObject({ code: 'ABORTED' });
    expect(model.calls.length).toBeLessThan(50);
  });

  it('ends iteration with run.failed and rejects the result when the run fails', async () => {
    const run = new Agent({
      name: 'a',
      model: new ScriptedModel([new ModelError('MODEL_BAD_REQUEST', 'nope')]),
    }).stream('go');

    const types: string[] = [];
    for await (const event of run) types.push(event.type);

    expect(types.at(-1)).toBe('run.failed');
    await expect(run.result).rejects.toMatchObject({ code: 'MODEL_BAD_REQUEST' });
  });

  it('cancel() aborts a streaming run', async () => {
    const run = new Agent({ name: 'a', model: new ScriptedModel([() => new Promise(() => {})]) }).stream(
      'go',
    );

    run.cancel('user pressed stop');

    await expect(run.result).rejects.toBeInstanceOf(AbortedError);
  });
});

describe('Agent: input and observers', () => {
  it('records a run with invalid input as failed, with a ValidationError that says what to pass', async () => {
    const { events, onEvent } = recorder();
    const model = new ScriptedModel([textResponse('never')]);

    const error = await new Agent({ name: 'a', model, hooks: { onEvent } })
      .run([{ role: 'robot', content: 'x' }] as never)
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((error as Error).message).toContain('non-empty array of messages');
    expect(events.map((event) => event.type)).toEqual(['run.started', 'run.failed']);
    expect(model.calls).toHaveLength(0);
  });

  it('rejects null input and an empty message list', async () => {
    const agent = new Agent({ name: 'a', model: new ScriptedModel([]) });

    await expect(agent.run(null as never)).rejects.toThrow(/got null/);
    await expect(agent.run([])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('keeps running and logs when hooks.onEvent throws', async () => {
    const logged: string[] = [];
    const logger = { ...noopLogger, error: (message: string) => void logged.push(message) };
    const agent = new Agent({
      name: 'a',
      model: new ScriptedModel([textResponse('fine')]),
      logger,
      hooks: {
        onEvent: () => {
          throw new Error('observer bug');
        },
      },
    });

    const result = await agent.run('go');

    expect(result.output).toBe('fine');
    expect(logged.length).toBeGreaterThan(0);
    expect(logged[0]).toContain('hooks.onEvent threw');
  });

  it('warns once per process that a deprecated tool is deprecated, naming its replacement', async () => {
    const warnings: string[] = [];
    const logger = { ...noopLogger, warn: (message: string) => void warnings.push(message) };
    const old = defineTool({
      name: 'old_add',
      description: 'Adds, the old way.',
      input: z.object({}),
      deprecated: { replacement: 'add', message: 'It will be removed in 2.0.' },
      execute: () => 1,
    });
    const agent = new Agent({
      name: 'a',
      model: new ScriptedModel([
        toolCallResponse('old_add', {}),
        toolCallResponse('old_add', {}),
        textResponse('done'),
      ]),
      tools: [old],
      logger,
    });

    await agent.run('go');
    await new Agent({
      name: 'b',
      model: new ScriptedModel([toolCallResponse('old_add', {}), textResponse('x')]),
      tools: [old],
      logger,
    }).run('go');

    expect(warnings).toEqual(['Tool "old_add" is deprecated; use "add" instead. It will be removed in 2.0.']);
  });
});
