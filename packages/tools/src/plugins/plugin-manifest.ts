import { PluginError } from '@agent/core';
import semver from 'semver';
import { z } from 'zod';

/** One problem with a manifest or a tool list: where, and what to do about it. */
export interface ManifestProblem {
  /** Dotted path in the manifest, e.g. `tools[1].name`. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

// npm's rule for package names (scope allowed); local plugins may also use capitals.
const PACKAGE_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/i;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const isFunction = (value: unknown): boolean => typeof value === 'function';

const text = (what: string) =>
  z.string({
    error: (issue) => (issue.input === undefined ? `is missing: ${what}` : `must be a string: ${what}`),
  });

const manifestFields = z.object({
  name: text('the npm package name, e.g. "@acme/agent-tools-weather"')
    .max(214, "is longer than 214 characters (npm's limit): shorten it")
    .regex(
      PACKAGE_NAME,
      'must be an npm package name (e.g. "@acme/agent-tools-weather") or a local name of letters, digits, ".", "_" and "-"',
    ),
  version: text('the plugin\'s semver version, e.g. "1.0.0"').refine(
    (value) => semver.valid(value) !== null,
    { error: (issue) => `"${String(issue.input)}" is not a semver version: use e.g. "1.0.0"` },
  ),
  sdk: text('the @agent/core range the plugin works with, e.g. "^0.1.0"').refine(
    (value) => semver.validRange(value) !== null,
    {
      error: (issue) =>
        `"${String(issue.input)}" is not a semver range: give the @agent/core versions the plugin works with, e.g. "^0.1.0"`,
    },
  ),
  description: z.string({ error: 'must be a string: one line about the tools' }).optional(),
  setup: z.custom(isFunction, { error: 'must be a function (context) => dispose | undefined' }).optional(),
});

const toolShape = z.object({
  name: z
    .string({ error: 'must be a string' })
    .regex(TOOL_NAME, 'must be 1-64 letters, digits, "_" or "-" (what every model provider accepts)'),
  description: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'is empty: tell the model when to use the tool'),
  input: z.custom((value) => isFunction((value as { safeParse?: unknown } | null)?.safeParse), {
    error: 'must be a zod schema (z.object(...))',
  }),
  inputJsonSchema: z.record(z.string(), z.unknown(), {
    error: 'is missing: the tool was not made by defineTool(...) from @agent/core; create it with defineTool',
  }),
  execute: z.custom(isFunction, { error: 'must be a function (input, context) => output' }),
  version: z
    .string({ error: 'must be a string' })
    .refine((value) => semver.valid(value) !== null, {
      error: (issue) => `"${String(issue.input)}" is not a semver version: use e.g. "1.0.0"`,
    })
    .optional(),
});

/** The problems of a plugin manifest's fields (not its tools); empty when it is valid. */
export function manifestProblems(value: unknown): ManifestProblem[] {
  if (typeof value !== 'object' || value === null) {
    return [
      { path: '(root)', message: 'must be an object made by definePlugin({ name, version, sdk, tools })' },
    ];
  }
  const problems = issuesToProblems(manifestFields.safeParse(value).error);
  const tools = (value as { tools?: unknown }).tools;
  if (!isFunction(tools)) problems.push(...toolListProblems(tools, 'tools'));
  return problems;
}

/** The problems of a list of tools (a manifest's `tools`, or what `tools(context)` returned). */
export function toolListProblems(value: unknown, path: string): ManifestProblem[] {
  if (!Array.isArray(value)) {
    return [
      {
        path,
        message:
          value === undefined
            ? 'is missing: give an array of tools made by defineTool, or a function (context) => tools'
            : 'must be an array of tools made by defineTool, or a function (context) => tools',
      },
    ];
  }
  const seen = new Set<string>();
  return value.flatMap((tool: unknown, index) => {
    const at = `${path}[${index}]`;
    if (typeof tool !== 'object' || tool === null) {
      return [{ path: at, message: 'is not a tool: create it with defineTool(...) from @agent/core' }];
    }
    const problems = issuesToProblems(toolShape.safeParse(tool).error, at);
    const { name, version } = tool as { name?: unknown; version?: unknown };
    const key = `${String(name)}@${String(version)}`;
    if (problems.length === 0 && seen.has(key)) {
      const label = version === undefined ? 'unversioned' : `version ${String(version)}`;
      problems.push({
        path: at,
        message: `repeats tool "${String(name)}" (${label}): give each tool its own name or version`,
      });
    }
    seen.add(key);
    return problems;
  });
}

/** Throws `PLUGIN_INVALID` listing every problem, when there are any. */
export function assertNoProblems(problems: readonly ManifestProblem[], plugin: string, what: string): void {
  if (problems.length === 0) return;
  const list = problems.map((problem) => `  - ${problem.path}: ${problem.message}`).join('\n');
  throw new PluginError(
    'PLUGIN_INVALID',
    plugin,
    `Plugin "${plugin}" has an invalid ${what} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${list}\nFix the plugin's definePlugin({ ... }) call, or report it to the plugin's author.`,
    { details: { problems: problems.map((problem) => ({ ...problem })) } },
  );
}

function issuesToProblems(error: z.ZodError | undefined, prefix = ''): ManifestProblem[] {
  if (!error) return [];
  return error.issues.map((issue) => ({ path: joinPath(prefix, issue.path), message: issue.message }));
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  const tail = path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  const joined = `${prefix}${tail}`;
  return joined.startsWith('.') ? joined.slice(1) : joined || '(root)';
}
