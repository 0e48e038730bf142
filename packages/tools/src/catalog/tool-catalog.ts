import { type AnyTool, ConfigError, type Logger, noopLogger, ToolError, ToolRegistry } from '@agent/core';
import semver from 'semver';
import { closeNames } from './close-names.js';
import { warnDeprecatedOnce } from './deprecation-warnings.js';
import { latestVersion, parseToolReference, UNVERSIONED } from './tool-reference.js';

/** One tool in a {@link ToolCatalog}, with where it came from. */
export interface CatalogEntry {
  readonly tool: AnyTool;
  readonly name: string;
  /** The tool's version; `0.0.0` when it has none (see `versioned`). */
  readonly version: string;
  /** False for a tool without `version`: it resolves as `0.0.0` and is shown as "unversioned". */
  readonly versioned: boolean;
  /** Where it came from, e.g. `builtin`, `plugin @acme/agent-tools-weather`, `mcp github`. */
  readonly source: string;
}

/** Options of {@link ToolCatalog}. */
export interface ToolCatalogOptions {
  /** Receives the once-per-process deprecation warnings. @default noopLogger */
  logger?: Logger;
}

const MAX_NAMES_IN_MESSAGE = 20;

/**
 * Every tool a host knows, with several versions per name. Agents pick from it by reference:
 * `weather` resolves to the highest version (releases before prereleases), `weather@^1` to the
 * highest version in the range. Resolving a deprecated tool warns once per process.
 *
 * @example
 * ```ts
 * const catalog = new ToolCatalog([], { logger });
 * catalog.add(weatherV1, 'plugin @acme/agent-tools-weather@1').add(weatherV2, 'plugin @acme/agent-tools-weather');
 * catalog.resolve('weather@^1'); // weatherV1
 * const registry = catalog.registryFor(['weather', 'calculator']);
 * const agent = new Agent({ name: 'assistant', model, tools: registry });
 * ```
 */
export class ToolCatalog {
  // Each name's entries, highest version first.
  private readonly byName = new Map<string, CatalogEntry[]>();
  private readonly logger: Logger;

  constructor(tools: Iterable<AnyTool> = [], options: ToolCatalogOptions = {}) {
    this.logger = options.logger ?? noopLogger;
    for (const tool of tools) this.add(tool);
  }

  /** Adds a tool. Throws `TOOL_DUPLICATE` (naming both sources) when its name and version are taken. */
  add(tool: AnyTool, source = 'code'): this {
    if (tool.version !== undefined && semver.valid(tool.version) === null) {
      throw new ConfigError(
        `Tool "${tool.name}" from ${source} has version "${tool.version}", which is not semver: use e.g. "1.0.0", or leave version unset.`,
      );
    }
    const entry: CatalogEntry = {
      tool,
      name: tool.name,
      version: tool.version ?? UNVERSIONED,
      versioned: tool.version !== undefined,
      source,
    };
    const entries = this.byName.get(tool.name) ?? [];
    const existing = entries.find((candidate) => candidate.version === entry.version);
    if (existing) {
      throw new ToolError(
        'TOOL_DUPLICATE',
        tool.name,
        `Tool "${tool.name}" (${label(entry)}) from ${source} is already in the catalog from ${existing.source}: give one of them another version, or load one plugin with a namespace.`,
      );
    }
    entries.push(entry);
    entries.sort((a, b) => semver.rcompare(a.version, b.version));
    this.byName.set(tool.name, entries);
    return this;
  }

  /** The tool a reference names (`weather`, `weather@^1`); warns once if it is deprecated. */
  resolve(reference: string): AnyTool {
    const entry = this.find(reference);
    warnDeprecatedOnce(entry.tool, this.logger);
    return entry.tool;
  }

  /** Every entry, by name, highest version first. */
  list(): CatalogEntry[] {
    return [...this.byName.keys()].sort().flatMap((name) => this.byName.get(name) ?? []);
  }

  /** The versions of `name`, highest first; an unversioned tool is listed as `unversioned`. */
  versions(name: string): string[] {
    return (this.byName.get(name) ?? []).map(label);
  }

  /** Whether a reference resolves (without warning about deprecation). */
  has(reference: string): boolean {
    try {
      this.find(reference);
      return true;
    } catch {
      return false;
    }
  }

  /** Number of tools, counting each version. */
  get size(): number {
    let count = 0;
    for (const entries of this.byName.values()) count += entries.length;
    return count;
  }

  /**
   * A core `ToolRegistry` of the tools the references resolve to, for one agent. Two references
   * that resolve to different versions of one name are a `TOOL_DUPLICATE` error: the model sees
   * tool names only, so it could not choose between them.
   */
  registryFor(references: readonly string[]): ToolRegistry {
    const chosen = new Map<string, { tool: AnyTool; reference: string }>();
    for (const reference of references) {
      const tool = this.resolve(reference);
      const previous = chosen.get(tool.name);
      if (previous === undefined) {
        chosen.set(tool.name, { tool, reference });
      } else if (previous.tool !== tool) {
        throw new ToolError(
          'TOOL_DUPLICATE',
          tool.name,
          `References "${previous.reference}" and "${reference}" resolve to two versions of "${tool.name}" (${previous.tool.version ?? 'unversioned'} and ${tool.version ?? 'unversioned'}): an agent can use one version of a tool name, because the model sees names only. Keep one reference, or load one of the plugins with a namespace.`,
        );
      }
    }
    return new ToolRegistry([...chosen.values()].map((choice) => choice.tool));
  }

  private find(reference: string): CatalogEntry {
    const { name, range } = parseToolReference(reference);
    const entries = this.byName.get(name);
    if (!entries) throw this.unknownName(name);
    const versions = entries.map((entry) => entry.version);
    const version = range === undefined ? latestVersion(versions) : semver.maxSatisfying(versions, range);
    const entry = entries.find((candidate) => candidate.version === version);
    if (!entry) {
      throw new ToolError(
        'TOOL_NOT_FOUND',
        name,
        `No version of tool "${name}" satisfies "${range}": available versions are ${entries.map(label).join(', ')}. Change the range in the agent's tools, or install a plugin version that provides it.`,
      );
    }
    return entry;
  }

  private unknownName(name: string): ToolError {
    const names = [...this.byName.keys()].sort();
    const suggestions = closeNames(name, names);
    const hint =
      suggestions.length > 0
        ? `Did you mean ${suggestions.map((suggestion) => `"${suggestion}"`).join(', ')}?`
        : `Known tools: ${namesForMessage(names)}.`;
    return new ToolError(
      'TOOL_NOT_FOUND',
      name,
      `No tool named "${name}" in the catalog. ${hint} Fix the reference in the agent's tools, or add the plugin that provides it.`,
    );
  }
}

function label(entry: CatalogEntry): string {
  return entry.versioned ? entry.version : 'unversioned';
}

function namesForMessage(names: readonly string[]): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, MAX_NAMES_IN_MESSAGE).join(', ');
  return names.length > MAX_NAMES_IN_MESSAGE
    ? `${shown} and ${names.length - MAX_NAMES_IN_MESSAGE} more`
    : shown;
}
