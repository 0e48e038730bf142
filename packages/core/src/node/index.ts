// The Node-only entry, `@agent/core/node`: everything here may touch the file system or
// `process`, which is why it is kept out of the browser-safe main entry.

export type { ParseDotenvOptions } from './dotenv.js';
export { loadDotenv, parseDotenv } from './dotenv.js';
export type { LoadConfigOptions, LoadedConfig, ParseConfigTextOptions } from './load-config.js';
export { loadConfig, parseConfigText } from './load-config.js';
