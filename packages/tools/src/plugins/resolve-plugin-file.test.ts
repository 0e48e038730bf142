import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PluginSandbox } from './__fixtures__/plugin-sandbox.js';
import { isPathSpecifier, resolvePluginFile } from './resolve-plugin-file.js';

describe('resolvePluginFile', () => {
  let sandbox: PluginSandbox;
  beforeEach(() => {
    sandbox = new PluginSandbox();
  });
  afterEach(() => sandbox.remove());

  it('tells paths from package names', () => {
    expect(['./a.js', '../a.js', '/abs/a.js', 'file:///a.js', '.', '..'].map(isPathSpecifier)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['@acme/x', 'agent-tools-x', '.hidden-package'].map(isPathSpecifier)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('resolves absolute paths and file URLs as they are', () => {
    sandbox.writeFiles(sandbox.root, { 'plugin.js': '' });
    const file = sandbox.path('plugin.js');

    expect(resolvePluginFile(file, '/elsewhere')).toEqual({ file, kind: 'path' });
    expect(resolvePluginFile(pathToFileURL(file).href, '/elsewhere')).toEqual({ file, kind: 'path' });
  });

  it('resolves a folder through its package.json, and refuses a folder without one', () => {
    sandbox.writeFiles(sandbox.path('local'), {
      'package.json': JSON.stringify({ exports: { import: './main.js' } }),
      'main.js': '',
    });
    sandbox.writeFiles(sandbox.path('bare'), { 'readme.md': '' });

    expect(resolvePluginFile('./local', sandbox.root).file).toBe(sandbox.path('local/main.js'));
    expect(() => resolvePluginFile('./bare', sandbox.root)).toThrow(
      /is a folder without an importable entry/,
    );
  });

  it('refuses what is neither a path nor a package name', () => {
    expect(() => resolvePluginFile('not a package!', sandbox.root)).toThrow(
      'Plugin "not a package!" is neither a path nor a package name: write a package name (@acme/agent-tools-weather) or a path starting with ./.',
    );
  });

  it('refuses a package with an unreadable package.json or a missing entry file', () => {
    sandbox.writeFiles(sandbox.path('node_modules/broken-json'), { 'package.json': '{ nope' });
    sandbox.writePackage('unbuilt', {});

    expect(() => resolvePluginFile('broken-json', sandbox.root)).toThrow(/has an unreadable package.json/);
    expect(() => resolvePluginFile('unbuilt', sandbox.root)).toThrow(
      /points to .*node_modules\/unbuilt\/index\.js, which does not exist: reinstall the package or build it/,
    );
  });
});
