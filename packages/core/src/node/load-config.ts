import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import type { z } from 'zod';
import { fixForIssue, isMissing, messageForIssue } from '../config/config-fixes.js';
import { type AgentConfig, agentConfigSchema } from '../config/config-schema.js';
import { ConfigError, type ConfigIssue } from '../errors/errors.js';
import {
  type ConfigDocument,
  formatConfigIssues,
  formatPath,
  locate,
  mergeConfigDocuments,
  parseConfigDocument,
} from './config-document.js';
import { loadDotenv, parseDotenv } from './dotenv.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Variables for `${VAR}` placeholders and `AGENT_ENV`; they win over `.env`. @default process.env */
  env?: Record<string, string | undefined>;
  /**
   * Applies the overlay `<name>.<environment>.yaml` next to the config file, which must then exist.
   * @default env.AGENT_ENV (from `env`, else from `.env`)
   */
  environment?: string;
  /**
   * `true` reads `.env` next to the config file if there is one; a path reads that file, which
   * must exist; `false` reads none.
   * @default true
   */
  dotenv?: boolean | string;
}

/** What {@link loadConfig} returns. */
export interface LoadedConfig {
  /** The validated config, defaults filled in. */
  config: AgentConfig;
  /** The files read, base first, then the overlay; paths as derived from the one passed in. */
  files: string[];
  /** The environment whose overlay was applied, if any. */
  environment?: string;
}

/** Options of {@link parseConfigText}. */
export interface ParseConfigTextOptions {
  /** The name used in error locations. @default 'agent.config.yaml' */
  file?: string;
  /** Variables for `${VAR}` placeholders; nothing is read from the process. @default {} */
  env?: Readonly<Record<string, string | undefined>>;
}

const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * Reads `agent.config.yaml`: `.env`, `${VAR}` interpolation, the `AGENT_ENV` overlay, then
 * validation. Every problem is reported at once in a {@link ConfigError} whose `issues` (and
 * message) give file, line, column, path and a fix.
 *
 * @example
 * ```ts
 * const { config } = await loadConfig('agent.config.yaml', { environment: 'production' });
 * console.log(config.server.port);
 * ```
 */
export async function loadConfig(file: string, options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = {
    ...(await readDotenv(file, options.dotenv ?? true)),
    ...definedValues(options.env ?? process.env),
  };
  const environment = options.environment ?? env.AGENT_ENV;
  const baseText = await readConfigFile(file, 'Config file not found', 'check the path, or create the file');
  let document = parseConfigDocument(baseText, { file, env });
  const files: [string, ...string[]] = [file];
  if (environment !== undefined && environment !== '') {
    const overlayFile = overlayPathFor(file, environment);
    const overlayText = await readConfigFile(
      overlayFile,
      `Config overlay for environment "${environment}" not found`,
      `create ${overlayFile}, or choose another environment (AGENT_ENV)`,
    );
    document = mergeConfigDocuments(document, parseConfigDocument(overlayText, { file: overlayFile, env }));
    files.push(overlayFile);
    return { config: validateConfigDocument(document, files), files, environment };
  }
  return { config: validateConfigDocument(document, files), files };
}

/**
 * Parses and validates config text without touching the file system or the process environment;
 * throws a {@link ConfigError} like {@link loadConfig}.
 *
 * @example
 * ```ts
 * const config = parseConfigText('server:\n  port: ${PORT:-8080}\n', { env: { PORT: '9000' } });
 * ```
 */
export function parseConfigText(text: string, options: ParseConfigTextOptions = {}): AgentConfig {
  const file = options.file ?? 'agent.config.yaml';
  return validateConfigDocument(parseConfigDocument(text, { file, env: options.env ?? {} }), [file]);
}

function validateConfigDocument(
  document: ConfigDocument,
  files: readonly [string, ...string[]],
): AgentConfig {
  // reportInput lets the fixes tell a missing key (undefined) from an empty one (null).
  const result = agentConfigSchema.safeParse(document.value ?? {}, { reportInput: true });
  // A value with an unset variable would fail validation too; one issue per cause is enough.
  // Placeholders live in string scalars (leaves), so only the very same path can be affected.
  const interpolated = new Set(document.issues.map((issue) => issue.path));
  const issues = [...document.issues];
  for (const issue of result.error?.issues.flatMap((each) => flattenIssue(each)) ?? []) {
    const configIssue = toConfigIssue(issue, document, files[0]);
    if (!interpolated.has(configIssue.path)) issues.push(configIssue);
  }
  if (issues.length === 0 && result.success) return result.data;
  const order = (issue: ConfigIssue) => files.indexOf(issue.file);
  issues.sort(
    (a, b) => order(a) - order(b) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
  throw new ConfigError(formatConfigIssues(`Invalid config in ${files.join(' + ')}`, issues), { issues });
}

type Issue = z.core.$ZodIssue;

// Splits an issue into the ones a user can act on one by one: each unknown key on its own line, and
// a union whose input matched one branch's type reported as that branch's own, more precise issues.
function flattenIssue(issue: Issue): Issue[] {
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 1) {
    return issue.keys.map((key) => ({ ...issue, keys: [key] }));
  }
  if (issue.code === 'invalid_union') {
    const matched = issue.errors.filter(
      (branch) => branch.length > 0 && branch.every((each) => each.path.length > 0),
    );
    const [branch] = matched;
    if (matched.length === 1 && branch !== undefined) {
      return branch.flatMap((inner) => flattenIssue({ ...inner, path: [...issue.path, ...inner.path] }));
    }
  }
  return [issue];
}

function toConfigIssue(issue: Issue, document: ConfigDocument, file: string): ConfigIssue {
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys.slice(0, 1)] : issue.path;
  // A missing key has no line of its own: point at the mapping it should be added to.
  const part = issue.code === 'unrecognized_keys' || issue.code === 'invalid_key' ? 'key' : 'value';
  const location = locate(document, isMissing(issue) ? path.slice(0, -1) : path, file, part);
  return { ...location, path: formatPath(path), message: messageForIssue(issue), fix: fixForIssue(issue) };
}

// `agent.config.yaml` → `agent.config.production.yaml`, in the same directory.
function overlayPathFor(file: string, environment: string): string {
  if (!ENVIRONMENT_NAME.test(environment)) {
    // The name becomes part of a file path, so `../` must never get through.
    const issue = {
      file,
      path: '',
      message: `environment name "${environment}" is not valid`,
      fix: 'use only letters, digits, "-" and "_"',
    };
    throw new ConfigError(formatConfigIssues('Invalid environment', [issue]), { issues: [issue] });
  }
  const extension = extname(file);
  return `${file.slice(0, file.length - extension.length)}.${environment}${extension}`;
}

async function readDotenv(file: string, option: boolean | string): Promise<Record<string, string>> {
  if (option === false) return {};
  if (option === true) return loadDotenv(join(dirname(file), '.env'));
  // A .env file named explicitly is expected to exist; silently ignoring it would hide a typo.
  return parseDotenv(
    await readConfigFile(option, 'Env file not found', 'check the dotenv path, or pass dotenv: false'),
  );
}

async function readConfigFile(file: string, notFound: string, fix: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT' || code === 'ENOTDIR';
    const issue = {
      file,
      path: '',
      message: missing ? 'file not found' : `cannot read the file (${code ?? 'unknown error'})`,
      fix: missing ? fix : 'check that it is a readable file',
    };
    throw new ConfigError(formatConfigIssues(missing ? notFound : 'Cannot read config', [issue]), {
      code: missing ? 'CONFIG_NOT_FOUND' : 'CONFIG_INVALID',
      issues: [issue],
      cause: error,
    });
  }
}

function definedValues(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) values[key] = value;
  return values;
}
