/**
 * `@agent/tools/testing`: the test kit for plugin authors. Loads a plugin as a host would,
 * calls tools with the agent's validation, and runs a real agent with a `ScriptedModel`.
 */
export { resetDeprecationWarnings } from '../catalog/deprecation-warnings.js';
export { type CallToolOptions, callTool } from './call-tool.js';
export {
  type LoadPluginForTestOptions,
  loadPluginForTest,
  type PluginUnderTest,
} from './load-plugin-for-test.js';
export { type LogLine, recordingLogger } from './recording-logger.js';
export {
  type AgentToolRun,
  type RecordedToolCall,
  type RunAgentWithToolsOptions,
  runAgentWithTools,
} from './run-agent-with-tools.js';
