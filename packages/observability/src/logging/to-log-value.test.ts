import { ModelError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { toLogValue } from './to-log-value.js';

const plain = (value: unknown, stack = false, maxDepth = 10) => toLogValue(value, { stack, maxDepth });

describe('toLogValue', () => {
  it('keeps strings, booleans, finite numbers and null', () => {
    expect(plain({ s: 'x', b: true, n: 1.5, z: null })).toEqual({ s: 'x', b: true, n: 1.5, z: null });
  });

  it('writes NaN, Infinity, bigints and symbols as strings', () => {
    expect(plain([Number.NaN, Number.POSITIVE_INFINITY, 12n, Symbol('tag')])).toEqual([
      'NaN',
      'Infinity',
      '12',
      'Symbol(tag)',
    ]);
  });

  it('drops undefined values and functions from objects', () => {
    expect(plain({ a: undefined, f: () => 1, kept: 1 })).toEqual({ kept: 1 });
  });

  it('serialises an error with name, message, code and own fields, and no stack unless asked', () => {
    const error = Object.assign(new RangeError('too big'), { code: 'E_RANGE', limit: 10 });

    expect(plain(error)).toEqual({ name: 'RangeError', message: 'too big', code: 'E_RANGE', limit: 10 });
    expect(plain(error, true)).toMatchObject({ stack: expect.stringContaining('RangeError: too big') });
  });

  it('serialises the cause chain', () => {
    const error = new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ECONNRESET' }) });

    expect(plain(error)).toEqual({
      name: 'Error',
      message: 'outer',
      cause: { name: 'Error', message: 'inner', code: 'ECONNRESET' },
    });
  });

  it('serialises an AgentError with its code, retryable flag and details', () => {
    const error = new ModelError('MODEL_TIMEOUT', 'slow', { provider: 'openai' });

    expect(plain(error)).toMatchObject({
      name: 'ModelError',
      message: 'slow',
      code: 'MODEL_TIMEOUT',
      retryable: true,
      details: { provider: 'openai' },
    });
  });

  it('writes Dates as ISO strings, Maps as objects, Sets as arrays and binary as a marker', () => {
    const value = {
      at: new Date('2024-01-15T10:30:45.000Z'),
      bad: new Date(Number.NaN),
      map: new Map<unknown, unknown>([
        ['a', 1],
        [2, 'b'],
      ]),
      set: new Set([1, 2]),
      bytes: new Uint8Array(4),
    };

    expect(plain(value)).toEqual({
      at: '2024-01-15T10:30:45.000Z',
      bad: 'Invalid Date',
      map: { a: 1, '2': 'b' },
      set: [1, 2],
      bytes: '[Uint8Array: 4 bytes]',
    });
  });

  it('uses toJSON() where an object has one and own fields otherwise', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }

    expect(plain({ url: new URL('https://example.com/a'), point: new Point(1, 2) })).toEqual({
      url: 'https://example.com/a',
      point: { x: 1, y: 2 },
    });
  });

  it('bounds cycles and depth', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;

    expect(plain(cyclic)).toEqual({ name: 'loop', self: '[CIRCULAR]' });
    expect(plain({ a: { b: { c: 1 } } }, false, 2)).toEqual({ a: { b: '[TRUNCATED:depth]' } });
  });

  it('writes [UNREADABLE] for a getter that throws and for an object that cannot be listed', () => {
    const value = {
      get broken(): string {
        throw new Error('no');
      },
      hostile: new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('no');
          },
        },
      ),
    };

    expect(plain(value)).toEqual({ broken: '[UNREADABLE]', hostile: '[UNREADABLE]' });
  });

  it('keeps a "__proto__" field as data', () => {
    const value = JSON.parse('{"__proto__": {"x": 1}}') as object;

    const result = plain(value) as object;

    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe('{"__proto__":{"x":1}}');
  });
});
