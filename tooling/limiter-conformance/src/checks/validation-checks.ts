import { AgentError, type RateLimitRule } from '@agent/core';
import { assert, expect } from 'vitest';
import { type ConformanceCheck, callRule, type Setup } from '../harness.js';

/** Asserts building a limiter with `rules` fails with a `CONFIG_INVALID` AgentError. */
async function expectConfigInvalid(setup: Setup, rules: readonly RateLimitRule[]): Promise<void> {
  let error: unknown;
  try {
    // Wrapped so a synchronous throw from `create` (a constructor) counts like a rejection.
    await Promise.resolve().then(() => setup(rules));
  } catch (caught) {
    error = caught;
  }

  if (error === undefined) assert.fail(`expected create(${JSON.stringify(rules)}) to throw a ConfigError`);
  expect(AgentError.isInstance(error), `expected an AgentError, got ${String(error)}`).toBe(true);
  expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
}

/** Rules usually come from config files; a rule that limits nothing is a mistake to report early. */
export const rejectsRuleWithoutLimits: ConformanceCheck = {
  name: 'rejects a rule with neither maxCalls nor maxTokens with a CONFIG_INVALID error',
  async run(setup) {
    const limitless: RateLimitRule = { name: 'limitless', scope: 'global', windowMs: 60_000 };

    await expectConfigInvalid(setup, [limitless]);
  },
};

/** Refusals name the rule, so two rules of one name would make refusals ambiguous. */
export const rejectsDuplicateNames: ConformanceCheck = {
  name: 'rejects two rules with the same name with a CONFIG_INVALID error',
  async run(setup) {
    const rules = [callRule(1, { name: 'twice' }), callRule(5, { name: 'twice', scope: 'tenant' })];

    await expectConfigInvalid(setup, rules);
  },
};

/** The validation checks, in order. */
export const validationChecks: readonly ConformanceCheck[] = [
  rejectsRuleWithoutLimits,
  rejectsDuplicateNames,
];
