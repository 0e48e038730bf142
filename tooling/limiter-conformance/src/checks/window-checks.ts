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

const rule = callRule(4, { name: 'four-per-minute' });
const refusedByRule = { rule: 'four-per-minute', kind: 'calls' } as const;

/** Refuses the call after maxCalls with the rule's name; the suite's most basic check. */
export const refusesOverMaxCalls: ConformanceCheck = {
  name: 'admits exactly maxCalls calls and refuses the next one, naming the rule and kind "calls"',
  async run(setup) {
    const { limiter } = await setup([rule]);

    const admitted = await admittedOf(limiter, 4);
    const next = await limiter.acquire({});

    expect(admitted).toBe(4);
    expectRefused(next, refusedByRule, 'call 5');
  },
};

/** Refuses right up to the window edge (less the allowed precision). */
export const refusesUntilWindowPassed: ConformanceCheck = {
  name: 'keeps refusing until a whole window has passed since the calls',
  async run(setup) {
    const { limiter, time, precision } = await setup([rule]);
    await admittedOf(limiter, 4);

    await time.advance(WINDOW_MS - 1 - precision(rule));
    const decision = await limiter.acquire({});

    expectRefused(decision, refusedByRule, 'one ms (plus precision) before the window edge');
  },
};

/** The whole budget returns once the window has passed. */
export const admitsAfterWindowPassed: ConformanceCheck = {
  name: 'admits the full budget again once a whole window has passed since the calls',
  async run(setup) {
    const { limiter, time, precision } = await setup([rule]);
    await admittedOf(limiter, 4);

    await time.advance(WINDOW_MS + precision(rule));
    const admitted = await admittedOf(limiter, 4);
    const next = await limiter.acquire({});

    expect(admitted).toBe(4);
    expectRefused(next, refusedByRule, 'call 5 of the second window');
  },
};

/**
 * Half the budget at t0 and half at t0 + W/2: at t0 + W only the first half has left the window.
 * A fixed window that resets at t0 + W would admit the full budget here (twice the limit in W).
 */
export const slidesTheWindow: ConformanceCheck = {
  name: 'slides the window: calls made half a window later still count after the first ones expire',
  async run(setup) {
    const { limiter, time, precision } = await setup([rule]);
    await admittedOf(limiter, 2);
    await time.advance(WINDOW_MS / 2);
    await admittedOf(limiter, 2);

    await time.advance(WINDOW_MS / 2 + precision(rule));
    const admitted = await admittedOf(limiter, 3);

    expect(admitted, 'calls admitted while the later half still counts').toBe(2);
  },
};

const twoPerMinute = callRule(2, { name: 'two-per-minute' });

/** Calls at t0 and t0 + W/4, asked at t0 + W/2: the t0 call leaves the window in W/2. */
async function refusalHalfWayThrough(setup: Parameters<ConformanceCheck['run']>[0]) {
  const subject = await setup([twoPerMinute]);
  expectAllowed(await subject.limiter.acquire({}), 'call 1');
  await subject.time.advance(WINDOW_MS / 4);
  expectAllowed(await subject.limiter.acquire({}), 'call 2');
  await subject.time.advance(WINDOW_MS / 4);
  const refusal = expectRefused(
    await subject.limiter.acquire({}),
    { rule: 'two-per-minute', kind: 'calls' },
    'call 3',
  );
  return { ...subject, refusal };
}

/** `retryAfterMs` says when the oldest counted call leaves the window. */
export const reportsRetryAfter: ConformanceCheck = {
  name: 'reports retryAfterMs as the time until the oldest counted call leaves the window',
  async run(setup) {
    const { refusal, precision } = await refusalHalfWayThrough(setup);

    expectRetryAfter(refusal.retryAfterMs, WINDOW_MS / 2, precision(twoPerMinute), 'call 3');
  },
};

/** Waiting what the refusal said is enough, and frees exactly one call (the later one still counts). */
export const admitsAfterRetryAfter: ConformanceCheck = {
  name: 'admits a call after waiting exactly retryAfterMs, and only one',
  async run(setup) {
    const { limiter, time, refusal } = await refusalHalfWayThrough(setup);

    await time.advance(refusal.retryAfterMs);
    const retried = await limiter.acquire({});
    const next = await limiter.acquire({});

    expectAllowed(retried, 'the call retried after retryAfterMs');
    expectRefused(next, { rule: 'two-per-minute', kind: 'calls' }, 'the call after it');
  },
};

/** The window-edge and `retryAfterMs` checks, in order. */
export const windowChecks: readonly ConformanceCheck[] = [
  refusesOverMaxCalls,
  refusesUntilWindowPassed,
  admitsAfterWindowPassed,
  slidesTheWindow,
  reportsRetryAfter,
  admitsAfterRetryAfter,
];
