/**
 * `@acme/agent-tools-weather`: weather tools for Agent SDK agents, as a tool package. Hosts load
 * the default export (or `plugin`) from the config's `plugins` list.
 * @module
 */

export type { Units, WeatherOptions, WeatherSourceName } from './options.js';
export { plugin, plugin as default } from './plugin.js';
