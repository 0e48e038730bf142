import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorReason } from './error-reason.js';
import { DeadlineExceeded, withDeadline } from './with-deadline.js';

describe('withDeadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes through a value or an error that arrives in time', async () => {
    await expect(withDeadline(Promise.resolve('done'), 100)).resolves.toBe('done');
    await expect(withDeadline(Promise.reject(new Error('failed')), 100)).rejects.toThrow('failed');
  });

  it('rejects with DeadlineExceeded when time runs out, and hands a late value to onLate', async () => {
    let finish: (value: string) => void = () => {};
    const onLate = vi.fn();

    const result = withDeadline(new Promise<string>((resolve) => (finish = resolve)), 100, onLate);
    const rejection = expect(result).rejects.toBeInstanceOf(DeadlineExceeded);
    await vi.advanceTimersByTimeAsync(100);
    await rejection;
    finish('late');
    await vi.runAllTimersAsync();

    expect(onLate).toHaveBeenCalledWith('late');
    await expect(result).rejects.toThrow('did not finish within 100 ms');
  });

  it('ignores a late value without onLate and a late rejection', async () => {
    let finish: (value: string) => void = () => {};
    let fail: (error: Error) => void = () => {};

    const first = withDeadline(new Promise<string>((resolve) => (finish = resolve)), 10);
    const second = withDeadline(new Promise<string>((_resolve, reject) => (fail = reject)), 10);
    const rejections = Promise.all([
      expect(first).rejects.toBeInstanceOf(DeadlineExceeded),
      expect(second).rejects.toBeInstanceOf(DeadlineExceeded),
    ]);
    await vi.advanceTimersByTimeAsync(10);
    await rejections;
    finish('late');
    fail(new Error('late failure'));
    await vi.runAllTimersAsync();

    await expect(second).rejects.toBeInstanceOf(DeadlineExceeded);
  });
});

describe('errorReason', () => {
  it('reads the message of errors and stringifies anything else thrown', () => {
    expect(errorReason(new TypeError('bad'))).toBe('bad');
    expect(errorReason('plain string')).toBe('plain string');
    expect(errorReason(undefined)).toBe('undefined');
  });
});
