import { expect } from 'vitest';
import {
  admittedOf,
  type ConformanceCheck,
  callRule,
  expectAllowed,
  expectRefused,
  expectRetryAfter,
  WINDOW_MS,
} from '../harness.js';

// One call per tenant, three in all: each rule can be the one that refuses.
const perTenant = callRule(1, { name: 'one-per-tenant', scope: 'tenant' });
const overall = callRule(3, { name: 'three-overall' });

/** A call needs every rule's room, whichever rule is short. */
export const refusesWhenAnyRuleRefuses: ConformanceCheck = {
  name: 'admits a call only when every rule admits it',
  async run(setup) {
    const { limiter } = await setup([perTenant, overall]);
    expectAllowed(await limiter.acquire({ tenant: 'a' }), 'tenant a, call 1');

    const secondOfA = await limiter.acquire({ tenant: 'a' });
    const firstOfB = await limiter.acquire({ tenant: 'b' });
    const firstOfC = await limiter.acquire({ tenant: 'c' });
    const firstOfD = await limiter.acquire({ tenant: 'd' });

    expectRefused(secondOfA, { rule: 'one-per-tenant', kind: 'calls' }, 'tenant a, call 2');
    expectAllowed(firstOfB, 'tenant b, call 1');
    expectAllowed(firstOfC, 'tenant c, call 1');
    expectRefused(firstOfD, { rule: 'three-overall', kind: 'calls' }, 'tenant d, call 1 (fourth overall)');
  },
};

/** Rules are decided together: a call one rule refuses must not be counted by the others. */
export const refusalConsumesNothing: ConformanceCheck = {
  name: 'consumes nothing from the other rules when one rule refuses',
  async run(setup) {
    const { limiter } = await setup([perTenant, overall]);
    expectAllowed(await limiter.acquire({ tenant: 'a' }), 'tenant a, call 1');

    const refusedOfA = await admittedOf(limiter, 5, { tenant: 'a' });
    const ofB = await limiter.acquire({ tenant: 'b' });
    const ofC = await limiter.acquire({ tenant: 'c' });
    const ofD = await limiter.acquire({ tenant: 'd' });

    expect(refusedOfA, 'tenant a calls admitted after its first').toBe(0);
    expectAllowed(ofB, 'tenant b (overall budget untouched by the refusals)');
    expectAllowed(ofC, 'tenant c (overall budget untouched by the refusals)');
    expectRefused(ofD, { rule: 'three-overall', kind: 'calls' }, 'tenant d');
  },
};

// The shorter window has the longer wait, so a limiter reporting the longest window (or the first
// rule) instead of the longest wait fails.
const perMinute = callRule(1, { name: 'one-per-minute' });
const perTwoMinutes = callRule(2, { name: 'two-per-two-minutes', windowMs: 2 * WINDOW_MS });

/** After the longest wait every refusing rule has room, so that is the useful wait to report. */
export const reportsLongestWait: ConformanceCheck = {
  name: 'reports the rule whose wait is longest when several refuse, whatever their order',
  async run(setup) {
    for (const rules of [
      [perMinute, perTwoMinutes],
      [perTwoMinutes, perMinute],
    ]) {
      const { limiter, time, precision } = await setup(rules);
      const order = rules.map((rule) => rule.name).join(', ');
      // Counted at t0 by both rules, then at t0 + 70 s (the per-minute rule has room again).
      expectAllowed(await limiter.acquire({}), `[${order}] call at t0`);
      await time.advance(70_000);
      expectAllowed(await limiter.acquire({}), `[${order}] call at t0 + 70 s`);

      // At t0 + 80 s: one-per-minute waits 50 s (until t0 + 130 s), two-per-two-minutes 40 s.
      await time.advance(10_000);
      const decision = await limiter.acquire({});

      const refusal = expectRefused(decision, { rule: 'one-per-minute', kind: 'calls' }, `[${order}]`);
      expectRetryAfter(refusal.retryAfterMs, 50_000, precision(perMinute), `[${order}]`);
    }
  },
};

/** The several-rules checks, in order. */
export const ruleChecks: readonly ConformanceCheck[] = [
  refusesWhenAnyRuleRefuses,
  refusalConsumesNothing,
  reportsLongestWait,
];
