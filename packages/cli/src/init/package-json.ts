import type { TemplateName } from './templates.js';

/** Where the `@agent/*` dependencies come from: the npm registry, or a local Agent SDK checkout. */
export type DependencySource =
  | { kind: 'registry'; versions: SdkVersions }
  | { kind: 'link'; root: string; versions: SdkVersions };

/** The versions of the SDK packages a project depends on. */
export interface SdkVersions {
  core: string;
  tools: string;
  cli: string;
}

// Versions of the third-party packages the templates use, pinned to ones that run on Node 20.
const THIRD_PARTY = {
  zod: '^4.6.7',
  typescript: '~6.0.3',
  vitest: '^4.1.12',
  '@types/node': '^20.19.0',
} as const;

const SDK_PACKAGES = { core: '@agent/core', tools: '@agent/tools', cli: '@agent/cli' } as const;

/** The package.json of a new project, as text. */
export function projectPackageJson(name: string, template: TemplateName, source: DependencySource): string {
  const sdk = (key: keyof typeof SDK_PACKAGES): string =>
    source.kind === 'registry' ? `^${source.versions[key]}` : `link:${source.root}/packages/${key}`;
  const devDependencies = {
    [SDK_PACKAGES.cli]: sdk('cli'),
    '@types/node': THIRD_PARTY['@types/node'],
    typescript: THIRD_PARTY.typescript,
    vitest: THIRD_PARTY.vitest,
  };
  const scripts = {
    agent: 'agent',
    test: 'vitest run',
    typecheck: 'tsc -p tsconfig.json',
  };
  if (template === 'tool-plugin') {
    // A plugin is used inside someone else's agent: the SDK is theirs (peer), ours only for development.
    const manifest = {
      name,
      version: '0.1.0',
      description: 'An Agent SDK tool plugin.',
      type: 'module',
      keywords: ['agent-sdk', 'agent-tools'],
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      files: ['dist'],
      scripts: { ...scripts, build: 'tsc -p tsconfig.build.json', prepublishOnly: 'npm run build' },
      engines: { node: '>=20.19.0' },
      peerDependencies: {
        [SDK_PACKAGES.core]: sdk('core'),
        [SDK_PACKAGES.tools]: sdk('tools'),
        zod: THIRD_PARTY.zod,
      },
      devDependencies: {
        [SDK_PACKAGES.core]: sdk('core'),
        [SDK_PACKAGES.tools]: sdk('tools'),
        ...devDependencies,
        zod: THIRD_PARTY.zod,
      },
    };
    return `${JSON.stringify(sortDependencies(manifest), null, 2)}\n`;
  }
  const manifest = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: { ...scripts, start: 'agent serve' },
    engines: { node: '>=20.19.0' },
    dependencies: {
      [SDK_PACKAGES.core]: sdk('core'),
      [SDK_PACKAGES.tools]: sdk('tools'),
      zod: THIRD_PARTY.zod,
    },
    devDependencies,
  };
  return `${JSON.stringify(sortDependencies(manifest), null, 2)}\n`;
}

function sortDependencies<T extends Record<string, unknown>>(manifest: T): T {
  const sorted: Record<string, unknown> = { ...manifest };
  for (const key of ['dependencies', 'devDependencies', 'peerDependencies']) {
    const value = sorted[key] as Record<string, string> | undefined;
    if (value !== undefined)
      sorted[key] = Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
  }
  return sorted as T;
}

/** An npm package name from a directory name: lower case, only the characters npm allows. */
export function packageNameFor(directoryName: string, template: TemplateName): string {
  const base =
    directoryName
      .toLowerCase()
      .replace(/[^a-z0-9._~-]+/g, '-')
      .replace(/^[._-]+|[-]+$/g, '') || 'agent-project';
  return template === 'tool-plugin' && !base.startsWith('agent-tools-') ? `agent-tools-${base}` : base;
}
