import { definePlugin } from '@agent/tools';
import { unitConvert } from './unit-convert.js';

/**
 * The plugin users add with `plugins: ['{{name}}']` in their agent.config.yaml. `sdk` is the
 * range of @agent/core this plugin works with: the loader refuses it elsewhere, with a clear error.
 */
export default definePlugin({
  name: '{{name}}',
  version: '0.1.0',
  sdk: '{{sdkRange}}',
  description: 'Converts between units of length, mass and temperature.',
  tools: [unitConvert],
});

export { unitConvert };
