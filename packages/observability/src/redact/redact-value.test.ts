import { AgentError, ModelError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { createRedactor } from './create-redactor.js';

const redactor = createRedactor();
const CARD = '4111 1111 1111 1111';

describe('redactor.redact: structure', () => {
  it('redacts strings in nested objects and arrays and keeps everything else', () => {
    const value = {
      user: { mail: 'jane@example.com', age: 41, admin: false, tags: ['a', 'call +1 415 555 2671'] },
      nothing: null,
      missing: undefined,
    };

    const redacted = redactor.redact(value);

    expect(redacted).toEqual({
      user: { mail: '[REDACTED:email]', age: 41, admin: false, tags: ['a', 'call [REDACTED:phone]'] },
      nothing: null,
      missing: undefined,
    });
  });

  it('never mutates its input', () => {
    const value = { mail: 'jane@example.com', list: [{ password: 'hunter2' }] };
    const before = structuredClone(value);

    redactor.redact(value);

    expect(value).toEqual(before);
  });

  it('returns copies, not the same containers', () => {
    const inner = { a: 1 };
    const value = { inner, list: [inner] };

    const redacted = redactor.redact(value);

    expect(redacted.inner).not.toBe(inner);
    expect(redacted.list[0]).toEqual({ a: 1 });
  });

  it('copies a shared object twice instead of calling it circular', () => {
    const shared = { mail: 'jane@example.com' };

    const redacted = redactor.redact({ first: shared, second: shared });

    expect(redacted).toEqual({ first: { mail: '[REDACTED:email]' }, second: { mail: '[REDACTED:email]' } });
  });

  it('replaces a reference back to an ancestor with [CIRCULAR]', () => {
    const node: Record<string, unknown> = { name: 'root', children: [] };
    (node.children as unknown[]).push({ parent: node });
    node.self = node;

    const redacted = redactor.redact(node);

    expect(redacted).toEqual({ name: 'root', children: [{ parent: '[CIRCULAR]' }], self: '[CIRCULAR]' });
  });

  it('replaces containers deeper than maxDepth with [TRUNCATED:depth]', () => {
    const shallow = createRedactor({ maxDepth: 2 });

    const redacted = shallow.redact({ a: { b: { c: 1 }, list: [1] }, top: 'x' });

    expect(redacted).toEqual({ a: { b: '[TRUNCATED:depth]', list: '[TRUNCATED:depth]' }, top: 'x' });
  });

  it('bounds depth at 10 by default', () => {
    let value: Record<string, unknown> = { leaf: true };
    for (let level = 0; level < 12; level++) value = { next: value };

    const redacted = redactor.redact(value);

    let cursor: unknown = redacted;
    for (let level = 0; level < 10; level++) cursor = (cursor as Record<string, unknown>).next;
    expect(cursor).toBe('[TRUNCATED:depth]');
  });

  it('redacts a bare string and leaves bare primitives alone', () => {
    expect(redactor.redact('mail jane@example.com')).toBe('mail [REDACTED:email]');
    expect(redactor.redact(42)).toBe(42);
    expect(redactor.redact(true)).toBe(true);
    expect(redactor.redact(null)).toBe(null);
  });

  it('redacts an integer that is a card number and keeps long timestamps as numbers', () => {
    const redacted = redactor.redact({
      card: 4111111111111111,
      at: 1_700_000_000_000,
      big: 4111111111111111n,
    });

    expect(redacted).toEqual({ card: '[REDACTED:card]', at: 1_700_000_000_000, big: '[REDACTED:card]' });
  });

  it('redacts object keys that are themselves personal data', () => {
    const redacted = redactor.redact({ 'jane@example.com': 3 });

    expect(redacted).toEqual({ '[REDACTED:email]': 3 });
  });

  it('keeps a "__proto__" key as data', () => {
    const value = JSON.parse('{"__proto__": {"mail": "jane@example.com"}}') as object;

    const redacted = redactor.redact(value);

    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(redacted, '__proto__')?.value).toEqual({
      mail: '[REDACTED:email]',
    });
  });

  it('keeps enumerable symbol keys', () => {
    const level = Symbol.for('level');

    const redacted = redactor.redact({ [level]: 'mail jane@example.com' });

    expect(redacted[level]).toBe('mail [REDACTED:email]');
  });

  it('writes [UNREADABLE] for a getter that throws', () => {
    const value = {
      ok: 'fine',
      get broken(): string {
        throw new Error('no');
      },
    };

    expect(redactor.redact(value)).toEqual({ ok: 'fine', broken: '[UNREADABLE]' });
  });

  it('writes [UNREADABLE] for an object that cannot be listed', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no');
        },
      },
    );

    expect(redactor.redact({ hostile })).toEqual({ hostile: '[UNREADABLE]' });
  });
});

describe('redactor.redact: sensitive keys', () => {
  it.each([
    'authorization',
    'Authorization',
    'proxy-authorization',
    'apiKey',
    'api_key',
    'X-API-KEY',
    'password',
    'passwd',
    'secret',
    'client_secret',
    'token',
    'access_token',
    'refreshToken',
    'id-token',
    'cookie',
    'Set-Cookie',
  ])('replaces the value of %s whole', (key) => {
    expect(redactor.redact({ [key]: 'Bearer abc', other: 'x' })).toEqual({
      [key]: '[REDACTED:key]',
      other: 'x',
    });
  });

  it('replaces the value whatever its type', () => {
    const redacted = redactor.redact({
      password: 1234,
      token: { value: 'abc' },
      cookie: ['a=b'],
      secret: null,
    });

    expect(redacted).toEqual({
      password: '[REDACTED:key]',
      token: '[REDACTED:key]',
      cookie: '[REDACTED:key]',
      secret: '[REDACTED:key]',
    });
  });

  it('does not catch keys that only contain a sensitive word', () => {
    const usage = {
      inputTokens: 10,
      outputTokens: 5,
      maxTokens: 100,
      passwordPolicy: 'strong',
      tokenizer: 'bpe',
    };

    expect(redactor.redact(usage)).toEqual(usage);
  });

  it('finds sensitive keys at any depth, in arrays and in Maps', () => {
    const value = {
      request: { headers: [{ authorization: 'Bearer x' }] },
      map: new Map([['apiKey', 'abc']]),
    };

    const redacted = redactor.redact(value);

    expect(redacted.request.headers[0]).toEqual({ authorization: '[REDACTED:key]' });
    expect(redacted.map.get('apiKey')).toBe('[REDACTED:key]');
  });
});

describe('redactor.redact: built-in objects', () => {
  it('copies an Error with its class, and redacts its message, stack and own fields', () => {
    const error = Object.assign(new TypeError(`card ${CARD} declined`), {
      code: 'E_CARD',
      detail: 'jane@example.com',
    });

    const redacted = redactor.redact(error);

    expect(redacted).not.toBe(error);
    expect(redacted).toBeInstanceOf(TypeError);
    expect(redacted.name).toBe('TypeError');
    expect(redacted.message).toBe('card [REDACTED:card] declined');
    expect(redacted.stack).toContain('card [REDACTED:card] declined');
    expect(redacted.stack).not.toContain(CARD);
    expect(redacted).toMatchObject({ code: 'E_CARD', detail: '[REDACTED:email]' });
    expect(error.message).toBe(`card ${CARD} declined`);
  });

  it("keeps an Error's message out of JSON, as on the original, and its own fields in", () => {
    const error = Object.assign(new Error('secret jane@example.com'), { code: 'E1' });

    expect(JSON.stringify(redactor.redact(error))).toBe(JSON.stringify({ code: 'E1' }));
  });

  it("redacts an Error's cause", () => {
    const error = new Error('outer', { cause: new Error('inner jane@example.com') });

    const redacted = redactor.redact(error);

    expect((redacted.cause as Error).message).toBe('inner [REDACTED:email]');
  });

  it('keeps an AgentError recognisable and its toJSON working', () => {
    const error = new ModelError('MODEL_AUTH', 'key sk-EXAMPLEabcdefghijklmnopqrstuvwxyz rejected', {
      provider: 'openai',
    });

    const redacted = redactor.redact(error);

    expect(AgentError.isInstance(redacted)).toBe(true);
    expect(redacted.toJSON()).toMatchObject({
      code: 'MODEL_AUTH',
      message: 'key [REDACTED:openai-key] rejected',
      details: { provider: 'openai' },
    });
  });

  it('copies Dates, Maps and Sets into new ones of the same kind', () => {
    const date = new Date('2024-01-15T10:30:45.000Z');
    const value = {
      date,
      map: new Map<unknown, unknown>([
        ['jane@example.com', 'ok'],
        [1, 'mail bob@example.com'],
      ]),
      set: new Set(['10.0.0.1', 'plain']),
    };

    const redacted = redactor.redact(value);

    expect(redacted.date).not.toBe(date);
    expect(redacted.date.getTime()).toBe(date.getTime());
    expect([...redacted.map]).toEqual([
      ['[REDACTED:email]', 'ok'],
      [1, 'mail [REDACTED:email]'],
    ]);
    expect([...redacted.set]).toEqual(['[REDACTED:ipv4]', 'plain']);
  });

  it('passes binary data and RegExps through as they are', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const pattern = /jane@example\.com/;

    const redacted = redactor.redact({ bytes, pattern });

    expect(redacted.bytes).toBe(bytes);
    expect(redacted.pattern).toBe(pattern);
  });

  it('uses toJSON() of a class instance that has one', () => {
    const url = new URL('https://example.com/reset?mail=jane@example.com');

    expect(redactor.redact({ url })).toEqual({ url: 'https://example.com/reset?mail=[REDACTED:email]' });
  });

  it('turns other class instances into plain objects of their own fields', () => {
    class Customer {
      constructor(readonly mail: string) {}
      greet(): string {
        return 'hi';
      }
    }

    const redacted = redactor.redact({ customer: new Customer('jane@example.com') });

    expect(redacted.customer).toEqual({ mail: '[REDACTED:email]' });
    expect(Object.getPrototypeOf(redacted.customer)).toBe(Object.prototype);
  });
});
