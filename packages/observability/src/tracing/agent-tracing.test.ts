import { Agent, type AgentEvent, ModelError } from '@agent/core';
import { ScriptedModel, textResponse, toolCallResponse } from '@agent/core/testing';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { brokenTool, echoTool, testTool } from '../metrics/__fixtures__/test-tools.js';
import {
  parentIdOf,
  setupTracing,
  steppingClock,
  toMilliseconds,
  useAsyncContext,
} from './__fixtures__/otel.js';
import { insideRequestSpan, toolRunModel } from './__fixtures__/runs.js';
import { createAgentTracing } from './agent-tracing.js';

useAsyncContext();

describe('createAgentTracing: span structure', () => {
  it('nests the run span under the caller span, and chat, tool and SDK spans under the run span', async () => {
    const { tracer, tracing, bus, one, named, spans } = setupTracing();
    const model = toolRunModel(() => tracer.startSpan('POST https://api.openai.test/v1/chat').end());
    const agent = new Agent({
      name: 'helper',
      model,
      tools: [echoTool, brokenTool],
      events: bus,
      scope: tracing.scope,
    });

    const { outer, value: result } = await insideRequestSpan(tracer, () => agent.run('go'));

    const run = one('invoke_agent helper');
    const traceId = outer.spanContext().traceId;
    expect(parentIdOf(run)).toBe(outer.spanContext().spanId);
    expect(spans().every((span) => span.spanContext().traceId === traceId)).toBe(true);
    const children = [
      ...named('chat '),
      ...named('execute_tool '),
      one('POST https://api.openai.test/v1/chat'),
    ];
    expect(children).toHaveLength(5);
    for (const child of children) expect(parentIdOf(child)).toBe(run.spanContext().spanId);
    expect(run.attributes['agent.run.id']).toBe(result.runId);
    expect(tracing.activeRuns).toBe(0);
  });

  it('builds the run span from the tap alone, parented by the context the run started in', async () => {
    const { tracer, tracing, bus, one, named } = setupTracing();
    const agent = new Agent({
      name: 'helper',
      model: toolRunModel(),
      tools: [echoTool, brokenTool],
      events: bus,
    });

    const { outer } = await insideRequestSpan(tracer, () => agent.run('go'));

    const run = one('invoke_agent helper');
    expect(parentIdOf(run)).toBe(outer.spanContext().spanId);
    expect(run.spanContext().traceId).toBe(outer.spanContext().traceId);
    for (const child of [...named('chat '), ...named('execute_tool ')]) {
      expect(parentIdOf(child)).toBe(run.spanContext().spanId);
    }
    expect(named('chat ')).toHaveLength(2);
    expect(tracing.activeRuns).toBe(0);
  });

  it('starts a new trace for a run started outside any span', async () => {
    const { tracing, bus, one } = setupTracing();

    await new Agent({
      name: 'root',
      model: new ScriptedModel([textResponse('x')]),
      events: bus,
      scope: tracing.scope,
    }).run('go');

    expect(parentIdOf(one('invoke_agent root'))).toBeUndefined();
  });

  it('times spans by the events’ timestamps', async () => {
    const { bus, one, named } = setupTracing();
    const events: AgentEvent[] = [];
    bus.tap((event) => events.push(event));
    const agent = new Agent({
      name: 'timed',
      model: new ScriptedModel([toolCallResponse('echo', { text: 'a' }, { id: 'c1' }), textResponse('x')]),
      tools: [echoTool],
      events: bus,
      clock: steppingClock(),
    });

    await agent.run('go');

    const at = (type: AgentEvent['type'], nth = 0) =>
      (events.filter((event) => event.type === type)[nth] as AgentEvent).timestamp;
    const run = one('invoke_agent timed');
    expect([toMilliseconds(run.startTime), toMilliseconds(run.endTime)]).toEqual([
      at('run.started'),
      at('run.completed'),
    ]);
    const tool = one('execute_tool echo');
    expect([toMilliseconds(tool.startTime), toMilliseconds(tool.endTime)]).toEqual([
      at('tool.called'),
      at('tool.succeeded'),
    ]);
    const chats = named('chat ')
      .map((span) => [toMilliseconds(span.startTime), toMilliseconds(span.endTime)])
      .sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(chats).toEqual([
      [at('model.requested', 0), at('model.responded', 0)],
      [at('model.requested', 1), at('model.responded', 1)],
    ]);
  });
});

describe('createAgentTracing: attributes', () => {
  it('follows the GenAI conventions on run, chat and tool spans', async () => {
    const { tracing, bus, one, named } = setupTracing();
    const agent = new Agent({
      name: 'helper',
      model: toolRunModel(),
      tools: [echoTool, brokenTool],
      events: bus,
      scope: tracing.scope,
    });

    const result = await agent.run('go', { conversationId: 'conv-1', tenant: 'acme' });

    const run = one('invoke_agent helper');
    expect(run.kind).toBe(SpanKind.INTERNAL);
    expect(run.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'helper',
      'gen_ai.conversation.id': 'conv-1',
      'agent.run.id': result.runId,
      'agent.tenant': 'acme',
      'agent.run.status': 'completed',
      'agent.run.steps': 2,
      'gen_ai.usage.input_tokens': 40,
      'gen_ai.usage.output_tokens': 12,
    });
    expect(run.status.code).toBe(SpanStatusCode.UNSET);
    const [first, second] = named('chat ').sort(
      (a, b) => toMilliseconds(a.startTime) - toMilliseconds(b.startTime),
    );
    expect(first?.name).toBe('chat gpt-test');
    expect(first?.kind).toBe(SpanKind.CLIENT);
    expect(first?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-test',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.response.finish_reasons': ['tool_call'],
    });
    expect(second?.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(second?.attributes['gen_ai.usage.input_tokens']).toBe(30);
    expect(one('execute_tool echo').attributes).toEqual({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'echo',
      'gen_ai.tool.call.id': 'call-echo',
      'gen_ai.tool.type': 'function',
    });
    expect(one('execute_tool echo').status.code).toBe(SpanStatusCode.UNSET);
  });

  it('marks a failed tool call with error.type and an ERROR status', async () => {
    const { bus, one } = setupTracing();

    await new Agent({
      name: 'helper',
      model: toolRunModel(),
      tools: [echoTool, brokenTool],
      events: bus,
    }).run('go');

    const tool = one('execute_tool broken');
    expect(tool.attributes['error.type']).toBe('TOOL_FAILED');
    expect(tool.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'Tool "broken" failed: disk on fire',
    });
  });

  it('records cache tokens and cost when the model reports them', async () => {
    const { bus, one } = setupTracing();
    const model = new ScriptedModel([
      {
        message: { role: 'assistant', content: 'x' },
        usage: { inputTokens: 100, outputTokens: 3, cacheReadTokens: 80, cacheWriteTokens: 20, costUsd: 0.5 },
        finishReason: 'length',
      },
    ]);

    await new Agent({ name: 'cached', model, events: bus }).run('go');

    expect(one('chat scripted-model').attributes).toMatchObject({
      'gen_ai.usage.cache_read.input_tokens': 80,
      'gen_ai.usage.cache_creation.input_tokens': 20,
      'gen_ai.response.finish_reasons': ['length'],
    });
    expect(one('invoke_agent cached').attributes).toMatchObject({
      'gen_ai.usage.cache_read.input_tokens': 80,
      'agent.usage.cost_usd': 0.5,
    });
  });

  it('records rate-limit waits as events on the run span', async () => {
    const { bus, one } = setupTracing();
    let calls = 0;
    const limiter = {
      acquire: async () => {
        calls++;
        return calls === 1
          ? { allowed: false as const, retryAfterMs: 250, rule: 'per-agent', kind: 'tokens' as const }
          : { allowed: true as const, reservation: { id: 'r', tokens: 0, at: 0 } };
      },
      reconcile: async () => {},
    };
    const agent = new Agent({
      name: 'waiter',
      model: new ScriptedModel([textResponse('x')]),
      limiter: { limiter, onLimit: 'wait' },
      sleep: async () => {},
      events: bus,
    });

    await agent.run('go');

    expect(one('invoke_agent waiter').events.map((event) => [event.name, event.attributes])).toEqual([
      [
        'agent.ratelimit.limited',
        {
          'agent.ratelimit.rule': 'per-agent',
          'agent.ratelimit.kind': 'tokens',
          'agent.ratelimit.action': 'wait',
          'agent.ratelimit.retry_after_ms': 250,
        },
      ],
    ]);
  });
});

describe('createAgentTracing: failures', () => {
  it('marks a model failure on the chat span and the run span', async () => {
    const { tracing, bus, one } = setupTracing();
    const model = new ScriptedModel([new ModelError('MODEL_OVERLOADED', 'busy')]);

    await expect(
      new Agent({ name: 'fragile', model, events: bus, scope: tracing.scope }).run('go'),
    ).rejects.toThrow();

    const chat = one('chat scripted-model');
    expect(chat.attributes['error.type']).toBe('MODEL_OVERLOADED');
    expect(chat.status).toEqual({ code: SpanStatusCode.ERROR, message: 'busy' });
    const run = one('invoke_agent fragile');
    expect(run.attributes).toMatchObject({ 'error.type': 'MODEL_OVERLOADED', 'agent.run.status': 'failed' });
    expect(run.status.code).toBe(SpanStatusCode.ERROR);
    expect(tracing.activeRuns).toBe(0);
  });

  it('marks a cancelled run and closes the tool span the cancellation cut off', async () => {
    const { tracing, bus, one } = setupTracing();
    const controller = new AbortController();
    const hang = testTool(
      'hang',
      (_input, toolContext) =>
        new Promise((_resolve, reject) => {
          toolContext.signal.addEventListener('abort', () => reject(toolContext.signal.reason));
          // After execute returns, as a user cancelling mid-call would.
          queueMicrotask(() => controller.abort(new Error('user left')));
        }),
    );
    const agent = new Agent({
      name: 'quitter',
      model: new ScriptedModel([toolCallResponse('hang', {}), textResponse('never')]),
      tools: [hang],
      events: bus,
      scope: tracing.scope,
    });

    await expect(agent.run('go', { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });

    const run = one('invoke_agent quitter');
    expect(run.attributes).toMatchObject({ 'error.type': 'ABORTED', 'agent.run.status': 'cancelled' });
    expect(run.status.code).toBe(SpanStatusCode.ERROR);
    const tool = one('execute_tool hang');
    expect(tool.ended).toBe(true);
    expect(tool.attributes['error.type']).toBe('ABORTED');
    expect(parentIdOf(tool)).toBe(run.spanContext().spanId);
    expect(tracing.activeRuns).toBe(0);
  });

  it('ends the run span when the scope completes without a terminal event', async () => {
    const { tracer, one } = setupTracing();
    const tracing = createAgentTracing({ tracer });
    const agent = new Agent({
      name: 'untapped',
      model: new ScriptedModel([textResponse('x')]),
      scope: tracing.scope,
    });
    const failing = new Agent({
      name: 'untapped-failing',
      model: new ScriptedModel([new ModelError('MODEL_TIMEOUT', 'slow')]),
      scope: tracing.scope,
    });

    await agent.run('go');
    await expect(failing.run('go')).rejects.toThrow();
    await Promise.resolve();

    expect(one('invoke_agent untapped').status.code).toBe(SpanStatusCode.UNSET);
    const failed = one('invoke_agent untapped-failing');
    expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: 'slow' });
    expect(failed.attributes['error.type']).toBe('MODEL_TIMEOUT');
    expect(tracing.activeRuns).toBe(0);
  });
});
