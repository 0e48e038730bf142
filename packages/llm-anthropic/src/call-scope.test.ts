import { AbortedError, ModelError } from '@agent/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallScope } from './call-scope.js';

const MODEL = 'claude-haiku-4-5';
const never = () => new Promise<never>(() => {});

describe('CallScope', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rejects a guarded step with MODEL_TIMEOUT when timeoutMs passes', async () => {
    vi.useFakeTimers();
    const scope = new CallScope(MODEL, undefined, 1000);
    const step = scope.guard(never());

    vi.advanceTimersByTime(1000);

    await expect(step).rejects.toMatchObject({ code: 'MODEL_TIMEOUT', retryable: true, modelId: MODEL });
    expect(scope.signal.aborted).toBe(true);
  });

  it('rejects a guarded step with AbortedError as soon as the caller aborts', async () => {
    const controller = new AbortController();
    const scope = new CallScope(MODEL, controller.signal, undefined);
    const step = scope.guard(never());

    controller.abort();

    await expect(step).rejects.toBeInstanceOf(AbortedError);
  });

  it('rethrows the AbortedError a wrapper put in the signal reason', async () => {
    const reason = new AbortedError('The run was cancelled.');
    const scope = new CallScope(MODEL, AbortSignal.abort(reason), undefined);

    expect(() => scope.check()).toThrow(reason);
  });

  it('reports the interruption instead of the error the SDK threw because of it', () => {
    const controller = new AbortController();
    const scope = new CallScope(MODEL, controller.signal, undefined);
    controller.abort();

    expect(scope.toError(new Error('Request was aborted.'))).toBeInstanceOf(AbortedError);
  });

  it('maps SDK errors when nothing interrupted the call', () => {
    const scope = new CallScope(MODEL, undefined, undefined);

    expect(scope.toError(new SyntaxError('Unexpected token'))).toBeInstanceOf(ModelError);
  });

  it('aborts the signal given to the SDK when closed, ending whatever is still in flight', () => {
    const scope = new CallScope(MODEL, undefined, undefined);

    scope.close();

    expect(scope.signal.aborted).toBe(true);
  });

  it('passes a step that settles in time through', async () => {
    const scope = new CallScope(MODEL, new AbortController().signal, 1000);

    await expect(scope.guard(Promise.resolve(42))).resolves.toBe(42);
    scope.close();
  });
});
