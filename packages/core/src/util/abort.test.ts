import { describe, expect, it } from 'vitest';
import { AbortedError } from '../errors/errors.js';
import { abortError, linkedAbort, sleep, throwIfAborted, timedAbort } from './abort.js';
import { noopLogger } from './logger.js';

describe('abort utilities', () => {
  it('sleep rejects at once for an aborted signal and promptly when aborted later', async () => {
    await expect(sleep(10_000, AbortSignal.abort())).rejects.toBeInstanceOf(AbortedError);
    const controller = new AbortController();
    const waiting = sleep(10_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortedError);
  });

  it('sleep resolves after the time passes', async () => {
    await expect(sleep(1, new AbortController().signal)).resolves.toBeUndefined();
    await expect(sleep(1)).resolves.toBeUndefined();
  });

  it('abortError keeps an AbortedError reason and wraps any other', () => {
    const reason = new AbortedError('mine');
    const controller = new AbortController();
    controller.abort(reason);

    expect(abortError(controller.signal)).toBe(reason);
    expect(abortError(AbortSignal.abort('why')).cause).toBe('why');
    expect(() => throwIfAborted(AbortSignal.abort(), 'The job')).toThrow('The job was aborted.');
    expect(() => throwIfAborted(undefined)).not.toThrow();
  });

  it('linkedAbort follows its parent and detaches on dispose', () => {
    const parent = new AbortController();
    const linked = linkedAbort(parent.signal);
    const detached = linkedAbort(parent.signal);
    detached.dispose();

    parent.abort('stop');

    expect(linked.controller.signal.aborted).toBe(true);
    expect(linked.controller.signal.reason).toBe('stop');
    expect(detached.controller.signal.aborted).toBe(false);
    expect(linkedAbort(parent.signal).controller.signal.aborted).toBe(true);
    expect(linkedAbort(undefined).controller.signal.aborted).toBe(false);
  });

  it('noopLogger swallows everything and returns itself as child', () => {
    noopLogger.debug('x');
    noopLogger.info('x');
    noopLogger.warn('x');
    noopLogger.error('x');
    expect(noopLogger.child({ a: 1 })).toBe(noopLogger);
  });

  it('timedAbort aborts at its timeout with the reason, and says it timed out', async () => {
    const timed = timedAbort(new AbortController().signal, 10, () => new Error('too slow'));

    expect(timed.signal.aborted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 30));

    expect(timed.signal.aborted).toBe(true);
    expect((timed.signal.reason as Error).message).toBe('too slow');
    expect(timed.timedOut).toBe(true);
    timed.dispose();
  });

  it('timedAbort follows its parent (not a timeout), and does nothing after dispose', async () => {
    const parent = new AbortController();
    const followed = timedAbort(parent.signal, 10);
    const disposed = timedAbort(parent.signal, 10);
    disposed.dispose();

    parent.abort('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 30));

    expect(followed.signal.reason).toBe('cancelled');
    expect(followed.timedOut).toBe(false);
    expect(disposed.signal.aborted).toBe(false);
    expect(disposed.timedOut).toBe(false);
    const orphan = timedAbort(undefined, 1_000);
    expect(orphan.signal.aborted).toBe(false);
    orphan.dispose();
  });
});
