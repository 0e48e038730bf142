import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// Complete examples (those starting with an import) in the adapter READMEs are type-checked here,
// where both adapters resolve, so documentation cannot drift from the API.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const checkDir = here('../.readme-check/');
const readmes = ['llm-openai', 'llm-anthropic'];

afterAll(() => rm(checkDir, { recursive: true, force: true }));

describe('adapter README examples', () => {
  it('type-check against the current packages', { timeout: 60_000 }, async () => {
    await mkdir(checkDir, { recursive: true });
    const files: string[] = [];
    for (const name of readmes) {
      const readme = await readFile(here(`../../../../packages/${name}/README.md`), 'utf8');
      const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
        .map((match) => match[1] as string)
        .filter((block) => block.startsWith('import '));
      expect(blocks.length, `${name}/README.md has no complete example`).toBeGreaterThan(0);
      for (const [index, block] of blocks.entries()) {
        const file = `${name}-${index}.ts`;
        await writeFile(`${checkDir}${file}`, block);
        files.push(file);
      }
    }
    await writeFile(
      `${checkDir}tsconfig.json`,
      JSON.stringify({
        extends: '@agent/tsconfig/base.json',
        compilerOptions: { noEmit: true },
        include: files,
      }),
    );

    const tsc = here('../node_modules/.bin/tsc');
    const result = await promisify(execFile)(tsc, ['-p', checkDir]).catch((error: { stdout?: string }) => ({
      stdout: error.stdout ?? String(error),
    }));

    expect(result.stdout).toBe('');
  });
});
