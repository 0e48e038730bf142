import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AgentConfig } from '@agent/core';
import { ConfigError, loadCliConfig, resolveConfigPath } from '../config.js';
import type { CommandContext } from '../context.js';
import { storeLocation } from '../event-store.js';
import { EXIT_CONFIG, EXIT_FAILURE, EXIT_SUCCESS } from '../exit-codes.js';
import { openRuntime, stderrLogger } from '../runtime.js';

/** Options of `agent doctor`. */
export interface DoctorOptions {
  config?: string;
}

export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface CheckLine {
  status: CheckStatus;
  name: string;
  detail: string;
}

const PROVIDER_KEYS: Record<string, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
};

/** The oldest Node the SDK supports. */
export const MIN_NODE = [20, 19] as const;

/**
 * `agent doctor`: one line per check (Node, config, API keys, event store, Redis). Exit 3 when the
 * config is missing or invalid (like every command), else 1 when any check failed.
 */
export async function doctor(
  options: DoctorOptions,
  context: CommandContext,
  nodeVersion: string = process.versions.node,
): Promise<number> {
  const lines: CheckLine[] = [];
  const report = (line: CheckLine) => {
    lines.push(line);
    print(line, context);
  };
  report(checkNode(nodeVersion));
  const { io } = context;
  const path = resolveConfigPath(options.config, io);
  let config: AgentConfig | undefined;
  try {
    config = (await loadCliConfig(path, io)).config;
    report({ status: 'ok', name: 'config', detail: `${path} is valid` });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const detail = error.issues.length > 1 ? `${error.issues.length} problems` : firstLine(error.message);
    report({ status: 'fail', name: 'config', detail: `${detail} (see: agent config validate)` });
  }
  if (config === undefined) return EXIT_CONFIG;
  for (const line of checkApiKeys(config, io.env)) report(line);
  const location = storeLocation(config, dirname(path));
  if (location.kind === 'sqlite' && location.path !== ':memory:') report(await checkWritable(location.path));
  for (const line of await checkRuntime(config, path, context)) report(line);
  return lines.some((line) => line.status === 'fail') ? EXIT_FAILURE : EXIT_SUCCESS;
}

function print({ status, name, detail }: CheckLine, { io, out }: CommandContext): void {
  const label =
    status === 'ok' ? out.green('ok  ') : status === 'warn' ? out.yellow('warn') : out.red('fail');
  io.stdout.write(`${label} ${out.bold(name)}: ${detail}\n`);
}

export function checkNode(version: string): CheckLine {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return {
    status: ok ? 'ok' : 'fail',
    name: 'node',
    detail: ok ? `v${version}` : `v${version} is too old: use Node >= ${MIN_NODE.join('.')}`,
  };
}

export function checkApiKeys(config: AgentConfig, env: Record<string, string | undefined>): CheckLine[] {
  return Object.entries(config.models).map(([name, model]) => {
    const envVar = PROVIDER_KEYS[model.provider];
    const label = `model ${name}`;
    const what = `${model.provider}/${model.model}`;
    if (model.apiKey !== undefined) return { status: 'ok', name: label, detail: `${what}: apiKey in config` };
    if (envVar === undefined) return { status: 'ok', name: label, detail: `${what}: no API key needed` };
    if (env[envVar] !== undefined && env[envVar] !== '') {
      return { status: 'ok', name: label, detail: `${what}: ${envVar} is set` };
    }
    return {
      status: 'warn',
      name: label,
      detail: `${what}: ${envVar} is not set: the demo model will answer`,
    };
  });
}

/** The SQLite file's directory (or the nearest existing parent) must be writable. */
export async function checkWritable(file: string): Promise<CheckLine> {
  let directory = dirname(file);
  for (;;) {
    const found = await stat(directory).then(
      (info) => info.isDirectory(),
      () => undefined,
    );
    if (found === false) {
      return { status: 'fail', name: 'store directory', detail: `${directory} is not a directory` };
    }
    if (found === true || dirname(directory) === directory) break;
    directory = dirname(directory);
  }
  try {
    await access(directory, constants.W_OK);
    return { status: 'ok', name: 'store directory', detail: `${directory} is writable` };
  } catch {
    return { status: 'fail', name: 'store directory', detail: `${directory} is not writable` };
  }
}

async function checkRuntime(
  config: AgentConfig,
  path: string,
  context: CommandContext,
): Promise<CheckLine[]> {
  const store = config.observability.events.store;
  let runtime: Awaited<ReturnType<typeof openRuntime>>;
  try {
    runtime = await openRuntime(config, path, context.io, stderrLogger(context.io, context.err, 'error'));
  } catch (error) {
    return [
      { status: 'fail', name: 'runtime', detail: error instanceof Error ? error.message : String(error) },
    ];
  }
  try {
    const { checks } = await runtime.ready();
    const lines: CheckLine[] = [];
    const storeCheck = checks.store;
    if (storeCheck !== undefined) {
      lines.push({
        status: storeCheck.ok ? 'ok' : 'fail',
        name: 'event store',
        detail: storeCheck.ok ? `${store} is reachable` : `${store}: ${storeCheck.detail ?? 'unreachable'}`,
      });
    }
    const redis = checks.redis;
    if (redis !== undefined) {
      lines.push({
        status: redis.ok ? 'ok' : 'fail',
        name: 'redis',
        detail: redis.ok ? 'reachable' : (redis.detail ?? 'unreachable'),
      });
    }
    return lines;
  } finally {
    await runtime.close({ graceMs: 0 });
  }
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).replace(/:$/, '');
}
