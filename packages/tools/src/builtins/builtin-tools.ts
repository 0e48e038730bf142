import { isAbsolute, resolve } from 'node:path';
import { type AnyTool, type Clock, ConfigError } from '@agent/core';
import { z } from 'zod';
import { calculator } from './calculator.js';
import { currentTime } from './current-time.js';
import { httpFetch } from './http-fetch.js';
import { HTTP_FETCH_OPTION_FIXES, httpFetchOptionsSchema } from './http-fetch-options.js';
import { jsonQuery } from './json-query.js';
import { listFiles } from './list-files.js';
import { readFile } from './read-file.js';
import { configPath, parseToolOptions } from './tool-options.js';

/** The names of the built-in tools, as written in `tools.builtins`. */
export const BUILTIN_TOOL_NAMES = [
  'http_fetch',
  'calculator',
  'current_time',
  'json_query',
  'read_file',
  'list_files',
] as const;

/** A name from {@link BUILTIN_TOOL_NAMES}. */
export type BuiltinToolName = (typeof BUILTIN_TOOL_NAMES)[number];

/** What built-in tools need from their surroundings, besides their options. */
export interface BuiltinToolEnvironment {
  /** Directory a relative `root` resolves against (the config file's directory). @default process.cwd() */
  cwd?: string;
  /** Clock of `current_time`. @default systemClock */
  clock?: Clock;
}

type Factory = (options: Record<string, unknown>, environment: BuiltinToolEnvironment) => AnyTool;

// Options without which a tool cannot be safe: there is no sensible default allowlist or root.
const REQUIRED: Partial<Record<BuiltinToolName, { field: string; fix: string }>> = {
  http_fetch: { field: 'allow', fix: 'list the hosts it may call, e.g. allow: ["api.github.com"]' },
  read_file: { field: 'root', fix: 'set the directory it may read, e.g. root: "./data"' },
  list_files: { field: 'root', fix: 'set the directory it may list, e.g. root: "./data"' },
};

const withRoot = (options: Record<string, unknown>, environment: BuiltinToolEnvironment) => {
  const root = options.root;
  if (typeof root !== 'string' || isAbsolute(root)) return options;
  return { ...options, root: resolve(environment.cwd ?? process.cwd(), root) };
};

const FACTORIES: Record<BuiltinToolName, Factory> = {
  // Parsed with the JSON-only schema first: the test seams (resolve, dialOverride) cannot come
  // from a config file, and an unknown key there is a typo to report.
  http_fetch: (options) =>
    httpFetch(parseToolOptions('http_fetch', httpFetchOptionsSchema, options, HTTP_FETCH_OPTION_FIXES)),
  calculator: (options) => calculator(options),
  current_time: (options, environment) => {
    parseToolOptions('current_time', z.object({}).strict(), options);
    return currentTime(environment.clock ? { clock: environment.clock } : {});
  },
  json_query: (options) => jsonQuery(options),
  read_file: (options, environment) => readFile(withRoot(options, environment) as { root: string }),
  list_files: (options, environment) => listFiles(withRoot(options, environment) as { root: string }),
};

/** True when `name` is a built-in tool. */
export function isBuiltinToolName(name: string): name is BuiltinToolName {
  return (BUILTIN_TOOL_NAMES as readonly string[]).includes(name);
}

/**
 * Builds one built-in tool from the config's `tools.options` record (keyed by tool name). Options
 * are validated with zod; a bad, unknown or missing one is a `ConfigError` naming
 * `tools.options.<tool>.<field>` and the fix. A relative `root` resolves against `environment.cwd`.
 *
 * @example
 * ```ts
 * const fetchTool = createBuiltinTool('http_fetch', { http_fetch: { allow: ['api.github.com'] } });
 * const files = createBuiltinTool('read_file', config.tools.options, { cwd: dirname(configPath) });
 * ```
 */
export function createBuiltinTool(
  name: string,
  toolOptions: Readonly<Record<string, unknown>> = {},
  environment: BuiltinToolEnvironment = {},
): AnyTool {
  if (!isBuiltinToolName(name)) {
    throw new ConfigError(
      `Unknown built-in tool "${name}" in tools.builtins. Fix: use one of ${BUILTIN_TOOL_NAMES.join(', ')}, or load it from a plugin.`,
    );
  }
  const raw = Object.hasOwn(toolOptions, name) ? toolOptions[name] : undefined;
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new ConfigError(
      `${configPath(name, '')} must be an object of options, got ${Array.isArray(raw) ? 'an array' : typeof raw}. Fix: write it as a mapping, e.g. ${configPath(name, '')}: { ... }.`,
    );
  }
  const options = (raw ?? {}) as Record<string, unknown>;
  const required = REQUIRED[name];
  if (required && options[required.field] === undefined) {
    throw new ConfigError(
      `Built-in tool ${name} is enabled but ${configPath(name, required.field)} is not set. Fix: ${required.fix}.`,
    );
  }
  return FACTORIES[name](options, environment);
}

/**
 * Builds the built-in tools a config enables (`tools.builtins`), in order, each from its entry in
 * `tools.options`. Throws on the first bad name or option, and on a name listed twice.
 *
 * @example
 * ```ts
 * const tools = builtinTools(config.tools.builtins, config.tools.options, { cwd: configDirectory });
 * const agent = new Agent({ name: 'assistant', model, tools });
 * ```
 */
export function builtinTools(
  names: readonly string[],
  toolOptions: Readonly<Record<string, unknown>> = {},
  environment: BuiltinToolEnvironment = {},
): AnyTool[] {
  const seen = new Set<string>();
  return names.map((name) => {
    if (seen.has(name)) {
      throw new ConfigError(`Built-in tool "${name}" is listed twice in tools.builtins. Fix: list it once.`);
    }
    seen.add(name);
    return createBuiltinTool(name, toolOptions, environment);
  });
}
