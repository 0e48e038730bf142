/**
 * Test doubles for code built on `@agent/core`. Free of any test runner.
 * @module
 */

export type { ScriptedCall, ScriptedModelOptions, ScriptedStep } from './scripted-model.js';
export { ScriptedModel, textResponse, toolCallResponse, toolCallsResponse } from './scripted-model.js';
