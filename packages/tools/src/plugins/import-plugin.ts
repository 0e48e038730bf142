import { pathToFileURL } from 'node:url';
import { PluginError } from '@agent/core';
import { errorReason } from './error-reason.js';
import { isPlugin } from './plugin-brand.js';
import type { Plugin } from './plugin-types.js';
import { withDeadline } from './with-deadline.js';

/** Imports a module by file URL and resolves to its namespace. The loader's test seam. */
export type ImportModule = (url: string) => Promise<unknown>;

const TYPESCRIPT_FILE = /\.(?:[mc]?ts|tsx)$/i;

/**
 * Imports JavaScript natively and TypeScript through tsx's `tsImport` (Node 20 cannot import
 * `.ts`). tsx is loaded only when a `.ts` plugin is, and its hooks stay scoped to that import.
 */
export const defaultImportModule: ImportModule = async (url) => {
  if (!TYPESCRIPT_FILE.test(new URL(url).pathname)) return import(url);
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(url, { parentURL: url });
};

/** Imports the plugin module at `file`; an import that throws or hangs becomes `PLUGIN_LOAD_FAILED`. */
export async function importPluginModule(
  file: string,
  source: string,
  importModule: ImportModule,
  timeoutMs: number,
): Promise<unknown> {
  try {
    return await withDeadline(importModule(pathToFileURL(file).href), timeoutMs);
  } catch (error) {
    const reason = errorReason(error);
    const fix = 'fix the error in the plugin (or its dependencies), or remove it from plugins';
    throw new PluginError(
      'PLUGIN_LOAD_FAILED',
      source,
      `Plugin "${source}" failed to import from ${file}: ${reason}. Fix: ${fix}.`,
      { cause: error, details: { fix } },
    );
  }
}

/**
 * The plugin a module exports: its default export, else its `plugin` export. A CommonJS or
 * transpiled module nests them one level under `default`, so that level is searched too.
 */
export function pluginExport(module: unknown, source: string): Plugin {
  const namespace = asRecord(module);
  const nested = asRecord(namespace?.default);
  for (const candidate of [namespace?.default, namespace?.plugin, nested?.default, nested?.plugin]) {
    if (isPlugin(candidate)) return candidate;
  }
  const names = namespace ? Object.keys(namespace) : [];
  const hint =
    nested && 'tools' in nested
      ? ' Its default export looks like a manifest but was not made by definePlugin: wrap it in definePlugin(...).'
      : '';
  const fix = 'export definePlugin(...) as default or as `plugin`';
  throw new PluginError(
    'PLUGIN_INVALID',
    source,
    `Plugin "${source}" has no plugin export (found: ${names.length > 0 ? names.join(', ') : 'no exports'}): ${fix}.${hint}`,
    { details: { fix } },
  );
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}
