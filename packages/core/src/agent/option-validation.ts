import { ConfigError } from '../errors/errors.js';
import type { LanguageModel } from '../model/language-model.js';
import type { RateLimiter } from '../ratelimit/rate-limiter.js';
import { sleep } from '../util/abort.js';
import { randomId, systemClock } from '../util/clock.js';
import { noopLogger } from '../util/logger.js';
import type { AgentLimiterOptions, AgentOptions } from './agent-types.js';
import type { ResolvedAgent } from './resolved-agent.js';

/**
 * Construction-time checks shared by `Agent` and `PlannerExecutor`: bad options fail at once
 * with a `ConfigError` naming the runtime, the option and what was given.
 */

/** A non-empty name, or a `ConfigError` saying why it matters. */
export function requireName(name: unknown, runtime: string): string {
  if (typeof name !== 'string' || name.trim().length === 0) {
    throw new ConfigError(
      `${runtime} name is required: pass a non-empty \`name\` (it appears in events, logs and metrics).`,
    );
  }
  return name;
}

/** The option as a `LanguageModel`, or a `ConfigError`. */
export function requireLanguageModel(model: unknown, option: string, owner: string): LanguageModel {
  if (
    typeof model !== 'object' ||
    model === null ||
    typeof (model as LanguageModel).generate !== 'function' ||
    typeof (model as LanguageModel).stream !== 'function'
  ) {
    throw new ConfigError(
      `${owner} ${option} must be a LanguageModel (an object with generate() and stream()), got ${model === null ? 'null' : typeof model}.`,
    );
  }
  return model as LanguageModel;
}

/** An integer option at or above `minimum`, `fallback` when unset, else a `ConfigError`. */
export function integerAtLeast(
  value: number | undefined,
  fallback: number,
  minimum: number,
  option: string,
  owner: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < minimum) {
    const expected = minimum === 0 ? 'a non-negative integer' : 'a positive integer';
    throw new ConfigError(`${owner} ${option} must be ${expected}, got ${String(value)}.`);
  }
  return value;
}

/** The limiter option with its defaults: a bare limiter waits up to a minute for capacity. */
export function resolveLimiter(
  limiter: RateLimiter | AgentLimiterOptions | undefined,
): Required<AgentLimiterOptions> | undefined {
  if (limiter === undefined) return undefined;
  if ('acquire' in limiter) return { limiter, onLimit: 'wait', maxWaitMs: 60_000 };
  return {
    limiter: limiter.limiter,
    onLimit: limiter.onLimit ?? 'wait',
    maxWaitMs: limiter.maxWaitMs ?? 60_000,
  };
}

/** The runtime options `Agent` and `PlannerExecutor` share, with one set of defaults for both. */
export function resolveSharedOptions(
  options: Pick<
    AgentOptions,
    | 'memory'
    | 'limiter'
    | 'events'
    | 'hooks'
    | 'scope'
    | 'settings'
    | 'logger'
    | 'clock'
    | 'idGenerator'
    | 'sleep'
  >,
): Pick<
  ResolvedAgent,
  | 'memory'
  | 'limiter'
  | 'events'
  | 'hooks'
  | 'scope'
  | 'settings'
  | 'logger'
  | 'clock'
  | 'idGenerator'
  | 'sleep'
> {
  return {
    memory: options.memory,
    limiter: resolveLimiter(options.limiter),
    events: options.events,
    hooks: options.hooks ?? {},
    scope: options.scope,
    settings: options.settings,
    logger: options.logger ?? noopLogger,
    clock: options.clock ?? systemClock,
    idGenerator: options.idGenerator ?? randomId,
    sleep: options.sleep ?? sleep,
  };
}
