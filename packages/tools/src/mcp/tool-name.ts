/** What `namespace` must look like (the same rule as the config's `tools.mcp.<server>.namespace`). */
export const NAMESPACE_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;

/**
 * The name an MCP tool gets among our tools: characters providers reject become `_`, the
 * namespace (if any) is prefixed as `<namespace>_`, and the result is cut to 64 characters.
 * The result always matches core's tool-name rule (`/^[a-zA-Z0-9_-]{1,64}$/`); `undefined` is
 * returned only for an empty name.
 *
 * @example
 * ```ts
 * mcpToolName('files.read', 'fs'); // 'fs_files_read'
 * ```
 */
export function mcpToolName(original: string, namespace?: string): string | undefined {
  const sanitised = original.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (sanitised.length === 0) return undefined;
  return (namespace === undefined ? sanitised : `${namespace}_${sanitised}`).slice(0, 64);
}
