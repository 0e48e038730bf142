import { ConfigError } from '@agent/core';

// Shared checks of sink options: each throws a ConfigError naming the option and what to pass.

/** `value` when it is an integer >= `minimum`, `fallback` when undefined; otherwise a ConfigError. */
export function integerOption(
  owner: string,
  name: string,
  value: unknown,
  fallback: number,
  minimum = 1,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new ConfigError(
      `${owner} option "${name}" must be an integer >= ${minimum}, got ${describe(value)}. Pass a whole number, or omit it for the default (${fallback}).`,
    );
  }
  return value;
}

/** `value` when it is a function or undefined; otherwise a ConfigError. */
export function functionOption<TFunction>(
  owner: string,
  name: string,
  value: TFunction | undefined,
): TFunction | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new ConfigError(`${owner} option "${name}" must be a function, got ${describe(value)}.`);
  }
  return value;
}

/** `value` when it looks like a Redactor (has `redact`) or is undefined; otherwise a ConfigError. */
export function redactorOption<TRedactor extends { redact: unknown }>(
  owner: string,
  value: TRedactor | undefined,
): TRedactor | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || typeof value.redact !== 'function') {
    throw new ConfigError(
      `${owner} option "redactor" must be a Redactor (an object with redact()), got ${describe(value)}. Pass createRedactor(), or omit it.`,
    );
  }
  return value;
}

/** A short description of a bad option value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return typeof value;
}
