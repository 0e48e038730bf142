export type { CollectedStream } from './collect.js';
export { collect } from './collect.js';
export type { ConformanceOptions } from './conformance-context.js';
export { describeLanguageModelConformance } from './describe-language-model-conformance.js';
