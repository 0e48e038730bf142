import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../src/io.js';
import { run } from '../src/run.js';

/** A stream that keeps what is written. */
export function collector(isTTY = false) {
  const chunks: string[] = [];
  return {
    isTTY,
    write(text: string) {
      chunks.push(text);
    },
    get text() {
      return chunks.join('');
    },
  };
}

/** Runs the CLI in-process and returns its exit code and output. */
export async function cli(argv: string[], io: Partial<CliIo> & { cwd: string }) {
  const stdout = collector(io.stdout?.isTTY);
  const stderr = collector();
  const code = await run(argv, { env: {}, ...io, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export const VALID_CONFIG = `models:
  main:
    provider: openai
    model: gpt-4o-mini
agents:
  assistant:
    model: main
    description: Helps with small things.
    instructions: Be brief.
    tools: [current_time, word_count]
observability:
  logLevel: error
  events:
    store: memory
  metrics:
    enabled: false
`;

/** A temporary project directory with the given files; remove it with `remove()`. */
export async function project(files: Record<string, string> = { 'agent.config.yaml': VALID_CONFIG }) {
  const path = await mkdtemp(join(tmpdir(), 'agent-cli-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(path, name), text);
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
