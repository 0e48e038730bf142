import { describe, expect, it } from 'vitest';
import { manualClock } from './__fixtures__/run-harness.js';
import { IdempotencyCache, requestFingerprint, stableStringify } from './idempotency-cache.js';

describe('IdempotencyCache', () => {
  it('forgets the least recently used key beyond its bound', () => {
    const cache = new IdempotencyCache({ maxEntries: 2 });
    cache.set('a', { runId: 'run-a', fingerprint: 'fa' });
    cache.set('b', { runId: 'run-b', fingerprint: 'fb' });

    cache.get('a');
    cache.set('c', { runId: 'run-c', fingerprint: 'fc' });

    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual({ runId: 'run-a', fingerprint: 'fa' });
    expect(cache.get('c')?.runId).toBe('run-c');
  });

  it('stays bounded under many keys', () => {
    const cache = new IdempotencyCache({ maxEntries: 100 });

    for (let index = 0; index < 10_000; index++)
      cache.set(`key-${index}`, { runId: `run-${index}`, fingerprint: '' });

    expect(cache.size).toBe(100);
    expect(cache.get('key-9999')?.runId).toBe('run-9999');
    expect(cache.get('key-0')).toBeUndefined();
  });

  it('expires keys after the time to live, measured from when they were set', () => {
    const clock = manualClock();
    const cache = new IdempotencyCache({ ttlMs: 100, clock });
    cache.set('a', { runId: 'run-a', fingerprint: 'fa' });

    clock.time += 99;
    const before = cache.get('a');
    clock.time += 1;
    const after = cache.get('a');

    expect(before?.runId).toBe('run-a');
    expect(after).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

describe('requestFingerprint', () => {
  it('ignores key order and tells different bodies apart', () => {
    const base = { agent: 'a', input: 'hi', metadata: { x: 1, nested: { b: [1, { d: 1, c: 2 }], a: null } } };

    const same = requestFingerprint({
      ...base,
      metadata: { nested: { a: null, b: [1, { c: 2, d: 1 }] }, x: 1 },
    });
    const otherInput = requestFingerprint({ ...base, input: 'hello' });
    const otherConversation = requestFingerprint({ ...base, conversationId: 'c1' });

    expect(same).toBe(requestFingerprint(base));
    expect(new Set([same, otherInput, otherConversation]).size).toBe(3);
  });

  it('serializes undefined as a marker', () => {
    expect(stableStringify(undefined)).toBe('undefined');
  });
});
