import type { ConformanceGroup } from '../harness.js';
import { loadChecks } from './load-checks.js';
import { ruleChecks } from './rule-checks.js';
import { scopeChecks } from './scope-checks.js';
import { tokenChecks } from './token-checks.js';
import { validationChecks } from './validation-checks.js';
import { windowChecks } from './window-checks.js';

/** Every check of the suite, grouped as `describeRateLimiter` registers them; failure paths first. */
export const conformanceGroups: readonly ConformanceGroup[] = [
  { title: 'rule validation', checks: validationChecks },
  { title: 'window edges and retryAfterMs', checks: windowChecks },
  { title: 'several rules at once', checks: ruleChecks },
  { title: 'tokens and reconcile', checks: tokenChecks },
  { title: 'scope isolation', checks: scopeChecks },
  { title: 'concurrency and idle keys', checks: loadChecks },
];
