import { Agent, EventBus } from '@agent/core';
import { ScriptedModel, textResponse, toolCallResponse } from '@agent/core/testing';
import { AlwaysOffSampler, BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { testTool } from '../metrics/__fixtures__/test-tools.js';
import type { Redactor } from '../redact/redactor.js';
import { setupTracing, useAsyncContext } from './__fixtures__/otel.js';
import { createAgentTracing } from './agent-tracing.js';

useAsyncContext();

const SECRET = 'sk-SECRET-123';

/** Replaces the secret marker, as a real redactor would replace an API key. */
function stubRedactor(enabled = true): Redactor & { calls: number } {
  const scrub = (text: string) => text.replaceAll(SECRET, '[REDACTED]');
  return {
    enabled,
    calls: 0,
    redactString(text) {
      this.calls++;
      return scrub(text);
    },
    redact<T>(value: T): T {
      this.calls++;
      return value === undefined ? value : (JSON.parse(scrub(JSON.stringify(value))) as T);
    },
  };
}

const CONTENT_ATTRIBUTES = [
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
];

const lookup = testTool('lookup', (input) => ({ found: `record for ${String(input.key)}` }));
const leaky = testTool('leaky', () => {
  throw new Error(`cannot use key ${SECRET}`);
});

async function runWithContent(options: Parameters<typeof setupTracing>[0]) {
  const setup = setupTracing(options);
  const model = new ScriptedModel([
    toolCallResponse('lookup', { key: SECRET }, { id: 'call-lookup' }),
    toolCallResponse('leaky', {}, { id: 'call-leaky' }),
    textResponse(`Your key ${SECRET} is on file.`),
  ]);
  const agent = new Agent({
    name: 'keeper',
    model,
    tools: [lookup, leaky],
    events: setup.bus,
    scope: setup.tracing.scope,
  });
  await agent.run(`Is ${SECRET} on file?`);
  return setup;
}

const json = (span: ReadableSpan, attribute: string): unknown =>
  JSON.parse(String(span.attributes[attribute]));

describe('createAgentTracing: content capture', () => {
  it('records no content by default', async () => {
    const { spans } = await runWithContent({});

    for (const span of spans()) {
      for (const attribute of CONTENT_ATTRIBUTES) expect(span.attributes).not.toHaveProperty(attribute);
    }
    expect(spans()).toHaveLength(6);
  });

  it('records input, output, tool arguments and results when on, all redacted', async () => {
    const redactor = stubRedactor();
    const { spans, one, named } = await runWithContent({ captureContent: true, redactor });

    const run = one('invoke_agent keeper');
    expect(json(run, 'gen_ai.input.messages')).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Is [REDACTED] on file?' }] },
    ]);
    expect(json(run, 'gen_ai.output.messages')).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'Your key [REDACTED] is on file.' }],
        finish_reason: 'stop',
      },
    ]);
    const chatOutputs = named('chat ').map((span) => json(span, 'gen_ai.output.messages'));
    expect(chatOutputs).toContainEqual([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call-lookup', name: 'lookup', arguments: { key: '[REDACTED]' } }],
        finish_reason: 'tool_call',
      },
    ]);
    const tool = one('execute_tool lookup');
    expect(json(tool, 'gen_ai.tool.call.arguments')).toEqual({ key: '[REDACTED]' });
    expect(json(tool, 'gen_ai.tool.call.result')).toEqual({ found: 'record for [REDACTED]' });
    expect(one('execute_tool leaky').status.message).toBe('Tool "leaky" failed: cannot use key [REDACTED]');
    expect(JSON.stringify(spans().map((span) => [span.attributes, span.status]))).not.toContain(SECRET);
  });

  it('records content as is without a redactor, or with a disabled one', async () => {
    const redactor = stubRedactor(false);
    const { one } = await runWithContent({ captureContent: true, redactor });

    expect(json(one('execute_tool lookup'), 'gen_ai.tool.call.arguments')).toEqual({ key: SECRET });
    expect(redactor.calls).toBe(0);
  });

  it('keeps string tool results as they are', async () => {
    const { one, bus, tracing } = setupTracing({ captureContent: true });
    const echo = testTool('echo', (input) => String(input.text));
    const model = new ScriptedModel([toolCallResponse('echo', { text: 'plain' }), textResponse('x')]);

    await new Agent({ name: 'e', model, tools: [echo], events: bus, scope: tracing.scope }).run('go');

    expect(one('execute_tool echo').attributes['gen_ai.tool.call.result']).toBe('plain');
  });

  it('truncates content longer than maxAttributeLength', async () => {
    const { one, bus } = setupTracing({ captureContent: true, maxAttributeLength: 40 });
    const model = new ScriptedModel([textResponse('short')]);

    await new Agent({ name: 'long', model, events: bus }).run('x'.repeat(200));

    const input = String(one('invoke_agent long').attributes['gen_ai.input.messages']);
    expect(input.startsWith('[{"role":"user","parts":[{"type":"text",')).toBe(true);
    expect(input).toMatch(/…\[truncated \d+ chars\]$/);
    expect(input.length).toBeLessThan(80);
  });

  it('skips the content work for spans that are not sampled', async () => {
    const redactor = stubRedactor();
    const provider = new BasicTracerProvider({ sampler: new AlwaysOffSampler() });
    const tracing = createAgentTracing({ tracer: provider.getTracer('off'), captureContent: true, redactor });
    const bus = new EventBus();
    bus.tap(tracing.observe);
    const model = new ScriptedModel([toolCallResponse('lookup', { key: SECRET }), textResponse('x')]);

    await new Agent({ name: 'unsampled', model, tools: [lookup], events: bus, scope: tracing.scope }).run(
      'go',
    );

    expect(redactor.calls).toBe(0);
    expect(tracing.activeRuns).toBe(0);
  });
});
