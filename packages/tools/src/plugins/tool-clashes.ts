import { type AnyTool, ConfigError } from '@agent/core';

/** A loaded plugin's tools, in config order, to check against what was taken before it. */
export interface ClashCandidate {
  /** Position in the config's `plugins` list. */
  index: number;
  /** The plugin as the config names it. */
  source: string;
  tools: readonly AnyTool[];
}

const BUILTIN = 'a built-in tool (or a tool registered before the plugins)';

/**
 * Tracks which tool name+version pairs are taken, in config order: the first plugin to provide a
 * pair keeps it, and a later one with the same pair gets a `ConfigError` naming both and asking
 * for a `namespace`. Different versions of one name may coexist (the catalog keeps both).
 *
 * `taken` entries are `name` (the whole name is reserved, every version: a plugin must not be able
 * to out-rank a built-in such as `fetch` by declaring a higher version) or `name@version`.
 */
export class ToolClashes {
  private readonly owners = new Map<string, string>();
  private readonly reservedNames = new Set<string>();

  constructor(
    taken: Iterable<string>,
    private readonly configFile: string,
  ) {
    for (const entry of taken) {
      const at = entry.indexOf('@');
      if (at < 0) this.reservedNames.add(entry);
      else this.owners.set(entry, BUILTIN);
    }
  }

  /** Claims the candidate's tools, or returns the error naming every clash (claiming none). */
  claim(candidate: ClashCandidate): ConfigError | undefined {
    const clashes: string[] = [];
    for (const tool of candidate.tools) {
      const key = `${tool.name}@${tool.version ?? '0.0.0'}`;
      const label = tool.version === undefined ? 'unversioned' : `version ${tool.version}`;
      const owner = this.reservedNames.has(tool.name) ? BUILTIN : this.owners.get(key);
      if (owner === undefined) continue;
      const other = owner === BUILTIN ? owner : `plugin "${owner}"`;
      clashes.push(`tool "${tool.name}" (${label}) is also provided by ${other}`);
    }
    if (clashes.length === 0) {
      for (const tool of candidate.tools)
        this.owners.set(`${tool.name}@${tool.version ?? '0.0.0'}`, candidate.source);
      return undefined;
    }
    const fix = `set a namespace on one of the entries in plugins, e.g. { from: "${candidate.source}", namespace: "acme" }, so its tools become acme_<tool>`;
    const message = `Plugin "${candidate.source}" clashes: ${clashes.join('; ')}. Fix: ${fix}.`;
    return new ConfigError(message, {
      issues: [{ file: this.configFile, path: `plugins.${candidate.index}`, message, fix }],
      details: { plugin: candidate.source, fix },
    });
  }
}
