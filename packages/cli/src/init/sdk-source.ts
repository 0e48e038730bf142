import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DependencySource, SdkVersions } from './package-json.js';

// dist/init/sdk-source.js (and src/init/sdk-source.ts) sit two levels below @agent/cli's root.
const CLI_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const require = createRequire(import.meta.url);

/** The versions of the `@agent/*` packages this CLI runs with: new projects depend on `^` of them. */
export async function sdkVersions(): Promise<SdkVersions> {
  const version = async (path: string) =>
    (JSON.parse(await readFile(path, 'utf8')) as { version: string }).version;
  return {
    core: await version(require.resolve('@agent/core/package.json')),
    tools: await version(require.resolve('@agent/tools/package.json')),
    cli: await version(join(CLI_ROOT, 'package.json')),
  };
}

/**
 * Where new projects get `@agent/*` from. `--link <dir>` names an Agent SDK checkout; without it,
 * a CLI that runs from a checkout (not from node_modules) links to that checkout, because its
 * packages may not be published in the version it knows; `--no-link` forces the registry.
 */
export async function dependencySource(
  link: string | false | undefined,
  cwd: string,
): Promise<DependencySource> {
  const versions = await sdkVersions();
  if (link === false) return { kind: 'registry', versions };
  if (typeof link === 'string') {
    const root = resolve(cwd, link);
    if (!(await isCheckout(root))) {
      throw new Error(
        `--link ${link}: ${root} is not an Agent SDK checkout (no packages/core/package.json). Point it at the repository's root.`,
      );
    }
    return { kind: 'link', root, versions };
  }
  const checkout = resolve(CLI_ROOT, '..', '..');
  const fromNodeModules = CLI_ROOT.split(sep).includes('node_modules');
  return !fromNodeModules && (await isCheckout(checkout))
    ? { kind: 'link', root: checkout, versions }
    : { kind: 'registry', versions };
}

async function isCheckout(root: string): Promise<boolean> {
  try {
    await access(join(root, 'packages', 'core', 'package.json'));
    await access(join(root, 'pnpm-workspace.yaml'));
    return true;
  } catch {
    return false;
  }
}

/** The directory of the CLI package, for tests. */
export const cliRoot = (): string => dirname(join(CLI_ROOT, 'package.json'));
