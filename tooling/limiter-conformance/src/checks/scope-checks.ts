import type { RateLimitDimension, RateLimitRequest, RateLimitScope } from '@agent/core';
import { type ConformanceCheck, callRule, expectAllowed, expectRefused } from '../harness.js';

/** Acquires `requests` in order against a one-call rule of `scope`; asserts which were admitted. */
function scopeCheck(
  name: string,
  scope: RateLimitScope,
  steps: readonly [request: RateLimitRequest, admitted: boolean][],
): ConformanceCheck {
  return {
    name,
    async run(setup) {
      const { limiter } = await setup([callRule(1, { name: 'one-call', scope })]);

      for (const [request, admitted] of steps) {
        const decision = await limiter.acquire(request);

        const what = `acquire(${JSON.stringify(request)})`;
        if (admitted) expectAllowed(decision, what);
        else expectRefused(decision, { rule: 'one-call', kind: 'calls' }, what);
      }
    },
  };
}

function perDimension(dimension: RateLimitDimension): ConformanceCheck {
  return scopeCheck(`keeps a separate counter per ${dimension} for a ${dimension}-scoped rule`, dimension, [
    [{ [dimension]: 'a' }, true],
    [{ [dimension]: 'a' }, false],
    [{ [dimension]: 'b' }, true],
    [{ [dimension]: 'b' }, false],
  ]);
}

/** The scope-isolation checks, in order. */
export const scopeChecks: readonly ConformanceCheck[] = [
  perDimension('tenant'),
  perDimension('agent'),
  perDimension('model'),
  scopeCheck(
    "keeps a separate counter per tenant and model pair for a ['tenant', 'model'] rule",
    ['tenant', 'model'],
    [
      [{ tenant: 'a', model: 'm1' }, true],
      [{ tenant: 'a', model: 'm1' }, false],
      [{ tenant: 'a', model: 'm2' }, true],
      [{ tenant: 'b', model: 'm1' }, true],
      [{ tenant: 'b', model: 'm2' }, true],
      [{ tenant: 'b', model: 'm2' }, false],
    ],
  ),
  scopeCheck('shares one counter across all calls for a global rule', 'global', [
    [{ tenant: 'a', agent: 'x', model: 'm1' }, true],
    [{ tenant: 'b', agent: 'y', model: 'm2' }, false],
    [{}, false],
  ]),
  // The other dimensions of the request must not matter either: they are not in the scope.
  scopeCheck('counts calls without the scoped dimension together, under "*"', 'tenant', [
    [{}, true],
    [{ agent: 'x', model: 'm1' }, false],
    [{ tenant: 'a' }, true],
  ]),
];
