import { expect } from 'vitest';
import { type ConformanceCheck, expectAllowed, expectRefused, tokenRule } from '../harness.js';

const rule = tokenRule(100, { name: 'hundred-tokens' });
const outOfTokens = { rule: 'hundred-tokens', kind: 'tokens' } as const;

/** No wait makes an oversized request fit, so callers must be told not to wait. */
export const refusesOversizedAsPermanent: ConformanceCheck = {
  name: 'refuses a request whose tokens exceed maxTokens with permanent: true',
  async run(setup) {
    const { limiter } = await setup([rule]);

    const decision = await limiter.acquire({ tokens: 101 });

    expectRefused(decision, { ...outOfTokens, permanent: true }, '101 tokens against maxTokens 100');
  },
};

/** Reserved tokens count against maxTokens from the moment of acquire. */
export const countsReservedTokens: ConformanceCheck = {
  name: 'counts reserved tokens against maxTokens, refusing what does not fit with kind "tokens"',
  async run(setup) {
    const { limiter } = await setup([rule]);
    const reservation = expectAllowed(await limiter.acquire({ tokens: 60 }), '60 tokens');

    const tooMany = await limiter.acquire({ tokens: 50 });
    const rest = await limiter.acquire({ tokens: 40 });
    const oneMore = await limiter.acquire({ tokens: 1 });

    expect(reservation.tokens, 'reservation.tokens').toBe(60);
    expectRefused(tooMany, outOfTokens, '50 more tokens (110 in all)');
    expectAllowed(rest, '40 more tokens (100 in all)');
    expectRefused(oneMore, outOfTokens, '1 more token (101 in all)');
  },
};

/** Over-estimates must not waste the budget once the real usage is known. */
export const reconcileDownFreesCapacity: ConformanceCheck = {
  name: 'frees capacity when reconcile reports fewer tokens than were reserved',
  async run(setup) {
    const { limiter } = await setup([rule]);
    const reservation = expectAllowed(await limiter.acquire({ tokens: 80 }), '80 tokens');
    expectRefused(await limiter.acquire({ tokens: 80 }), outOfTokens, '80 more before reconcile');

    await limiter.reconcile(reservation, 20);
    const afterReconcile = await limiter.acquire({ tokens: 80 });
    const oneMore = await limiter.acquire({ tokens: 1 });

    expectAllowed(afterReconcile, '80 tokens after reconciling the first call to 20');
    expectRefused(oneMore, outOfTokens, '1 more token (101 in all)');
  },
};

/** Under-estimates must be charged, or a caller could always reserve 0 tokens. */
export const reconcileUpConsumesCapacity: ConformanceCheck = {
  name: 'consumes more capacity when reconcile reports more tokens than were reserved',
  async run(setup) {
    const { limiter } = await setup([rule]);
    const reservation = expectAllowed(await limiter.acquire({ tokens: 20 }), '20 tokens');

    await limiter.reconcile(reservation, 90);
    const tooMany = await limiter.acquire({ tokens: 20 });
    const rest = await limiter.acquire({ tokens: 10 });

    expectRefused(tooMany, outOfTokens, '20 more tokens after reconciling the first call to 90');
    expectAllowed(rest, '10 more tokens (100 in all)');
  },
};

/** A retried usage report must not charge (or refund) the difference twice. */
export const reconcileIsOnce: ConformanceCheck = {
  name: 'applies reconcile once: reconciling the same reservation again changes nothing',
  async run(setup) {
    const { limiter } = await setup([rule]);
    const reservation = expectAllowed(await limiter.acquire({ tokens: 10 }), '10 tokens');

    await limiter.reconcile(reservation, 40);
    await limiter.reconcile(reservation, 40);
    const rest = await limiter.acquire({ tokens: 60 });
    const oneMore = await limiter.acquire({ tokens: 1 });

    expectAllowed(rest, '60 more tokens (100 in all if the second reconcile did nothing)');
    expectRefused(oneMore, outOfTokens, '1 more token (101 in all)');
  },
};

/** Reservations can outlive a limiter (restart, another process); reconciling them must be safe. */
export const reconcileUnknownIsHarmless: ConformanceCheck = {
  name: 'ignores reconcile of a reservation it never issued',
  async run(setup) {
    const { limiter, time } = await setup([rule]);
    expectAllowed(await limiter.acquire({ tokens: 50 }), '50 tokens');
    const foreign = { id: 'not-issued-by-this-limiter', tokens: 50, at: time.now() };

    await limiter.reconcile(foreign, 0);
    const overBudget = await limiter.acquire({ tokens: 51 });
    const rest = await limiter.acquire({ tokens: 50 });

    expectRefused(overBudget, outOfTokens, '51 more tokens (the foreign reconcile must free nothing)');
    expectAllowed(rest, '50 more tokens (100 in all)');
  },
};

/** The token checks, in order. */
export const tokenChecks: readonly ConformanceCheck[] = [
  refusesOversizedAsPermanent,
  countsReservedTokens,
  reconcileDownFreesCapacity,
  reconcileUpConsumesCapacity,
  reconcileIsOnce,
  reconcileUnknownIsHarmless,
];
