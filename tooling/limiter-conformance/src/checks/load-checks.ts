import { expect } from 'vitest';
import { admittedOf, type ConformanceCheck, callRule, expectRefused, WINDOW_MS } from '../harness.js';

const rule = callRule(10, { name: 'ten-per-minute' });

/** Check-then-record must be atomic: interleaved acquires may not all see the same free room. */
export const concurrentAcquiresDoNotOverAdmit: ConformanceCheck = {
  name: 'admits exactly maxCalls of many concurrent acquires',
  async run(setup) {
    const { limiter } = await setup([rule]);

    const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.acquire({})));

    const admitted = decisions.filter((decision) => decision.allowed).length;
    expect(admitted, 'admitted of 50 concurrent acquires with maxCalls 10').toBe(10);
  },
};

/** Whatever an implementation does with idle keys (sweep, TTL), it must not keep stale counts. */
export const idleKeysRecover: ConformanceCheck = {
  name: 'has the full budget again after a key has been idle for longer than the window',
  async run(setup) {
    const { limiter, time } = await setup([rule]);
    await admittedOf(limiter, 10);

    await time.advance(10 * WINDOW_MS);
    const admitted = await admittedOf(limiter, 10);
    const next = await limiter.acquire({});

    expect(admitted, 'admitted after the idle period').toBe(10);
    expectRefused(next, { rule: 'ten-per-minute', kind: 'calls' }, 'call 11 after the idle period');
  },
};

/** The concurrency and idle-key checks, in order. */
export const loadChecks: readonly ConformanceCheck[] = [concurrentAcquiresDoNotOverAdmit, idleKeysRecover];
