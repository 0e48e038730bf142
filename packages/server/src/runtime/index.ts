export { KNOWN_PROVIDERS } from './build-models.js';
export type { ServerRuntimeOptions } from './create-server-runtime.js';
export { createServerRuntime } from './create-server-runtime.js';
export type { DemoModelOptions } from './demo-model.js';
export { createDemoModel } from './demo-model.js';
export { createDemoTools } from './demo-tools.js';
