import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openCallScope, ScopeAbortedSignal } from './call-scope.js';

const never = () => new Promise<never>(() => {});

describe('openCallScope', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('rejects a race at once when the caller aborts', async () => {
    const caller = new AbortController();
    const scope = openCallScope(caller.signal, 10_000);
    const racing = scope.race(never());

    caller.abort(new Error('stop'));

    await expect(racing).rejects.toBeInstanceOf(ScopeAbortedSignal);
    expect(scope).toMatchObject({ callerAborted: true, timedOut: false });
    expect(scope.signal.aborted).toBe(true);
  });

  it('starts aborted when the caller signal already is', async () => {
    const scope = openCallScope(AbortSignal.abort(), 10_000);

    await expect(scope.race(Promise.resolve('late'))).rejects.toBeInstanceOf(ScopeAbortedSignal);
    expect(scope.callerAborted).toBe(true);
  });

  it('times out after timeoutMs without progress', async () => {
    const scope = openCallScope(undefined, 1000);
    const racing = scope.race(never());

    vi.advanceTimersByTime(1000);

    await expect(racing).rejects.toBeInstanceOf(ScopeAbortedSignal);
    expect(scope).toMatchObject({ timedOut: true, callerAborted: false });
  });

  it('restarts the timeout on touch', () => {
    const scope = openCallScope(undefined, 1000);

    vi.advanceTimersByTime(900);
    scope.touch();
    vi.advanceTimersByTime(900);

    expect(scope.signal.aborted).toBe(false);
  });

  it('does not time out while paused', () => {
    const scope = openCallScope(undefined, 1000);

    scope.pause();
    vi.advanceTimersByTime(5000);

    expect(scope.timedOut).toBe(false);
  });

  it('aborts the signal on abort without calling it a timeout or a caller abort', () => {
    const scope = openCallScope(undefined, 1000);

    scope.abort();

    expect(scope.signal.aborted).toBe(true);
    expect(scope).toMatchObject({ timedOut: false, callerAborted: false });
  });

  it('settles a race like the raced promise while nothing aborts', async () => {
    const scope = openCallScope(undefined, 1000);

    await expect(scope.race(Promise.resolve(42))).resolves.toBe(42);
  });

  it('stops listening to the caller signal after dispose', () => {
    const caller = new AbortController();
    const scope = openCallScope(caller.signal, 1000);

    scope.dispose();
    caller.abort();
    vi.advanceTimersByTime(5000);

    expect(scope.signal.aborted).toBe(false);
  });
});
