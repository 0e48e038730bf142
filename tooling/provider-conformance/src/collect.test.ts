import type { ModelResponse, ModelStreamEvent } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { collect, textOf } from './collect.js';
import { captureError } from './conformance-context.js';

const response: ModelResponse = {
  message: { role: 'assistant', content: 'Hi!' },
  usage: { inputTokens: 1, outputTokens: 1 },
  finishReason: 'stop',
};

async function* streamOf(...events: ModelStreamEvent[]): AsyncGenerator<ModelStreamEvent> {
  yield* events;
}

describe('collect', () => {
  it('returns every event and the finish response', async () => {
    const events: ModelStreamEvent[] = [
      { type: 'text-delta', delta: 'Hi' },
      { type: 'text-delta', delta: '!' },
      { type: 'finish', response },
    ];

    const collected = await collect(streamOf(...events));

    expect(collected).toEqual({ events, response });
    expect(textOf(collected.events)).toBe('Hi!');
  });

  it('throws when the stream ends without a finish event', async () => {
    await expect(collect(streamOf({ type: 'text-delta', delta: 'Hi' }))).rejects.toThrow(
      'The model stream ended without a final finish event (1 event(s) seen).',
    );
  });

  it('throws when the stream yields two finish events', async () => {
    await expect(
      collect(streamOf({ type: 'finish', response }, { type: 'finish', response })),
    ).rejects.toThrow('more than one finish event');
  });
});

describe('captureError', () => {
  it('fails when the call it expects to fail succeeds', async () => {
    await expect(captureError(async () => 'fine')).rejects.toThrow('Expected the model call to fail');
  });
});
