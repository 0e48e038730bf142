import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '@agent/core';
import { type LoadedConfig, loadConfig } from '@agent/core/node';
import type { CliIo, Colors } from './io.js';

/** The config file: `--config`, else `AGENT_CONFIG`, else `agent.config.yaml` in the working directory. */
export function resolveConfigPath(option: string | undefined, io: CliIo): string {
  const chosen = option ?? nonEmpty(io.env.AGENT_CONFIG) ?? 'agent.config.yaml';
  return isAbsolute(chosen) ? chosen : resolve(io.cwd, chosen);
}

/** Loads and validates the config with the CLI's environment. Throws core's `ConfigError`. */
export function loadCliConfig(path: string, io: CliIo, environment?: string): Promise<LoadedConfig> {
  return loadConfig(path, {
    env: io.env,
    ...(environment !== undefined ? { environment } : {}),
  });
}

/** Writes every issue of a `ConfigError`: `file:line:column  path  message`, then the fix. */
export function reportConfigError(error: ConfigError, io: CliIo, colors: Colors): void {
  const { issues } = error;
  if (error.code === 'CONFIG_NOT_FOUND' && error.message.startsWith('Config file not found')) {
    const file = issues[0]?.file ?? 'agent.config.yaml';
    io.stderr.write(
      `${colors.red('error:')} no config file at ${file}\n` +
        `  Create agent.config.yaml there, pass --config <path>, or set AGENT_CONFIG.\n`,
    );
    return;
  }
  if (issues.length === 0) {
    io.stderr.write(`${colors.red('error:')} ${error.message}\n`);
    return;
  }
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  // An overlay or a .env file that is missing: core's headline says which.
  const headline =
    error.code === 'CONFIG_NOT_FOUND'
      ? (error.message.split('\n')[0] ?? '').replace(/:$/, '')
      : `invalid config (${count})`;
  io.stderr.write(`${colors.red('error:')} ${headline}\n`);
  for (const issue of issues) {
    const location = [issue.file, issue.line, issue.line !== undefined ? issue.column : undefined]
      .filter((part) => part !== undefined)
      .join(':');
    const path = issue.path === '' ? '' : ` ${colors.bold(issue.path)}:`;
    io.stderr.write(`  ${colors.cyan(location)}${path} ${issue.message}\n`);
    io.stderr.write(`    ${colors.dim('fix:')} ${issue.fix}\n`);
  }
}

export { ConfigError };

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
