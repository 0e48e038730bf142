import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

describe('packages/core/README.md example', () => {
  it('is exactly the code of this example, so the README cannot rot', async () => {
    const readme = await readFile(here('../../../../packages/core/README.md'), 'utf8');
    const source = await readFile(here('./index.ts'), 'utf8');

    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];

    expect(block).toBe(source);
  });

  it('runs and prints the events, the answer and the usage', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [here('../dist/index.js')]);

    expect(stdout).toContain('#0 run.started');
    expect(stdout).toContain('tool.succeeded');
    expect(stdout).toContain('run.completed');
    expect(stdout).toContain('2 + 3 = 5');
    expect(stdout).toContain('inputTokens: 20');
  });
});
