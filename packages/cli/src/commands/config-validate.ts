import { relative } from 'node:path';
import { loadCliConfig, resolveConfigPath } from '../config.js';
import type { CommandContext } from '../context.js';
import { EXIT_SUCCESS } from '../exit-codes.js';

/** Options of `agent config validate`. */
export interface ValidateOptions {
  config?: string;
  env?: string;
}

/** `agent config validate`: loads the config (and the overlay of `--env`); a ConfigError lists every problem. */
export async function validateConfig(options: ValidateOptions, context: CommandContext): Promise<number> {
  const { io, out } = context;
  const path = resolveConfigPath(options.config, io);
  const { config, files, environment } = await loadCliConfig(path, io, options.env);
  const shown = files.map((file) => relative(io.cwd, file) || file).join(' + ');
  const agents = Object.keys(config.agents).length;
  const models = Object.keys(config.models).length;
  const env = environment !== undefined ? ` for environment "${environment}"` : '';
  io.stdout.write(`${out.green('✓')} ${shown} is valid${env}: ${models} model(s), ${agents} agent(s)\n`);
  return EXIT_SUCCESS;
}
