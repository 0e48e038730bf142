import { ConfigError } from '@agent/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configPath, parseToolOptions } from './tool-options.js';

const schema = z
  .object({ size: z.number().int().positive().default(3), name: z.string().optional() })
  .strict();

describe('parseToolOptions', () => {
  it('returns the parsed options with defaults, treating undefined and null as no options', () => {
    expect(parseToolOptions('demo', schema, { name: 'x' })).toEqual({ size: 3, name: 'x' });
    expect(parseToolOptions('demo', schema, undefined)).toEqual({ size: 3 });
    expect(parseToolOptions('demo', schema, null)).toEqual({ size: 3 });
  });

  it('names the field, its config path and the fix for a bad value', () => {
    const run = () => parseToolOptions('demo', schema, { size: -1 }, { size: 'use a positive whole number' });

    expect(run).toThrow(ConfigError);
    expect(run).toThrow(
      /^Invalid option "size" for built-in tool demo \(tools\.options\.demo\.size\): .+\. Fix: use a positive whole number\.$/,
    );
  });

  it('falls back to general advice for a field without a fix', () => {
    expect(() => parseToolOptions('demo', schema, { name: 5 })).toThrow(
      'Fix: see the tool documentation for valid values',
    );
  });

  it('lists the valid options when an unknown one is given', () => {
    expect(() => parseToolOptions('demo', schema, { colour: 'red' })).toThrow(
      'Unknown option "colour" for built-in tool demo (tools.options.demo.colour). Fix: remove it; valid options are size, name.',
    );
    expect(() => parseToolOptions('bare', z.object({}).strict(), { x: 1 })).toThrow(
      'this tool takes no options',
    );
  });

  it('reports options that are not an object at the tool level', () => {
    expect(() => parseToolOptions('demo', schema, 'big')).toThrow(
      'Invalid options for built-in tool demo (tools.options.demo)',
    );
    expect(() => parseToolOptions('demo', z.string(), 5)).toThrow('(tools.options.demo)');
  });

  it('builds config paths', () => {
    expect(configPath('http_fetch', 'allow')).toBe('tools.options.http_fetch.allow');
    expect(configPath('http_fetch', '')).toBe('tools.options.http_fetch');
  });
});
