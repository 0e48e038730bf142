import { defineTool } from '@agent/core';
import { z } from 'zod';
import type { Units } from './options.js';
import { cityInput, provenance, provenanceOutput, unitsField } from './tool-fields.js';
import type { WeatherSource } from './weather-source.js';
import { describeWeatherCode } from './wmo-codes.js';

/**
 * `weather` 1.3.0: the temperature in °C only. Kept, deprecated, so agents pinned to
 * `weather@^1` keep working while they move to 2.x; hosts log the deprecation once.
 */
export function weatherV1(source: WeatherSource) {
  return defineTool({
    name: 'weather',
    version: '1.3.0',
    deprecated: {
      replacement: 'weather@2',
      message: 'v1 returns only the temperature; v2 adds conditions and wind',
    },
    description: 'Current temperature of a city, in °C.',
    input: z.object({ city: cityInput }),
    output: z.object({ city: z.string(), temperatureC: z.number(), ...provenanceOutput }),
    async execute({ city }, context) {
      // v1's contract is °C whatever the plugin's `units` option says.
      const current = await source.current({ city, units: 'metric', signal: context.signal });
      return { city: current.city, temperatureC: current.temperature, ...provenance(source) };
    },
  });
}

/** `weather` 2.0.0: temperature, conditions and wind now, in the units asked for. */
export function weatherV2(source: WeatherSource, defaultUnits: Units) {
  return defineTool({
    name: 'weather',
    version: '2.0.0',
    description: `Current weather of a city: temperature, conditions and wind speed. Units default to ${defaultUnits}.`,
    input: z.object({ city: cityInput, units: unitsField.optional() }),
    output: z.object({
      city: z.string(),
      country: z.string().optional(),
      temperature: z.number(),
      units: unitsField,
      conditions: z.string(),
      windSpeed: z.number(),
      observedAt: z.string().describe('ISO 8601 time of the observation.'),
      ...provenanceOutput,
    }),
    async execute({ city, units = defaultUnits }, context) {
      const current = await source.current({ city, units, signal: context.signal });
      return {
        city: current.city,
        ...(current.country !== undefined ? { country: current.country } : {}),
        temperature: current.temperature,
        units,
        conditions: describeWeatherCode(current.weatherCode),
        windSpeed: current.windSpeed,
        observedAt: current.observedAt,
        ...provenance(source),
      };
    },
  });
}
