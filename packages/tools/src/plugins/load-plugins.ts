import { AgentError, ConfigError, PluginError } from '@agent/core';
import { activatePlugin, DEFAULT_PLUGIN_TIMEOUT_MS } from './activate-plugin.js';
import { closer, disposeQuietly } from './dispose-plugins.js';
import { errorReason } from './error-reason.js';
import { defaultImportModule, importPluginModule, pluginExport } from './import-plugin.js';
import type {
  LoadedPlugin,
  LoadPluginsOptions,
  LoadPluginsResult,
  PluginEntryInput,
  PluginFailure,
} from './load-plugins-types.js';
import { namespaceTools } from './namespace-tools.js';
import { resolvePluginFile } from './resolve-plugin-file.js';
import { installedSdkVersion } from './sdk-compatibility.js';
import { strictModeError } from './strict-mode-error.js';
import { ToolClashes } from './tool-clashes.js';

// The same rule as core's config schema: tools become `<namespace>_<tool>`.
const NAMESPACE = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;

interface Entry {
  index: number;
  source: string;
  namespace: string | undefined;
  options: Record<string, unknown>;
}

type Attempt =
  | { ok: true; entry: Entry; loaded: LoadedPlugin; dispose: () => Promise<void> }
  | { ok: false; entry: Entry; failure: PluginFailure };

/**
 * Loads the config's `plugins`: resolves each package or path, imports it, validates its manifest
 * and SDK range, runs `setup` and `tools(context)`, applies namespaces and checks for tool-name
 * clashes. Every plugin is attempted before failures are reported: strict mode throws one
 * `ConfigError` listing all of them (after disposing what loaded); lenient mode logs each with
 * `logger.error` and returns the rest.
 *
 * @example
 * ```ts
 * const { tools, close } = await loadPlugins(config.plugins, {
 *   cwd: dirname(configPath),
 *   mode: config.pluginMode,
 *   logger,
 *   builtinNames: builtins.map((tool) => tool.name),
 * });
 * const catalog = new ToolCatalog(tools);
 * // on shutdown:
 * await close();
 * ```
 */
export async function loadPlugins(
  entries: readonly PluginEntryInput[],
  options: LoadPluginsOptions,
): Promise<LoadPluginsResult> {
  const attempts = await Promise.all(entries.map((entry, index) => attempt(toEntry(entry, index), options)));
  const clashes = new ToolClashes(options.builtinNames ?? [], options.configFile ?? options.cwd);
  const loaded: Extract<Attempt, { ok: true }>[] = [];
  const failures: { entry: Entry; failure: PluginFailure }[] = [];
  for (const result of attempts) {
    if (!result.ok) {
      failures.push(result);
      continue;
    }
    const clash = clashes.claim({
      index: result.entry.index,
      source: result.entry.source,
      tools: result.loaded.tools,
    });
    if (clash === undefined) {
      loaded.push(result);
      continue;
    }
    await disposeQuietly(result.dispose, result.entry.source, options.logger);
    failures.push({ entry: result.entry, failure: { plugin: result.entry.source, error: clash } });
  }
  const close = closer(
    loaded.map((result) => ({ source: result.entry.source, dispose: result.dispose })),
    options.logger,
  );
  if (failures.length > 0 && options.mode === 'strict') {
    await close();
    const indexed = failures.map(({ entry, failure }) => ({ index: entry.index, failure }));
    throw strictModeError(indexed, options.configFile ?? options.cwd);
  }
  for (const { failure } of failures) {
    options.logger.error(`Plugin "${failure.plugin}" was not loaded: ${failure.error.message}`, {
      plugin: failure.plugin,
      code: failure.error.code,
    });
  }
  const plugins = loaded.map((result) => result.loaded);
  return {
    plugins,
    failures: failures.map(({ failure }) => failure),
    tools: plugins.flatMap((plugin) => plugin.tools),
    close,
  };
}

function toEntry(entry: PluginEntryInput, index: number): Entry {
  if (typeof entry === 'string') return { index, source: entry, namespace: undefined, options: {} };
  return { index, source: entry?.from, namespace: entry?.namespace, options: entry?.options ?? {} };
}

async function attempt(entry: Entry, options: LoadPluginsOptions): Promise<Attempt> {
  const { source, namespace } = entry;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PLUGIN_TIMEOUT_MS;
  try {
    // Config files are validated by core's schema; this guards callers passing entries from code.
    if (typeof source !== 'string' || source.trim() === '') {
      const fix = 'write a package name or a path, or { from, namespace?, options? }';
      throw new ConfigError(`plugins[${entry.index}] names no plugin: ${fix}.`, { details: { fix } });
    }
    if (namespace !== undefined && !NAMESPACE.test(namespace)) {
      const fix =
        'use 1-32 letters, digits and "-", starting with a letter (tools become <namespace>_<tool>)';
      throw new ConfigError(`Plugin "${source}" has an invalid namespace "${namespace}": ${fix}.`, {
        details: { plugin: source, fix },
      });
    }
    const { file } = resolvePluginFile(source, options.cwd);
    const module = await importPluginModule(
      file,
      source,
      options.importModule ?? defaultImportModule,
      timeoutMs,
    );
    const activated = await activatePlugin(pluginExport(module, source), {
      source,
      options: Object.freeze({ ...entry.options }),
      logger: options.logger.child({ plugin: source }),
      env: options.env ?? process.env,
      cwd: options.cwd,
      sdkVersion: options.sdkVersion ?? installedSdkVersion(),
      timeoutMs,
    });
    let tools = activated.tools;
    try {
      if (namespace !== undefined) tools = namespaceTools(tools, namespace, source);
    } catch (error) {
      await disposeQuietly(activated.dispose, source, options.logger);
      throw error;
    }
    const { plugin } = activated;
    const loaded = {
      name: plugin.name,
      version: plugin.version,
      description: plugin.description,
      source,
      namespace,
      file,
      tools,
    };
    return { ok: true, entry, loaded, dispose: activated.dispose };
  } catch (error) {
    const plugin = typeof source === 'string' ? source : `plugins[${entry.index}]`;
    return { ok: false, entry, failure: { plugin, error: asAgentError(error, plugin) } };
  }
}

function asAgentError(error: unknown, source: string): AgentError {
  if (AgentError.isInstance(error)) return error;
  const reason = errorReason(error);
  return new PluginError('PLUGIN_LOAD_FAILED', source, `Plugin "${source}" failed to load: ${reason}.`, {
    cause: error,
  });
}
