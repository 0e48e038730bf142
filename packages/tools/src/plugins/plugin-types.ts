import type { AnyTool, Logger } from '@agent/core';
import type { PLUGIN_BRAND } from './plugin-brand.js';

/** What a plugin's `setup` and `tools(context)` receive when the plugin is loaded. */
export interface PluginContext {
  /** The config entry's `options` (`plugins: [{ from, options }]`); `{}` when there are none. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The host's logger, with the plugin's name attached to every line. */
  readonly logger: Logger;
  /** Environment variables (the host's `process.env` unless the loader was given others). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The folder of the config file; resolve the plugin's relative paths against it. */
  readonly cwd: string;
  /** The installed `@agent/core` version the plugin runs against. */
  readonly sdkVersion: string;
}

/** Undoes what `setup` did (closes connections, stops timers); called once when the host closes. */
export type PluginDispose = () => void | Promise<void>;

/** A plugin's tools: a list, or a function of the context for tools that need options. */
export type PluginTools =
  | readonly AnyTool[]
  | ((context: PluginContext) => readonly AnyTool[] | Promise<readonly AnyTool[]>);

/** What {@link definePlugin} takes: the manifest of a tool package. */
export interface PluginSpec {
  /** The npm package name (`@acme/agent-tools-weather`, `agent-tools-weather`) or a local name. */
  name: string;
  /** The plugin's own semver version, e.g. `1.2.0`. */
  version: string;
  /** The semver range of `@agent/core` the plugin works with, e.g. `^0.1.0`. */
  sdk: string;
  /** One line about what the tools do, for hosts that list plugins. */
  description?: string;
  /** The tools, or `(context) => tools` when they depend on options or environment. */
  tools: PluginTools;
  /**
   * Runs once when the plugin is loaded, before `tools(context)`. May return a dispose function,
   * called when the host closes (or when loading fails after setup).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: `async setup() { ... }` returns Promise<void>; `undefined` would reject it.
  setup?(context: PluginContext): void | PluginDispose | Promise<void | PluginDispose>;
}

/** A plugin, as returned by {@link definePlugin}: the frozen manifest with the plugin brand. */
export interface Plugin extends Readonly<PluginSpec> {
  readonly [PLUGIN_BRAND]: true;
}
