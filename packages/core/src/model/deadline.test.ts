import { describe, expect, it } from 'vitest';
import { AbortedError } from '../errors/errors.js';
import { ScriptedModel, textResponse } from '../testing/scripted-model.js';
import type { LanguageModel, ModelStreamEvent } from './language-model.js';
import { withRetry } from './with-retry.js';

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

/** A model whose calls never finish and that ignores its signal. */
const stuckModel: LanguageModel = {
  provider: 'test',
  modelId: 'stuck',
  generate: () => new Promise(() => {}),
  async *stream(): AsyncGenerator<ModelStreamEvent> {
    await new Promise(() => {});
  },
};

describe('withRetry deadline on an attempt in flight', () => {
  it('cuts a generate call that is still running at the deadline, even if the model ignores its signal', async () => {
    const startedAt = Date.now();

    const error = await withRetry(stuckModel, { deadlineMs: 30 })
      .generate(request)
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'MODEL_TIMEOUT', retryable: true });
    expect((error as Error).message).toContain('overall deadline of 30 ms');
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });

  it('aborts the signal the inner model sees when the deadline passes', async () => {
    let seen: AbortSignal | undefined;
    const model = new ScriptedModel([
      (incoming) =>
        new Promise((_resolve, reject) => {
          seen = incoming.signal;
          incoming.signal?.addEventListener('abort', () => reject(new Error('inner aborted')));
        }),
    ]);

    await expect(withRetry(model, { deadlineMs: 20 }).generate(request)).rejects.toMatchObject({
      code: 'MODEL_TIMEOUT',
    });
    expect(seen?.aborted).toBe(true);
  });

  it('cuts a stream that is still running at the deadline', async () => {
    const consume = async () => {
      for await (const _event of withRetry(stuckModel, { deadlineMs: 20 }).stream(request)) {
        // never reached
      }
    };

    await expect(consume()).rejects.toMatchObject({ code: 'MODEL_TIMEOUT' });
  });

  it('reports a caller abort as an abort, not as the deadline', async () => {
    const controller = new AbortController();
    const pending = withRetry(stuckModel, { deadlineMs: 10_000 }).generate({
      ...request,
      signal: controller.signal,
    });

    controller.abort();

    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });

  it('does not retry after the deadline even though the timeout is retryable, so a fallback can take over', async () => {
    let calls = 0;
    const model: LanguageModel = {
      ...stuckModel,
      generate: () => {
        calls++;
        return new Promise(() => {});
      },
    };

    await expect(withRetry(model, { deadlineMs: 20, maxRetries: 5 }).generate(request)).rejects.toMatchObject(
      {
        code: 'MODEL_TIMEOUT',
      },
    );
    expect(calls).toBe(1);
  });

  it('leaves a call that finishes in time untouched', async () => {
    const response = await withRetry(new ScriptedModel([textResponse('quick')]), {
      deadlineMs: 1000,
    }).generate(request);

    expect(response.message.content).toBe('quick');
  });
});
