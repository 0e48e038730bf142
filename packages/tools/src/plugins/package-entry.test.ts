import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PluginSandbox } from './__fixtures__/plugin-sandbox.js';
import { packageEntryFile } from './package-entry.js';

describe('packageEntryFile', () => {
  let sandbox: PluginSandbox;
  beforeEach(() => {
    sandbox = new PluginSandbox();
  });
  afterEach(() => sandbox.remove());

  const dir = '/pkg';

  it('takes a string exports as the main entry', () => {
    expect(packageEntryFile(dir, { exports: './dist/index.js' }, '.')).toBe('/pkg/dist/index.js');
  });

  it('follows the import condition and skips require and types, in key order', () => {
    const exports = {
      '.': { types: './index.d.ts', require: './index.cjs', import: './index.mjs', default: './x.js' },
    };

    expect(packageEntryFile(dir, { exports }, '.')).toBe('/pkg/index.mjs');
  });

  it('reads conditions without subpath keys, nested conditions and fallback arrays', () => {
    expect(packageEntryFile(dir, { exports: { node: { import: './node.js' } } }, '.')).toBe('/pkg/node.js');
    expect(packageEntryFile(dir, { exports: { '.': ['not-relative.js', { default: './b.js' }] } }, '.')).toBe(
      '/pkg/b.js',
    );
  });

  it('resolves subpaths, patterns (longest prefix first) and null exclusions', () => {
    const exports = {
      './features/*': './dist/features/*.js',
      './features/private/*': null,
      './features/special/*': './special/*.js',
      './util': { import: './util.js' },
    };

    expect(packageEntryFile(dir, { exports }, './features/a')).toBe('/pkg/dist/features/a.js');
    expect(packageEntryFile(dir, { exports }, './features/special/b')).toBe('/pkg/special/b.js');
    expect(packageEntryFile(dir, { exports }, './features/private/c')).toBeUndefined();
    expect(packageEntryFile(dir, { exports }, './util')).toBe('/pkg/util.js');
    expect(packageEntryFile(dir, { exports }, './other')).toBeUndefined();
  });

  it('returns nothing when only require or types are exported', () => {
    expect(
      packageEntryFile(dir, { exports: { '.': { require: './a.cjs', types: './a.d.ts' } } }, '.'),
    ).toBeUndefined();
    expect(packageEntryFile(dir, { exports: { '.': null } }, '.')).toBeUndefined();
  });

  it('falls back to main, then index.js, trying extensions like Node for packages without exports', () => {
    const pkg = sandbox.path('legacy');
    sandbox.writeFiles(pkg, { 'lib/main.js': '', 'index.js': '', 'folder/index.js': '' });

    expect(packageEntryFile(pkg, { main: 'lib/main' }, '.')).toBe(`${pkg}/lib/main.js`);
    expect(packageEntryFile(pkg, {}, '.')).toBe(`${pkg}/index.js`);
    expect(packageEntryFile(pkg, {}, './folder')).toBe(`${pkg}/folder/index.js`);
    expect(packageEntryFile(pkg, { main: 'missing.js' }, '.')).toBeUndefined();
  });
});
