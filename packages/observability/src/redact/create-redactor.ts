import { ConfigError } from '@agent/core';
import {
  BUILT_IN_DETECTOR_NAMES,
  type BuiltInDetectorName,
  createBuiltInDetectors,
  type Detector,
} from './detectors.js';
import { redactValue } from './redact-value.js';
import type { Redactor } from './redactor.js';
import { createTextScanner } from './scan-text.js';
import { createKeyMatcher } from './sensitive-keys.js';

/** An extra thing to redact, found by a regex. */
export interface RedactionPattern {
  /** Goes into the replacement: `[REDACTED:<name>]`. */
  name: string;
  /**
   * What to find. The global flag is added when missing. Keep it linear: bounded quantifiers,
   * no nested `(a+)+`, since it runs over every string that leaves the process.
   */
  pattern: RegExp;
}

/** Options of {@link createRedactor}. */
export interface RedactorOptions {
  /** False returns every input unchanged (and `enabled` reads false). @default true */
  enabled?: boolean;
  /** Built-in detectors to switch off, e.g. `['ipv4', 'ipv6']`. @default [] */
  disable?: readonly BuiltInDetectorName[];
  /** Extra patterns. They run before the built-ins, so they win where both match. @default [] */
  patterns?: readonly RedactionPattern[];
  /** Extra sensitive key names, matched like the defaults (case and `-`/`_` ignored). @default [] */
  keys?: readonly string[];
  /** The text a match becomes, from the detector's name (`key` for sensitive keys). @default name => `[REDACTED:${name}]` */
  replacement?: (name: string) => string;
  /** Containers nested deeper than this become `'[TRUNCATED:depth]'`. @default 10 */
  maxDepth?: number;
}

/** The name used in the replacement of a sensitive key's value: `[REDACTED:key]`. */
export const SENSITIVE_KEY_NAME = 'key';

const defaultReplacement = (name: string): string => `[REDACTED:${name}]`;

const passThrough: Redactor = Object.freeze({
  enabled: false,
  redactString: (text: string) => text,
  redact: <T>(value: T): T => value,
});

function fail(message: string): never {
  throw new ConfigError(message);
}

function checkArray(name: string, value: unknown, what: string): readonly unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    fail(`Redactor option "${name}" must be an array of ${what}; got ${typeof value}.`);
  return value;
}

function toDetector(entry: unknown, index: number): Detector {
  const { name, pattern } = (entry ?? {}) as Partial<RedactionPattern>;
  if (typeof name !== 'string' || name === '') {
    fail(
      `Redactor patterns[${index}] needs a non-empty "name" string, e.g. { name: 'order-id', pattern: /ORD-\\d{8}/ }.`,
    );
  }
  if (!(pattern instanceof RegExp)) {
    fail(
      `Redactor pattern "${name}" must be a RegExp, e.g. /ORD-\\d{8}/; got ${typeof pattern}. Build one with new RegExp(text) if you have a string.`,
    );
  }
  // Global so exec() walks the text; never sticky, which would only look at one position.
  const flags = `${pattern.flags.replace(/[gy]/g, '')}g`;
  return { name, pattern: new RegExp(pattern.source, flags) };
}

function builtInDetectors(disable: readonly unknown[]): Detector[] {
  const known: readonly string[] = BUILT_IN_DETECTOR_NAMES;
  for (const name of disable) {
    if (typeof name !== 'string' || !known.includes(name)) {
      fail(
        `Redactor option "disable" has unknown detector ${JSON.stringify(name)}; pass names from: ${known.join(', ')}.`,
      );
    }
  }
  return createBuiltInDetectors().filter((detector) => !disable.includes(detector.name));
}

/**
 * Builds a {@link Redactor} that finds emails, phone numbers, card numbers (Luhn-checked), IBANs
 * (mod-97-checked), IP addresses, JWTs and API keys (OpenAI, Anthropic, AWS, GitHub, Slack) in
 * text, and replaces the values of sensitive keys (`authorization`, `password`, `token`, ...)
 * whole. Replacements read `[REDACTED:<name>]`.
 *
 * @throws ConfigError when an option has the wrong shape; the message says what to pass.
 * @example
 * ```ts
 * const redactor = createRedactor({ disable: ['ipv4'], keys: ['ssn'] });
 * redactor.redactString('mail bob@example.com'); // 'mail [REDACTED:email]'
 * redactor.redact({ password: 'hunter2', note: 'ok' }); // { password: '[REDACTED:key]', note: 'ok' }
 * ```
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  if (options.enabled !== undefined && typeof options.enabled !== 'boolean') {
    fail(`Redactor option "enabled" must be true or false; got ${typeof options.enabled}.`);
  }
  const maxDepth = options.maxDepth ?? 10;
  if (!Number.isInteger(maxDepth) || maxDepth < 1) {
    fail(`Redactor option "maxDepth" must be a positive integer, e.g. 10; got ${String(maxDepth)}.`);
  }
  const replacement = options.replacement ?? defaultReplacement;
  if (typeof replacement !== 'function') {
    fail(
      `Redactor option "replacement" must be a function from a detector name to a string, e.g. name => '***'.`,
    );
  }
  const extraKeys = checkArray('keys', options.keys, 'key names');
  for (const key of extraKeys) {
    if (typeof key !== 'string' || key === '') {
      fail(`Redactor option "keys" must hold non-empty strings, e.g. ['ssn']; got ${JSON.stringify(key)}.`);
    }
  }
  const detectors = [
    ...checkArray('patterns', options.patterns, '{ name, pattern } objects').map(toDetector),
    ...builtInDetectors(checkArray('disable', options.disable, 'built-in detector names')),
  ];
  if (options.enabled === false) return passThrough;

  // Every replacement is computed (and checked) once, up front, instead of once per match.
  const replacements = new Map<string, string>();
  for (const name of [...detectors.map((detector) => detector.name), SENSITIVE_KEY_NAME]) {
    const text: unknown = replacement(name);
    if (typeof text !== 'string') {
      fail(`Redactor option "replacement" must return a string; for "${name}" it returned ${typeof text}.`);
    }
    replacements.set(name, text);
  }
  const redactString = createTextScanner(detectors, (name) => replacements.get(name) as string);
  const valueOptions = {
    text: redactString,
    isSensitiveKey: createKeyMatcher(extraKeys as readonly string[]),
    keyReplacement: replacements.get(SENSITIVE_KEY_NAME) as string,
    maxDepth,
  };
  return {
    enabled: true,
    redactString,
    redact: <T>(value: T): T => redactValue(value, valueOptions) as T,
  };
}
