import type { Plugin } from './plugin-types.js';

/**
 * Marks objects made by `definePlugin`. A registered symbol (`Symbol.for`) is the same in every
 * copy of `@agent/tools`, so a plugin built against another installed copy is still recognised
 * where `instanceof` or a module-local symbol would not be.
 */
export const PLUGIN_BRAND: unique symbol = Symbol.for('@agent/tools.plugin');

/**
 * Whether `value` carries the plugin brand (was made by `definePlugin` of any `@agent/tools`
 * copy). Says nothing about the manifest being valid: the loader validates it again.
 *
 * @example
 * ```ts
 * const module = await import('@acme/agent-tools-weather');
 * if (isPlugin(module.default)) console.log(module.default.name);
 * ```
 */
export function isPlugin(value: unknown): value is Plugin {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true
  );
}
