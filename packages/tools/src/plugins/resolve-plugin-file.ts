import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PluginError } from '@agent/core';
import { type PackageManifest, packageEntryFile } from './package-entry.js';

/** Where a plugin's code is: the file to import, found from a path or a package name. */
export interface ResolvedPluginFile {
  /** Absolute path of the module to import. */
  file: string;
  kind: 'path' | 'package';
}

const PACKAGE_SPECIFIER = /^((?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*)(\/.*)?$/i;

/** Whether the config names a file (`./`, `../`, absolute, `file:`) rather than a package. */
export function isPathSpecifier(specifier: string): boolean {
  return /^\.\.?(?:[/\\]|$)/.test(specifier) || isAbsolute(specifier) || specifier.startsWith('file:');
}

/**
 * Finds the module a `plugins` entry names. Paths resolve against `cwd` (the config's folder);
 * package names resolve FROM `cwd` (walking up `node_modules` folders, as Node does), so a
 * package installed next to the config is found whoever runs the host.
 */
export function resolvePluginFile(specifier: string, cwd: string): ResolvedPluginFile {
  if (isPathSpecifier(specifier)) return { file: resolvePath(specifier, cwd), kind: 'path' };
  return { file: resolvePackage(specifier, cwd), kind: 'package' };
}

function resolvePath(specifier: string, cwd: string): string {
  const path = specifier.startsWith('file:') ? fileURLToPath(specifier) : resolve(cwd, specifier);
  if (!existsSync(path)) {
    throw failed(
      specifier,
      `was not found: ${path} does not exist`,
      `fix the path in plugins (relative paths start from the config's folder, ${cwd})`,
    );
  }
  if (!statSync(path).isDirectory()) return path;
  const manifest = readManifest(join(path, 'package.json'), specifier);
  const entry = manifest && packageEntryFile(path, manifest, '.');
  if (!entry) {
    throw failed(
      specifier,
      `is a folder without an importable entry (${path})`,
      'point to the plugin file itself (e.g. ./tools/index.js), or give the folder a package.json with "exports"',
    );
  }
  return checkedEntry(entry, specifier);
}

function resolvePackage(specifier: string, cwd: string): string {
  const match = PACKAGE_SPECIFIER.exec(specifier);
  if (!match?.[1]) {
    throw failed(
      specifier,
      'is neither a path nor a package name',
      'write a package name (@acme/agent-tools-weather) or a path starting with ./',
    );
  }
  const name = match[1];
  const subpath = `.${match[2] ?? ''}`;
  for (let directory = resolve(cwd); ; directory = dirname(directory)) {
    const packageDir = join(directory, 'node_modules', name);
    const manifest = readManifest(join(packageDir, 'package.json'), specifier);
    if (manifest) {
      const entry = packageEntryFile(packageDir, manifest, subpath);
      if (!entry) {
        throw failed(
          specifier,
          `cannot be imported: ${name} (${packageDir}) exports nothing for "${subpath}" under the "import" or "default" condition`,
          'check that it is an ESM tool package (its package.json "exports"), reinstall it, or report it to its author',
        );
      }
      return checkedEntry(entry, specifier);
    }
    if (dirname(directory) === directory) break;
  }
  throw failed(specifier, 'is not installed', `run pnpm add ${name} in ${cwd}`);
}

function readManifest(file: string, specifier: string): PackageManifest | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageManifest;
  } catch (error) {
    throw failed(specifier, `has an unreadable package.json (${file})`, 'reinstall the package', error);
  }
}

function checkedEntry(entry: string, specifier: string): string {
  if (existsSync(entry)) return entry;
  throw failed(
    specifier,
    `points to ${entry}, which does not exist`,
    'reinstall the package or build it (its "exports" name a file that is missing)',
  );
}

function failed(specifier: string, problem: string, fix: string, cause?: unknown): PluginError {
  return new PluginError('PLUGIN_LOAD_FAILED', specifier, `Plugin "${specifier}" ${problem}: ${fix}.`, {
    cause,
    details: { fix },
  });
}
