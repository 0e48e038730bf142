import { definePlugin } from '@agent/tools';
import { orderStatus } from './order-status.js';

/**
 * This project's own tools, as a plugin: agent.config.yaml loads it with
 * `plugins: [./tools/index.ts]`, and agents name its tools in their `tools` list.
 */
export default definePlugin({
  name: '{{name}}-tools',
  version: '0.1.0',
  sdk: '{{sdkRange}}',
  tools: [orderStatus],
});
