import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { allowedKeysAt, fixForIssue, messageForIssue } from './config-fixes.js';
import { agentConfigSchema } from './config-schema.js';

function firstIssue(input: unknown): z.core.$ZodIssue {
  const issue = agentConfigSchema.safeParse(input, { reportInput: true }).error?.issues[0];
  if (issue === undefined) throw new Error('expected the input to be invalid');
  return issue;
}

const agent = { model: 'main', instructions: 'x' };
const models = { main: { provider: 'openai', model: 'm' } };

describe('fixForIssue', () => {
  it('suggests the closest allowed key for a misspelled one and lists the allowed keys', () => {
    const issue = firstIssue({ models, agents: { a: { ...agent, modle: 'main' } } });

    expect(messageForIssue(issue)).toBe('unknown key "modle"');
    expect(fixForIssue(issue)).toBe(
      'remove it or check the spelling (did you mean "model"?); allowed keys are ' +
        'model, instructions, description, tools, maxSteps, toolConcurrency, planner',
    );
  });

  it('lists allowed keys without a suggestion when nothing is close', () => {
    const issue = firstIssue({ server: { completelyDifferent: 1, other: 2 } });

    expect(messageForIssue(issue)).toBe('unknown keys "completelyDifferent", "other"');
    expect(fixForIssue(issue)).toMatch(
      /^remove them or check the spelling; allowed keys are host, port, auth,/,
    );
  });

  it('says which key to add when a required one is missing', () => {
    const issue = firstIssue({ models, agents: { a: { model: 'main' } } });

    expect(messageForIssue(issue)).toBe('"instructions" is required');
    expect(fixForIssue(issue)).toBe('add "instructions" with a string');
  });

  it('tells a YAML user to quote a value that must be a string', () => {
    const issue = firstIssue({ models: { main: { provider: 'openai', model: 4 } } });

    expect(fixForIssue(issue)).toBe('use a string; quote the value so YAML reads it as text');
  });

  it('explains an empty value and a wrong collection type', () => {
    const empty = firstIssue({ agents: null });
    const notAList = firstIssue({ plugins: 'one' });

    expect(messageForIssue(empty)).toBe(
      'expected a mapping (indented "name: value" lines) but the value is empty',
    );
    expect(fixForIssue(empty)).toBe('give it a mapping (indented "name: value" lines), or remove the key');
    expect(fixForIssue(notAList)).toBe('use a list (indented "- item" lines)');
  });

  it('states bounds for numbers, strings and lists', () => {
    expect(fixForIssue(firstIssue({ server: { port: -1 } }))).toBe('use a number >= 0');
    expect(fixForIssue(firstIssue({ server: { port: 70_000 } }))).toBe('use a number <= 65535');
    expect(fixForIssue(firstIssue({ server: { host: '' } }))).toBe('use a non-empty string');
    expect(fixForIssue(firstIssue({ server: { cors: { origins: [] } } }))).toBe('list at least 1 item');
    expect(fixForIssue(firstIssue({ server: { bodyLimitBytes: 0 } }))).toBe('use a number > 0');
  });

  it('lists the options of an enum', () => {
    expect(fixForIssue(firstIssue({ observability: { logLevel: 'verbose' } }))).toBe(
      'use one of: debug, info, warn, error',
    );
  });

  it('asks for a full URL', () => {
    expect(fixForIssue(firstIssue({ models: { main: { ...models.main, baseURL: 'localhost' } } }))).toBe(
      'use a full http(s) URL, e.g. https://api.example.com/v1',
    );
  });

  it('lists the alternatives of a union that no branch matched', () => {
    const issue = firstIssue({ rateLimits: { rules: [{ name: 'r', scope: 5, maxCalls: 1, windowMs: 1 }] } });

    expect(fixForIssue(issue)).toBe(
      'use "global", "agent", "model", "tenant" or a list (indented "- item" lines)',
    );
  });

  it('uses the fix carried by a custom issue, also inside an invalid record key', () => {
    const issue = firstIssue({ models, agents: { '1st': agent } });

    expect(issue.code).toBe('invalid_key');
    expect(messageForIssue(issue)).toBe('invalid agent name: "1st"');
    expect(fixForIssue(issue)).toBe('start the name with a letter and use only letters, digits, "-" and "_"');
  });

  it('falls back to a general fix for issues it has no words for', () => {
    const base = { path: [], message: 'm', input: undefined };

    expect(fixForIssue({ ...base, code: 'custom' })).toBe(
      'check the value against the configuration reference',
    );
    expect(fixForIssue({ ...base, code: 'not_multiple_of', divisor: 2 })).toBe(
      'check the value against the configuration reference',
    );
    expect(fixForIssue({ ...base, code: 'invalid_format', format: 'email' })).toBe(
      'use a value in email format',
    );
    expect(fixForIssue({ ...base, code: 'invalid_key', origin: 'record', issues: [] })).toBe('rename it');
    expect(fixForIssue({ ...base, code: 'invalid_union', errors: [[]] })).toBe(
      'check the value against the configuration reference',
    );
    expect(fixForIssue({ ...base, code: 'too_small', origin: 'string', minimum: 3 })).toBe(
      'use at least 3 characters',
    );
    expect(fixForIssue({ ...base, code: 'too_big', origin: 'array', maximum: 2 })).toBe(
      'list at most 2 items',
    );
    expect(fixForIssue({ ...base, code: 'too_big', origin: 'number', maximum: 2, inclusive: false })).toBe(
      'use a number < 2',
    );
    expect(fixForIssue({ ...base, code: 'invalid_type', expected: 'date', input: 5 })).toBe('use date');
    expect(fixForIssue({ ...base, code: 'invalid_type', expected: 'object' })).toBe(
      'add a mapping (indented "key: value" lines)',
    );
    expect(fixForIssue({ ...base, code: 'unrecognized_keys', path: ['nowhere'], keys: ['k'] })).toBe(
      'remove it or check the spelling',
    );
  });

  it('lists a single alternative of a union plainly', () => {
    const branch = [{ code: 'invalid_type' as const, expected: 'string' as const, path: [], message: 'm' }];

    expect(fixForIssue({ code: 'invalid_union', errors: [branch], path: [], message: 'm' })).toBe(
      'use a string',
    );
  });

  it('suggests a spelling for each of several misspelled keys', () => {
    const issue = firstIssue({ server: { hots: 'h', prot: 1 } });

    expect(fixForIssue(issue)).toMatch(
      /^remove them or check the spelling \(did you mean "host" for "hots", "port" for "prot"\?\)/,
    );
  });
});

describe('messageForIssue', () => {
  it('describes an invalid key without inner issues', () => {
    const issue = {
      code: 'invalid_key' as const,
      origin: 'record' as const,
      issues: [],
      path: ['k'],
      message: 'm',
    };

    expect(messageForIssue(issue)).toBe('invalid key: "k"');
  });
});

describe('allowedKeysAt', () => {
  it('walks records, arrays and wrappers to the object at a path', () => {
    expect(allowedKeysAt(['rateLimits', 'rules', 0])).toEqual([
      'name',
      'scope',
      'maxCalls',
      'maxTokens',
      'windowMs',
    ]);
    expect(allowedKeysAt(['models', 'any', 'retry'])).toEqual([
      'maxRetries',
      'initialDelayMs',
      'maxDelayMs',
      'deadlineMs',
    ]);
    expect(allowedKeysAt(['models'])).toBeUndefined();
    expect(allowedKeysAt(['server', 'port', 'deeper'])).toBeUndefined();
  });
});
