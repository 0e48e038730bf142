import { type AgentError, type AnyTool, type Logger, PluginError } from '@agent/core';
import { errorReason } from './error-reason.js';
import { assertNoProblems, manifestProblems, toolListProblems } from './plugin-manifest.js';
import type { Plugin, PluginContext, PluginDispose } from './plugin-types.js';
import { assertSdkCompatible } from './sdk-compatibility.js';
import { DeadlineExceeded, withDeadline } from './with-deadline.js';

/** Default time a plugin's `setup` and `tools(context)` each get before loading fails. */
export const DEFAULT_PLUGIN_TIMEOUT_MS = 30_000;

/** What activating one plugin needs: its config entry's options and the host's environment. */
export interface ActivationOptions {
  /** The plugin as the config names it (package name or path); used in every error. */
  source: string;
  options: Readonly<Record<string, unknown>>;
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  sdkVersion: string;
  /** @default 30_000 */
  timeoutMs?: number;
}

/** A plugin whose setup ran and whose tools are known. */
export interface ActivatedPlugin {
  plugin: Plugin;
  tools: readonly AnyTool[];
  /** Runs the dispose function `setup` returned, at most once. */
  dispose(): Promise<void>;
}

/**
 * Validates a branded plugin (manifest and SDK range), runs `setup`, then `tools(context)`.
 * Shared by `loadPlugins` and the test kit so plugin authors test exactly what hosts run.
 * Everything is re-validated: the plugin may come from another copy of `@agent/tools`.
 */
export async function activatePlugin(plugin: Plugin, options: ActivationOptions): Promise<ActivatedPlugin> {
  const { source, sdkVersion } = options;
  assertNoProblems(manifestProblems(plugin), source, 'manifest');
  assertSdkCompatible(plugin, source, sdkVersion);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PLUGIN_TIMEOUT_MS;
  const context: PluginContext = Object.freeze({
    options: options.options,
    logger: options.logger,
    env: options.env,
    cwd: options.cwd,
    sdkVersion,
  });

  const disposeSetup = await runSetup(plugin, context, timeoutMs, source);
  let disposed = false;
  const dispose = async (): Promise<void> => {
    if (disposed || !disposeSetup) return;
    disposed = true;
    await disposeSetup();
  };
  try {
    const tools = await resolveTools(plugin, context, timeoutMs, source);
    return { plugin, tools, dispose };
  } catch (error) {
    // Whatever setup opened must not outlive a plugin that is not used.
    await dispose().catch(() => {});
    throw error;
  }
}

async function runSetup(
  plugin: Plugin,
  context: PluginContext,
  timeoutMs: number,
  source: string,
): Promise<PluginDispose | undefined> {
  if (!plugin.setup) return undefined;
  let result: unknown;
  try {
    result = await withDeadline(
      Promise.resolve().then(() => plugin.setup?.(context)),
      timeoutMs,
      (late) => {
        if (typeof late === 'function')
          void Promise.resolve()
            .then(late as PluginDispose)
            .catch(() => {});
      },
    );
  } catch (error) {
    throw phaseError(source, 'setup', error);
  }
  if (result === undefined || typeof result === 'function') return result as PluginDispose | undefined;
  throw new PluginError(
    'PLUGIN_INVALID',
    source,
    `Plugin "${source}" setup returned ${typeof result}: return a dispose function or nothing. Fix the plugin's setup, or report it to its author.`,
  );
}

async function resolveTools(
  plugin: Plugin,
  context: PluginContext,
  timeoutMs: number,
  source: string,
): Promise<readonly AnyTool[]> {
  const declared = plugin.tools;
  if (typeof declared !== 'function') return declared;
  let tools: unknown;
  try {
    tools = await withDeadline(
      Promise.resolve().then(() => declared(context)),
      timeoutMs,
    );
  } catch (error) {
    throw phaseError(source, 'tools(context)', error);
  }
  assertNoProblems(toolListProblems(tools, 'tools(context)'), source, 'tool list');
  return tools as readonly AnyTool[];
}

function phaseError(source: string, phase: string, error: unknown): AgentError {
  const reason = errorReason(error);
  const fix =
    error instanceof DeadlineExceeded
      ? 'check what it waits for (a network call, a missing service), or raise the loader timeout'
      : "check the plugin's options in config (plugins[].options) and the environment variables it needs";
  return new PluginError(
    'PLUGIN_LOAD_FAILED',
    source,
    `Plugin "${source}" ${phase} failed: ${reason}. Fix: ${fix}.`,
    {
      cause: error,
      details: { fix },
    },
  );
}
