/**
 * Test doubles for code built on `@agent/core`. Free of any test runner.
 * @module
 */

/** Builders of valid `AgentEvent`s for tests (`started`, `step`, `responded`, `completed`, `failed`, `cancelled`). */
export * as testEvents from './agent-events.js';
export type { ScriptedCall, ScriptedModelOptions, ScriptedStep } from './scripted-model.js';
export { ScriptedModel, textResponse, toolCallResponse, toolCallsResponse } from './scripted-model.js';
export { testToolContext } from './tool-context.js';
