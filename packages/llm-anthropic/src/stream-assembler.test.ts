import type { ModelStreamEvent } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { anthropicPrices } from './prices.js';
import { parseToolArguments, StreamAssembler } from './stream-assembler.js';

const MODEL = 'claude-haiku-4-5';

function textStream(text: string[]): unknown[] {
  return [
    { type: 'message_start', message: { id: 'msg_1', usage: { input_tokens: 10, output_tokens: 1 } } },
    { type: 'ping' },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ...text.map((piece) => ({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: piece },
    })),
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 6 } },
    { type: 'message_stop' },
  ];
}

function toolStream(name: string, json: string[]): unknown[] {
  return [
    { type: 'message_start', message: { id: 'msg_2', usage: { input_tokens: 10, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking.' } },
    { type: 'content_block_stop', index: 0 },
    {
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'toolu_1', name, input: {} },
    },
    ...json.map((partial_json) => ({
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json },
    })),
    { type: 'content_block_stop', index: 1 },
    { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } },
    { type: 'message_stop' },
  ];
}

function run(assembler: StreamAssembler, events: unknown[]): ModelStreamEvent[] {
  return events.flatMap((event) => assembler.push(event));
}

describe('StreamAssembler', () => {
  it.each([
    ['an event without a type', { index: 0 }],
    [
      'a delta for a block that never started',
      { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'x' } },
    ],
    ['message_start without usage', { type: 'message_start', message: { id: 'msg_1' } }],
    [
      'a block start without an index',
      { type: 'content_block_start', content_block: { type: 'text', text: '' } },
    ],
    [
      'a tool_use start without a name',
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1' } },
    ],
  ])('rejects %s as MODEL_INVALID_RESPONSE', (_name, event) => {
    const assembler = new StreamAssembler({ modelId: MODEL, prices: anthropicPrices, output: undefined });

    expect(() => assembler.push(event)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID_RESPONSE' }));
  });

  it('rejects a text delta without text', () => {
    const assembler = new StreamAssembler({ modelId: MODEL, prices: anthropicPrices, output: undefined });
    run(assembler, textStream([]).slice(0, 3));

    expect(() =>
      assembler.push({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta' } }),
    ).toThrow(expect.objectContaining({ code: 'MODEL_INVALID_RESPONSE' }));
  });

  it('yields text deltas, then finish with the usage of message_delta replacing that of message_start', () => {
    const assembler = new StreamAssembler({ modelId: MODEL, prices: {}, output: undefined });

    const events = run(assembler, textStream(['Hel', 'lo']));

    expect(events).toEqual([
      { type: 'text-delta', delta: 'Hel' },
      { type: 'text-delta', delta: 'lo' },
      {
        type: 'finish',
        response: {
          message: { role: 'assistant', content: 'Hello' },
          usage: { inputTokens: 10, outputTokens: 6 },
          finishReason: 'stop',
          responseId: 'msg_1',
        },
      },
    ]);
  });

  it('yields tool-call deltas by tool index and one complete tool call at block stop', () => {
    const assembler = new StreamAssembler({ modelId: MODEL, prices: {}, output: undefined });

    const events = run(assembler, toolStream('weather', ['{"ci', 'ty": "Oslo"}']));

    expect(events.filter((event) => event.type !== 'finish')).toEqual([
      { type: 'text-delta', delta: 'Checking.' },
      { type: 'tool-call-delta', index: 0, id: 'toolu_1', name: 'weather', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"ci' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'ty": "Oslo"}' },
      { type: 'tool-call', toolCall: { id: 'toolu_1', name: 'weather', arguments: { city: 'Oslo' } } },
    ]);
    expect(assembler.result).toMatchObject({
      finishReason: 'tool-calls',
      message: { content: 'Checking.', toolCalls: [{ id: 'toolu_1', arguments: { city: 'Oslo' } }] },
    });
  });

  it('gives {} as the arguments of a tool call that streamed no input', () => {
    const assembler = new StreamAssembler({ modelId: MODEL, prices: {}, output: undefined });

    const events = run(assembler, toolStream('now', []));

    expect(events).toContainEqual({
      type: 'tool-call',
      toolCall: { id: 'toolu_1', name: 'now', arguments: {} },
    });
  });

  it('emits a structured answer once, as text, when the reply is complete', () => {
    const assembler = new StreamAssembler({
      modelId: MODEL,
      prices: {},
      output: { name: 'output', wrapped: false },
    });

    const events = run(assembler, toolStream('output', ['{"answer": ', '4}']));

    expect(events).toEqual([
      { type: 'text-delta', delta: '{"answer":4}' },
      {
        type: 'finish',
        response: expect.objectContaining({
          message: { role: 'assistant', content: '{"answer":4}' },
          finishReason: 'stop',
        }),
      },
    ]);
  });

  it('emits real tool calls at the end when a structured request called a real tool', () => {
    const assembler = new StreamAssembler({
      modelId: MODEL,
      prices: {},
      output: { name: 'output', wrapped: false },
    });

    const events = run(assembler, toolStream('weather', ['{}']));

    expect(events.map((event) => event.type)).toEqual(['text-delta', 'tool-call', 'finish']);
  });

  it('ignores event and block types it does not map', () => {
    const assembler = new StreamAssembler({ modelId: MODEL, prices: {}, output: undefined });

    const events = run(assembler, [
      { type: 'message_start', message: { usage: { input_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'future_event' },
    ]);

    expect(events).toEqual([]);
    expect(assembler.result).toBeUndefined();
  });
});

describe('parseToolArguments', () => {
  it('keeps text that is not JSON as the raw string', () => {
    expect(parseToolArguments('{"city": ')).toBe('{"city": ');
  });

  it('gives {} for empty input', () => {
    expect(parseToolArguments('  ')).toEqual({});
  });
});
