import type { AgentError, AnyTool, Logger } from '@agent/core';
import type { ImportModule } from './import-plugin.js';

/** One `plugins` entry: a package name or path, or `{ from, namespace?, options? }` (core's `PluginEntry`). */
export type PluginEntryInput =
  | string
  | { from: string; namespace?: string | undefined; options?: Record<string, unknown> | undefined };

/** Options of {@link loadPlugins}. */
export interface LoadPluginsOptions {
  /** The config file's folder: paths resolve against it, packages are looked up from it. */
  cwd: string;
  /** `strict`: any failure throws one error listing all; `lenient`: log failures, load the rest. */
  mode: 'strict' | 'lenient';
  logger: Logger;
  /** Given to plugins as `context.env`. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** The `@agent/core` version to check `sdk` ranges against. @default the installed version */
  sdkVersion?: string;
  /**
   * Tool names already taken (built-ins, tools registered in code). `name` reserves every version
   * of the name; `name@version` only that version.
   */
  builtinNames?: Iterable<string>;
  /** Imports a module by file URL. @default native `import()`, tsx's `tsImport` for `.ts` */
  importModule?: ImportModule;
  /** Time each of a plugin's import, `setup` and `tools(context)` gets, in ms. @default 30_000 */
  timeoutMs?: number;
  /** Named in config issues of the strict-mode error. @default `cwd` */
  configFile?: string;
}

/** A plugin that loaded: its manifest facts and its (namespaced) tools. */
export interface LoadedPlugin {
  /** The manifest name, e.g. `@acme/agent-tools-weather`. */
  name: string;
  version: string;
  description: string | undefined;
  /** The plugin as the config names it (package name or path). */
  source: string;
  /** The entry's namespace, when set. */
  namespace: string | undefined;
  /** The module file that was imported. */
  file: string;
  /** Its tools, already prefixed with the namespace. */
  tools: readonly AnyTool[];
}

/** A plugin that did not load (lenient mode), with the typed error saying why and what to do. */
export interface PluginFailure {
  /** The plugin as the config names it. */
  plugin: string;
  /** A `PluginError` (`PLUGIN_*`), or a `ConfigError` for a bad entry or a tool-name clash. */
  error: AgentError;
}

/** What {@link loadPlugins} returns. */
export interface LoadPluginsResult {
  plugins: LoadedPlugin[];
  failures: PluginFailure[];
  /** Every loaded plugin's tools, in config order. */
  tools: AnyTool[];
  /** Runs every plugin's dispose function, last loaded first; failures are logged. Idempotent. */
  close(): Promise<void>;
}
