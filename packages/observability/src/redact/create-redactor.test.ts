import { ConfigError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { createRedactor, type RedactorOptions } from './create-redactor.js';

describe('createRedactor: options', () => {
  it('is enabled by default', () => {
    expect(createRedactor().enabled).toBe(true);
  });

  it('returns input unchanged, the same object, when enabled is false', () => {
    const redactor = createRedactor({ enabled: false });
    const value = { password: 'hunter2', mail: 'jane@example.com' };

    expect(redactor.enabled).toBe(false);
    expect(redactor.redactString('mail jane@example.com')).toBe('mail jane@example.com');
    expect(redactor.redact(value)).toBe(value);
  });

  it('switches off the built-ins named in disable and keeps the others', () => {
    const redactor = createRedactor({ disable: ['ipv4', 'email'] });

    const redacted = redactor.redactString('from 10.0.0.1 by jane@example.com, card 4111 1111 1111 1111');

    expect(redacted).toBe('from 10.0.0.1 by jane@example.com, card [REDACTED:card]');
  });

  it('adds extra patterns, adding the global flag, and lets them win over the built-ins', () => {
    const redactor = createRedactor({ patterns: [{ name: 'customer', pattern: /CUST-\d{16}/ }] });

    const redacted = redactor.redactString('CUST-4111111111111111 and CUST-4012888888881881');

    expect(redacted).toBe('[REDACTED:customer] and [REDACTED:customer]');
  });

  it('keeps the flags of an extra pattern and drops the sticky one', () => {
    const redactor = createRedactor({ patterns: [{ name: 'project', pattern: /project-x/iy }] });

    expect(redactor.redactString('about PROJECT-X and project-x')).toBe(
      'about [REDACTED:project] and [REDACTED:project]',
    );
  });

  it('ignores empty matches of an extra pattern', () => {
    const redactor = createRedactor({ patterns: [{ name: 'maybe', pattern: /x*/ }] });

    expect(redactor.redactString('abxxc')).toBe('ab[REDACTED:maybe]c');
  });

  it('adds extra sensitive keys, matched like the defaults', () => {
    const redactor = createRedactor({ keys: ['social_security_number'] });

    const redacted = redactor.redact({ 'Social-Security-Number': '078-05-1120', name: 'Jane' });

    expect(redacted).toEqual({ 'Social-Security-Number': '[REDACTED:key]', name: 'Jane' });
  });

  it('uses the replacement function for matches and for keys', () => {
    const redactor = createRedactor({ replacement: (name) => `<${name}>` });

    const redacted = redactor.redact({ note: 'mail jane@example.com', token: 'abc' });

    expect(redacted).toEqual({ note: 'mail <email>', token: '<key>' });
  });

  it.each<[string, RedactorOptions, RegExp]>([
    [
      'a pattern that is a string',
      { patterns: [{ name: 'x', pattern: 'abc' as unknown as RegExp }] },
      /must be a RegExp/,
    ],
    ['a pattern without a name', { patterns: [{ name: '', pattern: /x/ }] }, /needs a non-empty "name"/],
    [
      'a null pattern entry',
      { patterns: [null as unknown as { name: string; pattern: RegExp }] },
      /patterns\[0\]/,
    ],
    ['patterns that are not an array', { patterns: {} as unknown as [] }, /"patterns" must be an array/],
    [
      'an unknown detector in disable',
      { disable: ['mail' as 'email'] },
      /unknown detector "mail"; pass names from: jwt,/,
    ],
    ['a key that is not a string', { keys: [42 as unknown as string] }, /"keys" must hold non-empty strings/],
    [
      'enabled that is not a boolean',
      { enabled: 'no' as unknown as boolean },
      /"enabled" must be true or false/,
    ],
    ['a maxDepth of 0', { maxDepth: 0 }, /"maxDepth" must be a positive integer/],
    [
      'a replacement that is not a function',
      { replacement: 'x' as unknown as () => string },
      /must be a function/,
    ],
    [
      'a replacement that returns no string',
      { replacement: () => 1 as unknown as string },
      /must return a string/,
    ],
  ])('rejects %s with a ConfigError that says what to pass', (_, options, message) => {
    expect(() => createRedactor(options)).toThrow(ConfigError);
    expect(() => createRedactor(options)).toThrow(message);
  });

  it('checks the other options even when disabled', () => {
    expect(() => createRedactor({ enabled: false, disable: ['nope' as 'email'] })).toThrow(ConfigError);
  });

  it('gives each redactor its own regex state', () => {
    const first = createRedactor();
    const second = createRedactor();

    const results = ['a@example.com b@example.com', 'c@example.com'].map((text, index) =>
      (index === 0 ? first : second).redactString(text),
    );

    expect(results).toEqual(['[REDACTED:email] [REDACTED:email]', '[REDACTED:email]']);
  });
});
