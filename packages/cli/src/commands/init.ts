import { spawn } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { type CommandContext, closest, UsageError } from '../context.js';
import { EXIT_FAILURE, EXIT_SUCCESS } from '../exit-codes.js';
import { type DependencySource, packageNameFor, projectPackageJson } from '../init/package-json.js';
import { dependencySource } from '../init/sdk-source.js';
import { type ProjectFile, TEMPLATE_NAMES, type TemplateName, templateFiles } from '../init/templates.js';

/** Options of `agent init`. */
export interface InitOptions {
  template?: string;
  force?: boolean;
  /** `false` with `--no-install`. */
  install?: boolean;
  /** A checkout to link `@agent/*` from; `false` with `--no-link`. */
  link?: string | false;
}

/**
 * `agent init [dir]`: writes a project from a template, refusing to overwrite existing files
 * without `--force`, then installs its dependencies (unless `--no-install`).
 */
export async function init(directory: string | undefined, options: InitOptions, context: CommandContext) {
  const { io, out } = context;
  const template = templateName(options.template ?? 'basic');
  const target = resolve(io.cwd, directory ?? '.');
  const name = packageNameFor(basename(target), template);
  const source = await dependencySource(options.link, io.cwd);
  const pm = source.kind === 'link' ? 'pnpm' : packageManager(io.env);
  const files: ProjectFile[] = [
    { path: 'package.json', content: projectPackageJson(name, template, source) },
    ...(await templateFiles(template, { name, sdkRange: sdkRange(source), pm })),
  ];

  const existing = await existingFiles(target, files);
  if (existing.length > 0 && options.force !== true) {
    throw new UsageError(
      `${relative(io.cwd, target) || '.'} already has ${existing.join(', ')}: nothing was written.\n` +
        '  Pick another directory, or add --force to overwrite those files.',
    );
  }
  for (const file of files) {
    const path = join(target, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
  }
  const shown = relative(io.cwd, target) || '.';
  io.stdout.write(`${out.green('Created')} ${shown} from the ${out.bold(template)} template:\n`);
  for (const file of files) io.stdout.write(`  ${file.path}\n`);
  if (source.kind === 'link') io.stdout.write(out.dim(`@agent/* packages are linked from ${source.root}\n`));

  if (options.install !== false) {
    io.stdout.write(`\nInstalling dependencies with ${pm}...\n`);
    const code = await install(pm, target, context);
    if (code !== 0) {
      io.stderr.write(
        `${context.err.red('error:')} ${pm} install exited with ${code}. The files are in place: run "${pm} install" in ${shown} yourself.\n`,
      );
      return EXIT_FAILURE;
    }
  }
  const steps = [
    ...(shown === '.' ? [] : [`cd ${shown}`]),
    ...(options.install === false ? [`${pm} install`] : []),
    template === 'tool-plugin'
      ? 'agent run assistant "Convert 5 km to miles"'
      : 'agent run assistant "hello"',
    `${pm} test`,
  ];
  io.stdout.write(`\nNext:\n${steps.map((step) => `  ${step}`).join('\n')}\n`);
  return EXIT_SUCCESS;
}

function templateName(value: string): TemplateName {
  if ((TEMPLATE_NAMES as readonly string[]).includes(value)) return value as TemplateName;
  const suggestion = closest(value, TEMPLATE_NAMES);
  throw new UsageError(
    `unknown template "${value}"${suggestion !== undefined ? ` (Did you mean ${suggestion}?)` : ''}\n` +
      `  Templates: ${TEMPLATE_NAMES.join(', ')}`,
  );
}

/** The plugin's `sdk` range: the caret range of the @agent/core it is written against. */
function sdkRange(source: DependencySource): string {
  return `^${source.versions.core}`;
}

/** pnpm when the CLI was started by pnpm (`pnpm dlx`, `pnpm exec`), else npm. */
function packageManager(env: Record<string, string | undefined>): string {
  return env.npm_config_user_agent?.startsWith('pnpm') ? 'pnpm' : 'npm';
}

async function existingFiles(target: string, files: readonly ProjectFile[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    try {
      await stat(join(target, file.path));
      found.push(file.path);
    } catch {
      // Absent: fine.
    }
  }
  return found;
}

function install(pm: string, cwd: string, { io }: CommandContext): Promise<number> {
  // --ignore-workspace: a project created inside another pnpm workspace is its own project.
  // --no-frozen-lockfile: a new project has no lockfile yet; a frozen-lockfile setting (an .npmrc
  // or the environment of a CI job) must not stop its first install.
  const args = pm === 'pnpm' ? ['install', '--ignore-workspace', '--no-frozen-lockfile'] : ['install'];
  return new Promise((done) => {
    const child = spawn(pm, args, { cwd, env: { ...io.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString()));
    child.on('error', (error) => {
      io.stderr.write(`cannot start ${pm}: ${error.message}\n`);
      done(127);
    });
    child.on('close', (code) => done(code ?? 1));
  });
}
