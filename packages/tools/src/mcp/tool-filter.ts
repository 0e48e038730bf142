/** Which of an MCP server's tools to use, by name globs. */
export interface ToolFilter {
  /** Whether the tool (its name as the MCP server spells it) passes `allow` and `deny`. */
  includes(name: string): boolean;
  /** The `allow` patterns that match none of `names`: almost always a typo worth a warning. */
  unusedAllowPatterns(names: readonly string[]): string[];
}

/**
 * Builds the allow/deny filter of an MCP server's tools. Patterns are globs over the server's own
 * tool names: `*` is any run of characters, `?` one character, everything else literal and
 * case-sensitive. `deny` wins over `allow`; no `allow` means every tool, `allow: []` means none.
 *
 * @example
 * ```ts
 * const filter = createToolFilter(['read_*'], ['read_secrets']);
 * filter.includes('read_file'); // true
 * filter.includes('read_secrets'); // false
 * ```
 */
export function createToolFilter(allow?: readonly string[], deny?: readonly string[]): ToolFilter {
  const allowed = allow?.map((pattern) => ({ pattern, regexp: globToRegExp(pattern) }));
  const denied = (deny ?? []).map(globToRegExp);
  return {
    includes(name) {
      if (denied.some((regexp) => regexp.test(name))) return false;
      return allowed === undefined || allowed.some(({ regexp }) => regexp.test(name));
    },
    unusedAllowPatterns(names) {
      return (allowed ?? [])
        .filter(({ regexp }) => !names.some((name) => regexp.test(name)))
        .map(({ pattern }) => pattern);
    },
  };
}

/** `read_*` → /^read_.*$/; every other regular-expression character is escaped. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const character of glob) {
    if (character === '*') source += '.*';
    else if (character === '?') source += '.';
    else source += character.replace(/[\\^$.|+()[\]{}/-]/g, '\\$&');
  }
  // `s`: a tool name with a newline is odd, but it must not slip past a `*` deny pattern.
  return new RegExp(`^${source}$`, 's');
}
