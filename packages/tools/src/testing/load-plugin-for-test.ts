import type { AnyTool, Logger } from '@agent/core';
import { noopLogger } from '@agent/core';
import { ToolCatalog } from '../catalog/tool-catalog.js';
import { activatePlugin } from '../plugins/activate-plugin.js';
import { pluginExport } from '../plugins/import-plugin.js';
import { namespaceTools } from '../plugins/namespace-tools.js';
import { isPlugin } from '../plugins/plugin-brand.js';
import type { Plugin } from '../plugins/plugin-types.js';
import { installedSdkVersion } from '../plugins/sdk-compatibility.js';

/** Options of {@link loadPluginForTest}: what a host's config entry and environment would give. */
export interface LoadPluginForTestOptions {
  /** The config entry's `options`. @default {} */
  options?: Record<string, unknown>;
  /** `context.env`. @default {} (hermetic: the developer's environment does not leak into tests) */
  env?: Record<string, string | undefined>;
  /** Pretend this `@agent/core` version is installed, to test the `sdk` range. @default the installed one */
  sdkVersion?: string;
  /** `context.cwd`. @default process.cwd() */
  cwd?: string;
  /** `context.logger`. @default noopLogger */
  logger?: Logger;
  /** Prefix the tools as a config entry's `namespace` would. */
  namespace?: string;
  /** Time `setup` and `tools(context)` each get. @default 30_000 */
  timeoutMs?: number;
}

/** A plugin loaded for a test. */
export interface PluginUnderTest {
  plugin: Plugin;
  tools: readonly AnyTool[];
  /** The tool a reference names (`weather`, `weather@^1`); throws `TOOL_NOT_FOUND` with close names. */
  tool(reference: string): AnyTool;
  /** Runs the plugin's dispose function; call it in `afterEach`. */
  close(): Promise<void>;
}

/**
 * Loads a plugin exactly as the host's loader does after importing it: validates the manifest and
 * the `sdk` range, runs `setup`, resolves `tools(context)`, applies the namespace. Pass the
 * plugin or the module that exports it.
 *
 * @example
 * ```ts
 * import plugin from '../src/index.js';
 * const loaded = await loadPluginForTest(plugin, { options: { units: 'metric' } });
 * const output = await callTool(loaded.tool('weather'), { city: 'Oslo' });
 * await loaded.close();
 * ```
 */
export async function loadPluginForTest(
  pluginOrModule: unknown,
  options: LoadPluginForTestOptions = {},
): Promise<PluginUnderTest> {
  const plugin = isPlugin(pluginOrModule)
    ? pluginOrModule
    : pluginExport(pluginOrModule, 'plugin under test');
  const source = typeof plugin.name === 'string' ? plugin.name : 'plugin under test';
  const logger = options.logger ?? noopLogger;
  const activated = await activatePlugin(plugin, {
    source,
    options: Object.freeze({ ...options.options }),
    logger,
    env: Object.freeze({ ...options.env }),
    cwd: options.cwd ?? process.cwd(),
    sdkVersion: options.sdkVersion ?? installedSdkVersion(),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  let tools = activated.tools;
  let catalog: ToolCatalog;
  try {
    if (options.namespace !== undefined) tools = namespaceTools(tools, options.namespace, source);
    catalog = new ToolCatalog([], { logger });
    for (const tool of tools) catalog.add(tool, `plugin ${source}`);
  } catch (error) {
    await activated.dispose();
    throw error;
  }
  return { plugin, tools, tool: (reference) => catalog.resolve(reference), close: activated.dispose };
}
