import { PLUGIN_BRAND } from './plugin-brand.js';
import { assertNoProblems, manifestProblems } from './plugin-manifest.js';
import type { Plugin, PluginSpec } from './plugin-types.js';

/**
 * Defines a tool package: its name, version, the `@agent/core` range it supports and its tools.
 * Export the result as the package's default export (or as `plugin`); users then list the package
 * under `plugins` in their config. The manifest is validated here (every problem listed in one
 * `PLUGIN_INVALID` error) and again by the loader.
 *
 * @example
 * ```ts
 * import { defineTool } from '@agent/core';
 * import { definePlugin } from '@agent/tools';
 * import { z } from 'zod';
 *
 * export default definePlugin({
 *   name: '@acme/agent-tools-weather',
 *   version: '1.0.0',
 *   sdk: '^0.1.0',
 *   tools: (context) => [
 *     defineTool({
 *       name: 'weather',
 *       description: 'Current weather for a city.',
 *       input: z.object({ city: z.string() }),
 *       execute: ({ city }) => fetchWeather(city, String(context.options.apiKey)),
 *     }),
 *   ],
 * });
 * ```
 */
export function definePlugin(spec: PluginSpec): Plugin {
  const label = typeof spec?.name === 'string' && spec.name.length > 0 ? spec.name : '(unnamed plugin)';
  assertNoProblems(manifestProblems(spec), label, 'manifest');
  const plugin: Plugin = {
    [PLUGIN_BRAND]: true,
    name: spec.name,
    version: spec.version,
    sdk: spec.sdk,
    description: spec.description,
    // A copy, so a caller mutating its array later cannot change the plugin.
    tools: typeof spec.tools === 'function' ? spec.tools : Object.freeze([...spec.tools]),
    setup: spec.setup,
  };
  return Object.freeze(plugin);
}
