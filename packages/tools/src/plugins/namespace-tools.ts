import { type AnyTool, defineTool, PluginError, type ToolDeprecation } from '@agent/core';
import { errorReason } from './error-reason.js';

/**
 * Re-creates a plugin's tools as `<namespace>_<name>`, keeping every other field. A deprecation
 * that points to another tool of the same plugin is renamed too, so the hint stays true.
 * Throws `PLUGIN_INVALID` when a prefixed name no longer fits the 64-character limit.
 */
export function namespaceTools(tools: readonly AnyTool[], namespace: string, source: string): AnyTool[] {
  const own = new Set(tools.map((tool) => tool.name));
  return tools.map((tool) => {
    const name = `${namespace}_${tool.name}`;
    try {
      return defineTool({
        name,
        description: tool.description,
        input: tool.input,
        output: tool.output,
        version: tool.version,
        deprecated: renameReplacement(tool.deprecated, namespace, own),
        timeoutMs: tool.timeoutMs,
        // Called as a method of the original tool, so a tool relying on `this` keeps working.
        execute: (input, context) => tool.execute(input, context),
      });
    } catch (error) {
      throw new PluginError(
        'PLUGIN_INVALID',
        source,
        `Plugin "${source}" tool "${tool.name}" cannot be namespaced as "${name}": ${errorReason(error)} Use a shorter namespace for this entry in plugins.`,
        { cause: error },
      );
    }
  });
}

function renameReplacement(
  deprecated: ToolDeprecation | undefined,
  namespace: string,
  own: ReadonlySet<string>,
): ToolDeprecation | undefined {
  const replacement = deprecated?.replacement;
  if (deprecated === undefined || replacement === undefined) return deprecated;
  const at = replacement.indexOf('@');
  const name = at < 0 ? replacement : replacement.slice(0, at);
  if (!own.has(name)) return deprecated;
  return { ...deprecated, replacement: `${namespace}_${replacement}` };
}
