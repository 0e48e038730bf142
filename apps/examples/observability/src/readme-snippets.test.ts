import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// The other complete examples of the observability README (stores, redaction) are type-checked
// here, where the package and its drivers resolve, so the documentation cannot drift from the API.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const checkDir = here('../.readme-check/');

afterAll(() => rm(checkDir, { recursive: true, force: true }));

describe('observability README snippets', () => {
  it('type-check against the current packages', { timeout: 60_000 }, async () => {
    const readme = await readFile(here('../../../../packages/observability/README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
      .map((match) => match[1] as string)
      .filter((block) => block.startsWith('import '));
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    await mkdir(checkDir, { recursive: true });
    const files = blocks.map((_, index) => `snippet-${index}.ts`);
    await Promise.all(
      blocks.map((block, index) => writeFile(`${checkDir}${files[index]}`, `${block}\nexport {};\n`)),
    );
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
