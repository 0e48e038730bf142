import { describe, expect, it } from 'vitest';
import { mcpToolName, NAMESPACE_PATTERN } from './tool-name.js';

describe('mcpToolName', () => {
  it('keeps names that are already valid', () => {
    expect(mcpToolName('read_file')).toBe('read_file');
  });

  it('replaces characters providers reject with underscores', () => {
    expect(mcpToolName('files.read/v2 beta')).toBe('files_read_v2_beta');
  });

  it('prefixes the namespace', () => {
    expect(mcpToolName('search', 'web')).toBe('web_search');
  });

  it('cuts the result to 64 characters', () => {
    const name = mcpToolName('x'.repeat(80), 'ns');

    expect(name).toBe(`ns_${'x'.repeat(61)}`);
    expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });

  it('returns undefined for an empty name', () => {
    expect(mcpToolName('')).toBeUndefined();
  });
});

describe('NAMESPACE_PATTERN', () => {
  it('accepts what the config accepts and rejects the rest', () => {
    expect(['fs', 'my-tools', 'A1'].every((value) => NAMESPACE_PATTERN.test(value))).toBe(true);
    expect(['', '1fs', 'a_b', 'x'.repeat(33)].some((value) => NAMESPACE_PATTERN.test(value))).toBe(false);
  });
});
