import { ValidationError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { defaultLogContext, LogContext, type LogContextFields } from './log-context.js';

/** A promise with its resolve exposed, to force two async flows to interleave. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

// A macrotask hop: the continuation runs from the timer queue, not from the caller's stack.
const nextTimer = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('LogContext', () => {
  it('returns undefined outside every run', () => {
    const context = new LogContext();

    expect(context.get()).toBeUndefined();
  });

  it('returns the fields inside run and the value fn returns', () => {
    const context = new LogContext();

    const result = context.run({ requestId: 'req-1' }, () => context.get());

    expect(result).toEqual({ requestId: 'req-1' });
  });

  it('keeps the fields across awaits and timers', async () => {
    const context = new LogContext();

    const seen = await context.run({ runId: 'run-1' }, async () => {
      await Promise.resolve();
      await nextTimer();
      return context.get();
    });

    expect(seen).toEqual({ runId: 'run-1' });
    expect(context.get()).toBeUndefined();
  });

  it('merges nested runs over the outer fields and restores the outer fields after', () => {
    const context = new LogContext();
    let inner: LogContextFields | undefined;
    let afterInner: LogContextFields | undefined;

    context.run({ requestId: 'req-1', tenant: 'acme' }, () => {
      context.run({ runId: 'run-1', tenant: 'globex' }, () => {
        inner = context.get();
      });
      afterInner = context.get();
    });

    expect(inner).toEqual({ requestId: 'req-1', tenant: 'globex', runId: 'run-1' });
    expect(afterInner).toEqual({ requestId: 'req-1', tenant: 'acme' });
  });

  it('leaves a field as it is when the inner run gives it as undefined', () => {
    const context = new LogContext();

    const seen = context.run({ tenant: 'acme' }, () =>
      context.run({ runId: 'run-1', tenant: undefined }, () => context.get()),
    );

    expect(seen).toEqual({ tenant: 'acme', runId: 'run-1' });
  });

  it('carries extra string fields', () => {
    const context = new LogContext();

    const seen = context.run({ sessionId: 'session-9' }, () => context.get());

    expect(seen).toEqual({ sessionId: 'session-9' });
  });

  it('keeps two concurrent runs apart', async () => {
    const context = new LogContext();
    const gate = deferred();
    const seen: Array<string | undefined> = [];

    const first = context.run({ runId: 'run-a' }, async () => {
      await gate.promise;
      seen.push(context.get()?.runId);
    });
    const second = context.run({ runId: 'run-b' }, async () => {
      seen.push(context.get()?.runId);
      gate.resolve();
      await nextTimer();
      seen.push(context.get()?.runId);
    });
    await Promise.all([first, second]);

    expect(seen).toEqual(['run-b', 'run-a', 'run-b']);
  });

  it('hands out frozen fields, so a caller cannot change the ids of other lines', () => {
    const context = new LogContext();

    const fields = context.run({ runId: 'run-1' }, () => context.get());

    expect(Object.isFrozen(fields)).toBe(true);
  });

  it('does not keep a reference to the fields object it was given', () => {
    const context = new LogContext();
    const fields: LogContextFields = { runId: 'run-1' };

    const seen = context.run(fields, () => {
      fields.runId = 'changed';
      return context.get();
    });

    expect(seen).toEqual({ runId: 'run-1' });
  });

  it('rejects a field that is not a string with a ValidationError that says what to pass', () => {
    const context = new LogContext();
    const fields = { runId: 42 } as unknown as LogContextFields;

    expect(() => context.run(fields, () => undefined)).toThrow(ValidationError);
    expect(() => context.run(fields, () => undefined)).toThrow(/"runId" must be a string, got number/);
  });

  it('isolates instances from each other', () => {
    const mine = new LogContext();

    const seen = defaultLogContext.run({ requestId: 'req-1' }, () => mine.get());

    expect(seen).toBeUndefined();
  });
});

describe('LogContext.runAlone', () => {
  it('replaces the current fields instead of merging, and restores them after', async () => {
    const logContext = new LogContext();

    await logContext.run({ requestId: 'req-a', runId: 'run-a' }, async () => {
      await logContext.runAlone({ runId: 'run-b', agent: 'b' }, async () => {
        await Promise.resolve();
        expect(logContext.get()).toEqual({ runId: 'run-b', agent: 'b' });
      });
      expect(logContext.get()).toEqual({ requestId: 'req-a', runId: 'run-a' });
    });
  });

  it('rejects a field that is not a string', () => {
    const logContext = new LogContext();

    expect(() => logContext.runAlone({ runId: 7 as unknown as string }, () => undefined)).toThrow(
      /must be a string/,
    );
  });
});
