import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors/errors.js';
import { collectStream } from '../model/stream-utils.js';
import { ScriptedModel, textResponse, toolCallResponse, toolCallsResponse } from './scripted-model.js';

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('ScriptedModel', () => {
  it('throws a clear error when the script runs out', async () => {
    const model = new ScriptedModel([textResponse('one')]);
    await model.generate(request);

    await expect(model.generate(request)).rejects.toThrow(/call #2 has no scripted response/);
  });

  it('assertComplete fails while scripted responses are unused', async () => {
    const model = new ScriptedModel([textResponse('one'), textResponse('two')]);
    await model.generate(request);

    expect(() => model.assertComplete()).toThrow(
      /1 scripted response\(s\) were not used \(1 call\(s\) made\)/,
    );
    await model.generate(request);
    expect(() => model.assertComplete()).not.toThrow();
  });

  it('throws scripted errors and answers with functions of the request', async () => {
    const model = new ScriptedModel([
      new ModelError('MODEL_OVERLOADED', 'busy'),
      (incoming, index) => textResponse(`${incoming.messages.length} message(s), call ${index}`),
    ]);

    await expect(model.generate(request)).rejects.toMatchObject({ code: 'MODEL_OVERLOADED' });
    expect((await model.generate(request)).message.content).toBe('1 message(s), call 1');
  });

  it('records each call with a copy of the messages', async () => {
    const model = new ScriptedModel([textResponse('x')], { provider: 'p', modelId: 'm' });
    const messages = [{ role: 'user' as const, content: 'hi' }];

    await model.generate({ messages, settings: { temperature: 0 } });
    messages.push({ role: 'user', content: 'later' });

    expect(model.calls[0]).toMatchObject({ method: 'generate', settings: { temperature: 0 } });
    expect(model.calls[0]?.messages).toHaveLength(1);
    expect([model.provider, model.modelId]).toEqual(['p', 'm']);
  });

  it('answers every extra call with the fallback, as a fresh copy each time', async () => {
    const model = new ScriptedModel([], { fallback: textResponse('again') }).push(textResponse('first'));

    const first = await model.generate(request);
    const second = await model.generate(request);
    second.message.content = 'mutated';
    const third = await model.generate(request);

    expect([first.message.content, third.message.content]).toEqual(['first', 'again']);
    expect(model.remaining).toBe(0);
  });

  it('streams text in chunks, then tool calls, then finish with the same response', async () => {
    const response = toolCallResponse('add', { a: 1 }, { text: 'Let me add.', id: 'c1' });
    const model = new ScriptedModel([response], { streamChunkSize: 5 });

    const events = [];
    for await (const event of model.stream(request)) events.push(event);

    expect(events.map((event) => event.type)).toEqual([
      'text-delta',
      'text-delta',
      'text-delta',
      'tool-call',
      'finish',
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', response });
    expect(model.calls[0]?.method).toBe('stream');
  });

  it('refuses a call whose signal is aborted', async () => {
    const model = new ScriptedModel([textResponse('x')]);

    await expect(model.generate({ ...request, signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });

  it('builds responses with ids, text and usage', () => {
    const response = toolCallsResponse(
      [
        { name: 'a', arguments: {} },
        { name: 'b', arguments: {}, id: 'fixed' },
      ],
      {
        usage: { inputTokens: 3 },
      },
    );

    expect(response.finishReason).toBe('tool-calls');
    expect(response.message.toolCalls?.[1]?.id).toBe('fixed');
    expect(response.message.toolCalls?.[0]?.id).toMatch(/^call_\d+$/);
    expect(response.usage).toEqual({ inputTokens: 3, outputTokens: 5 });
    expect(textResponse('x', { outputTokens: 1 }).usage).toEqual({ inputTokens: 10, outputTokens: 1 });
  });
});

describe('collectStream', () => {
  it('fails with MODEL_INVALID_RESPONSE when a stream has no finish event', async () => {
    async function* truncated() {
      yield { type: 'text-delta' as const, delta: 'partial' };
    }

    await expect(collectStream(truncated())).rejects.toMatchObject({ code: 'MODEL_INVALID_RESPONSE' });
  });

  it('returns the finish response', async () => {
    const model = new ScriptedModel([textResponse('done')]);

    expect((await collectStream(model.stream(request))).message.content).toBe('done');
  });
});
