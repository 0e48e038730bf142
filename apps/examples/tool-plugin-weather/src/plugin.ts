import { definePlugin, type Plugin } from '@agent/tools';
import { DemoWeatherSource } from './demo-source.js';
import { forecastTool } from './forecast-tool.js';
import { OpenMeteoSource } from './open-meteo-source.js';
import { parseWeatherOptions, type WeatherOptions } from './options.js';
import type { WeatherSource } from './weather-source.js';
import { weatherV1, weatherV2 } from './weather-tools.js';

/**
 * The weather tool package: `weather` 1.3.0 (deprecated), `weather` 2.0.0 and `forecast` 1.0.0,
 * backed by Open-Meteo or, with `source: demo`, by offline demo data.
 *
 * @example
 * ```yaml
 * plugins:
 *   - from: '@acme/agent-tools-weather'
 *     options: { units: imperial }
 * agents:
 *   assistant:
 *     tools: [weather@^2, forecast]
 * ```
 */
export const plugin: Plugin = definePlugin({
  name: '@acme/agent-tools-weather',
  version: '2.0.0',
  sdk: '^0.1.0',
  description: 'Current weather and forecasts by city name (Open-Meteo, or offline demo data).',
  tools: (context) => {
    // Throws on bad options; the host's loader reports it as PLUGIN_LOAD_FAILED with our message.
    const options = parseWeatherOptions(context.options);
    const source = createSource(options);
    context.logger.info(
      options.source === 'demo'
        ? 'Weather tools use demo data: answers are made up from the city name, not real weather.'
        : `Weather tools use Open-Meteo at ${options.baseUrl}.`,
      { source: options.source, units: options.units },
    );
    return [weatherV1(source), weatherV2(source, options.units), forecastTool(source, options.units)];
  },
});

function createSource(options: WeatherOptions): WeatherSource {
  return options.source === 'demo' ? new DemoWeatherSource() : new OpenMeteoSource(options);
}
