import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type AgentConfig, AgentError, agentConfigSchema } from '@agent/core';
import { loadConfig } from '@agent/core/node';
import { startServer } from '@agent/server';
import { DEFAULT_CONFIG } from './default-config.js';

/**
 * The reference server: reads `AGENT_CONFIG` or `./agent.config.yaml` (with `.env` and the
 * `AGENT_ENV` overlay), or runs on the embedded default, and serves until SIGTERM.
 */
async function main(): Promise<void> {
  const file = process.env.AGENT_CONFIG ?? 'agent.config.yaml';
  const path = resolve(file);
  let config: AgentConfig;
  const fromFile = existsSync(path);
  if (fromFile) {
    config = (await loadConfig(path)).config;
    console.log(`config: ${path}`);
  } else if (process.env.AGENT_CONFIG !== undefined) {
    throw new Error(`AGENT_CONFIG points at ${path}, which does not exist.`);
  } else {
    config = agentConfigSchema.parse(DEFAULT_CONFIG);
    console.log('config: embedded default (no agent.config.yaml here)');
  }
  const port = process.env.PORT === undefined ? undefined : Number(process.env.PORT);
  const server = await startServer({
    config,
    // A config file's relative paths (plugins, the SQLite file) resolve against its own folder,
    // as with `agent serve`; the embedded default's against the working directory.
    ...(fromFile ? { cwd: dirname(path), configFile: path } : { cwd: process.cwd() }),
    ...(port !== undefined && Number.isInteger(port) ? { port } : {}),
    ...(process.env.HOST ? { host: process.env.HOST } : {}),
    handleSignals: true,
  });
  const demo = server.runtime.demoModel
    ? '\n  model:     the built-in DEMO model (set OPENAI_API_KEY for real answers)'
    : '';
  console.log(
    `\nAgent SDK server ready\n  API:       ${server.url}/v1\n  dashboard: ${server.url}/dashboard\n  API docs:  ${server.url}/docs${demo}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(AgentError.isInstance(error) ? error.message : error);
  process.exit(1);
});
