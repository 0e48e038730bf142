import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
/** The real installed packages a fixture plugin may import (linked into the sandbox's node_modules). */
const CORE_DIR = dirname(require.resolve('@agent/core/package.json'));
const ZOD_DIR = dirname(require.resolve('zod/package.json'));
/** `definePlugin` from this repository's source, for TypeScript fixtures loaded through tsx. */
export const DEFINE_PLUGIN_TS = fileURLToPath(new URL('../define-plugin.ts', import.meta.url));

/**
 * A temp folder laid out like a user's project: node_modules with `@agent/core` and `zod` linked
 * to the real packages (as pnpm would), and helpers to write plugin packages and files into it.
 */
export class PluginSandbox {
  readonly root = mkdtempSync(join(tmpdir(), 'agent-plugins-'));

  constructor() {
    this.link(CORE_DIR, '@agent/core');
    this.link(ZOD_DIR, 'zod');
  }

  /** Writes a package under node_modules; `packageJson` is merged over an ESM-only default. */
  writePackage(
    name: string,
    files: Record<string, string>,
    packageJson: Record<string, unknown> = {},
  ): string {
    const dir = join(this.root, 'node_modules', name);
    this.writeFiles(dir, {
      'package.json': JSON.stringify({
        name,
        version: '1.0.0',
        type: 'module',
        exports: { '.': { types: './index.d.ts', import: './index.js' } },
        ...packageJson,
      }),
      ...files,
    });
    return dir;
  }

  /** Writes files relative to the sandbox root (or `dir`). */
  writeFiles(dir: string, files: Record<string, string>): void {
    for (const [path, content] of Object.entries(files)) {
      const file = join(dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }

  /** A path inside the sandbox. */
  path(...segments: string[]): string {
    return join(this.root, ...segments);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private link(target: string, name: string): void {
    const path = join(this.root, 'node_modules', name);
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(target, path, 'dir');
  }
}

export interface FixtureToolSpec {
  name: string;
  version?: string;
  deprecated?: { replacement?: string; message?: string };
}

/**
 * The source of an ESM plugin module built the way a plugin compiled against ANOTHER copy of
 * `@agent/tools` looks: a plain object carrying the registered brand symbol, with tools made by
 * the real `defineTool`. `body` is extra code placed before the export (it may define `setup`).
 */
export function pluginSource(manifest: {
  name: string;
  version?: string;
  sdk?: string;
  tools: FixtureToolSpec[];
  extra?: string;
  body?: string;
  exportAs?: 'default' | 'plugin';
}): string {
  const tools = manifest.tools
    .map(
      (tool) => `defineTool({
  name: ${JSON.stringify(tool.name)},
  ${tool.version ? `version: ${JSON.stringify(tool.version)},` : ''}
  ${tool.deprecated ? `deprecated: ${JSON.stringify(tool.deprecated)},` : ''}
  description: 'Echoes the city for ${tool.name}.',
  input: z.object({ city: z.string() }),
  execute: ({ city }) => ${JSON.stringify(`${tool.name}${tool.version ? `@${tool.version}` : ''}:`)} + city,
})`,
    )
    .join(',\n');
  const object = `{
  [Symbol.for('@agent/tools.plugin')]: true,
  name: ${JSON.stringify(manifest.name)},
  version: ${JSON.stringify(manifest.version ?? '1.0.0')},
  sdk: ${JSON.stringify(manifest.sdk ?? '^1.0.0')},
  tools: [${tools}],
  ${manifest.extra ?? ''}
}`;
  const exported =
    manifest.exportAs === 'plugin' ? `export const plugin = ${object};` : `export default ${object};`;
  return `import { defineTool } from '@agent/core';
import { z } from 'zod';
${manifest.body ?? ''}
${exported}
`;
}

/** The `@agent/core` version fixtures pretend is installed; their default `sdk` is `^1.0.0`. */
export const FIXTURE_SDK_VERSION = '1.4.0';
