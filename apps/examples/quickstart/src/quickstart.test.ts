import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('quickstart', () => {
  it('says on its first line that it uses the fake server when OPENAI_API_KEY is not set, then runs the agent', async () => {
    const env = { ...process.env };
    delete env.OPENAI_API_KEY;

    const { stdout } = await promisify(execFile)(process.execPath, [script], { env, timeout: 20_000 });

    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Using the local fake LLM server at http:\/\/127\.0\.0\.1:\d+, because OPENAI_API_KEY is not set\.$/,
    );
    expect(stdout).toContain('→ weather({"city":"Oslo"})');
    expect(stdout).toContain('← {"city":"Oslo","celsius":14}');
    expect(stdout).toContain('It is 14 °C in Oslo right now.');
    expect(stdout).toMatch(/\(\d+ input \+ \d+ output tokens, 2 steps\)/);
  });
});
