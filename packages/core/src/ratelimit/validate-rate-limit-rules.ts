import type { ConfigIssue } from '../errors/errors.js';
import type { RateLimitRule } from './rate-limiter.js';

const DIMENSIONS: ReadonlySet<unknown> = new Set(['agent', 'model', 'tenant']);

/**
 * Every problem in a list of rate-limit rules (empty when they are valid), for limiters to check
 * their rules once at construction. Rules often come from config files or plain JavaScript, so
 * it checks at run time what the types promise: unique non-empty names, a positive integer
 * `windowMs`, at least one of `maxCalls` and `maxTokens`, both positive integers, a known scope.
 *
 * @param file - what to name as the source in each issue, e.g. the config file's path.
 * @example
 * ```ts
 * const issues = validateRateLimitRules(rules, 'agent.yaml');
 * if (issues.length > 0) throw new ConfigError('Rate-limit rules are invalid.', { issues });
 * ```
 */
export function validateRateLimitRules(rules: readonly RateLimitRule[], file: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const issue = (path: string, message: string, fix: string) => issues.push({ file, path, message, fix });
  const seen = new Set<string>();

  rules.forEach((rule, position) => {
    const at = `rules[${position}]`;
    if (typeof rule.name !== 'string' || rule.name.length === 0) {
      issue(`${at}.name`, 'is missing', 'Give every rule a unique name.');
    } else if (seen.has(rule.name)) {
      issue(`${at}.name`, `"${rule.name}" is used by an earlier rule`, 'Give every rule a unique name.');
    } else {
      seen.add(rule.name);
    }

    if (!isPositiveInteger(rule.windowMs)) {
      const message = `must be a positive integer of milliseconds; got ${String(rule.windowMs)}`;
      issue(`${at}.windowMs`, message, 'Use e.g. 60000 for one minute.');
    }
    if (rule.maxCalls === undefined && rule.maxTokens === undefined) {
      issue(
        at,
        'sets neither maxCalls nor maxTokens, so it limits nothing',
        'Set maxCalls, maxTokens, or both.',
      );
    }
    for (const limit of ['maxCalls', 'maxTokens'] as const) {
      const value = rule[limit];
      if (value !== undefined && !isPositiveInteger(value)) {
        const message = `must be a positive integer; got ${String(value)}`;
        issue(`${at}.${limit}`, message, `Set ${limit} to 1 or more, or remove it.`);
      }
    }

    const scope: unknown = rule.scope;
    const dimensions: unknown[] = scope === 'global' ? [] : Array.isArray(scope) ? scope : [scope];
    if (dimensions.some((dimension) => !DIMENSIONS.has(dimension))) {
      const fix = "Use 'global', 'agent', 'model', 'tenant', or a list of them.";
      issue(`${at}.scope`, `is ${JSON.stringify(scope) ?? 'missing'}`, fix);
    }
  });
  return issues;
}

function isPositiveInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
