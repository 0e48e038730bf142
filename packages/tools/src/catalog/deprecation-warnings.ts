import type { AnyTool, Logger } from '@agent/core';

// Process-wide on purpose: a deprecated tool resolved by every agent of a server (each with its
// own catalog) should cost one log line, not one per catalog. Bounded: past the cap the oldest
// keys are forgotten, so at worst a very old deprecation is warned about again.
const MAX_REMEMBERED = 10_000;
const warned = new Set<string>();

/**
 * Logs `logger.warn` the first time in this process that a deprecated `name@version` is
 * resolved, naming the replacement and the tool's message. Does nothing for other tools.
 */
export function warnDeprecatedOnce(tool: AnyTool, logger: Logger): void {
  if (!tool.deprecated) return;
  const version = tool.version ?? 'unversioned';
  const key = `${tool.name}@${version}`;
  if (warned.has(key)) return;
  if (warned.size >= MAX_REMEMBERED) {
    for (const oldest of warned) {
      warned.delete(oldest);
      break;
    }
  }
  warned.add(key);
  const { replacement, message } = tool.deprecated;
  const instead = replacement ? `use "${replacement}" instead` : 'plan to stop using it';
  logger.warn(`Tool "${tool.name}" (${version}) is deprecated: ${instead}.${message ? ` ${message}` : ''}`, {
    tool: tool.name,
    version,
    ...(replacement ? { replacement } : {}),
  });
}

/** Forgets which deprecations were warned about. For tests only: production warns once per process. */
export function resetDeprecationWarnings(): void {
  warned.clear();
}
