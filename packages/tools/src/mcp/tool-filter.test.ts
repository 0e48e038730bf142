import { describe, expect, it } from 'vitest';
import { createToolFilter, globToRegExp } from './tool-filter.js';

describe('createToolFilter', () => {
  it('includes every tool when no allow list is given', () => {
    const filter = createToolFilter();

    expect(filter.includes('anything')).toBe(true);
  });

  it('includes no tool when the allow list is empty', () => {
    const filter = createToolFilter([]);

    expect(filter.includes('read_file')).toBe(false);
  });

  it('matches * and ? globs against the whole name', () => {
    const filter = createToolFilter(['read_*', 'ge?']);

    expect(['read_file', 'read_', 'get', 'set', 'xread_file', 'gets'].filter(filter.includes)).toEqual([
      'read_file',
      'read_',
      'get',
    ]);
  });

  it('lets deny win over allow', () => {
    const filter = createToolFilter(['*'], ['write_*', 'delete']);

    expect(['read', 'write_file', 'delete', 'deleted'].filter(filter.includes)).toEqual(['read', 'deleted']);
  });

  it('treats regular-expression characters literally', () => {
    const filter = createToolFilter(['files.read', 'a+b', '(x)']);

    expect(['files.read', 'filesXread', 'a+b', 'aab', '(x)', 'x'].filter(filter.includes)).toEqual([
      'files.read',
      'a+b',
      '(x)',
    ]);
  });

  it('reports allow patterns that match no tool', () => {
    const filter = createToolFilter(['read_*', 'wirte_*']);

    expect(filter.unusedAllowPatterns(['read_file', 'write_file'])).toEqual(['wirte_*']);
    expect(createToolFilter().unusedAllowPatterns(['x'])).toEqual([]);
  });
});

describe('globToRegExp', () => {
  it('lets * cross a newline, so a deny pattern cannot be dodged', () => {
    expect(globToRegExp('rm*').test('rm\n-rf')).toBe(true);
  });
});
