import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isStrictCompatible } from './strict-schema.js';

const closed = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

describe('isStrictCompatible', () => {
  it('rejects a root that is not an object', () => {
    expect(isStrictCompatible({ type: 'array', items: { type: 'string' } })).toBe(false);
  });

  it('rejects an object without additionalProperties false', () => {
    expect(
      isStrictCompatible({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }),
    ).toBe(false);
  });

  it('rejects an object whose properties are not all required', () => {
    const schema = { ...closed({ a: { type: 'string' }, b: { type: 'string' } }), required: ['a'] };

    expect(isStrictCompatible(schema)).toBe(false);
  });

  it('rejects an open object nested in a property', () => {
    const schema = closed({ inner: { type: 'object', properties: { x: { type: 'number' } } } });

    expect(isStrictCompatible(schema)).toBe(false);
  });

  it('rejects an open object in array items', () => {
    const schema = closed({ list: { type: 'array', items: { type: 'object', properties: {} } } });

    expect(isStrictCompatible(schema)).toBe(false);
  });

  it('rejects an open object inside anyOf', () => {
    const schema = closed({ value: { anyOf: [{ type: 'string' }, { type: 'object', properties: {} }] } });

    expect(isStrictCompatible(schema)).toBe(false);
  });

  it('rejects an open object in $defs', () => {
    const schema = { ...closed({ a: { $ref: '#/$defs/Thing' } }), $defs: { Thing: { type: 'object' } } };

    expect(isStrictCompatible(schema)).toBe(false);
  });

  it('rejects allOf, which strict mode does not support', () => {
    const schema = closed({ a: { allOf: [{ type: 'string' }] } });

    expect(isStrictCompatible(schema)).toBe(false);
  });

  it('rejects a false schema', () => {
    expect(isStrictCompatible(closed({ a: false }))).toBe(false);
  });

  it('accepts a closed object with every property required', () => {
    expect(isStrictCompatible(closed({ a: { type: 'string' }, b: { type: ['number', 'null'] } }))).toBe(true);
  });

  it('accepts closed objects nested in properties, items, anyOf and $defs', () => {
    const schema = {
      ...closed({
        inner: closed({ x: { type: 'number' } }),
        list: { type: 'array', items: closed({ y: { type: 'string' } }) },
        tuple: { type: 'array', items: [{ type: 'string' }] },
        either: { anyOf: [{ type: 'string' }, closed({})] },
        ref: { $ref: '#/$defs/Thing' },
      }),
      $defs: { Thing: closed({ z: { type: 'boolean' } }) },
    };

    expect(isStrictCompatible(schema)).toBe(true);
  });

  it('visits a schema that refers to itself only once', () => {
    const node: Record<string, unknown> = closed({});
    (node.properties as Record<string, unknown>).self = node;
    node.required = ['self'];

    expect(isStrictCompatible(node)).toBe(true);
  });

  it('accepts what zod produces for an object of required fields', () => {
    const schema = z.toJSONSchema(z.object({ city: z.string(), days: z.number() }));

    expect(isStrictCompatible(schema)).toBe(true);
  });

  it('rejects what zod produces for an object with an optional field', () => {
    const schema = z.toJSONSchema(z.object({ city: z.string(), days: z.number().optional() }));

    expect(isStrictCompatible(schema)).toBe(false);
  });
});
