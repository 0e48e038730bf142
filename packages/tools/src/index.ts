/**
 * `@agent/tools`: built-in tools, the plugin format for tool packages, versioned tool catalogs and
 * JSON Schema / OpenAPI export. MCP lives in `@agent/tools/mcp`, the plugin test kit in
 * `@agent/tools/testing`.
 */

// Built-in tools
export {
  type AddressCategory,
  type AddressClassification,
  classifyAddress,
  isPublicAddress,
} from './builtins/address-classifier.js';
export {
  BUILTIN_TOOL_NAMES,
  type BuiltinToolEnvironment,
  type BuiltinToolName,
  builtinTools,
  createBuiltinTool,
  isBuiltinToolName,
} from './builtins/builtin-tools.js';
export { type CalculatorOptions, type CalculatorOutput, calculator } from './builtins/calculator.js';
export { type CurrentTimeOptions, type CurrentTimeOutput, currentTime } from './builtins/current-time.js';
export { httpFetch } from './builtins/http-fetch.js';
export type {
  DialOverride,
  HttpFetchMethod,
  HttpFetchOptions,
  ResolvedAddress,
  ResolveHost,
} from './builtins/http-fetch-options.js';
export type { HttpFetchOutput } from './builtins/http-fetch-response.js';
export { type JsonQueryOptions, type JsonQueryOutput, jsonQuery } from './builtins/json-query.js';
export {
  type FileEntry,
  type ListFilesInput,
  type ListFilesOptions,
  type ListFilesOutput,
  listFiles,
} from './builtins/list-files.js';
export { type ReadFileOptions, type ReadFileOutput, readFile } from './builtins/read-file.js';

// Plugins, catalogs and export
export { type CatalogEntry, ToolCatalog, type ToolCatalogOptions } from './catalog/tool-catalog.js';
export { parseToolReference, type ToolReference } from './catalog/tool-reference.js';
export { toolsOpenApiDocument } from './export/openapi-document.js';
export type { OpenApiDocument, OpenApiOperation, ToolsOpenApiOptions } from './export/openapi-types.js';
export {
  JSON_SCHEMA_DIALECT,
  type JsonSchema,
  type ToolJsonSchemas,
  toolJsonSchemas,
} from './export/tool-json-schemas.js';
export { definePlugin } from './plugins/define-plugin.js';
export type { ImportModule } from './plugins/import-plugin.js';
export { loadPlugins } from './plugins/load-plugins.js';
export type {
  LoadedPlugin,
  LoadPluginsOptions,
  LoadPluginsResult,
  PluginEntryInput,
  PluginFailure,
} from './plugins/load-plugins-types.js';
export { isPlugin, PLUGIN_BRAND } from './plugins/plugin-brand.js';
export type {
  Plugin,
  PluginContext,
  PluginDispose,
  PluginSpec,
  PluginTools,
} from './plugins/plugin-types.js';
export { installedSdkVersion } from './plugins/sdk-compatibility.js';
