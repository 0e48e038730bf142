import { defineTool } from '@agent/core';
import { z } from 'zod';
import type { Units } from './options.js';
import { cityInput, provenance, provenanceOutput, unitsField } from './tool-fields.js';
import type { WeatherSource } from './weather-source.js';
import { describeWeatherCode } from './wmo-codes.js';

/** Most days `forecast` returns: Open-Meteo forecasts 16, but beyond a week they mislead more than help. */
export const MAX_FORECAST_DAYS = 7;

/** `forecast` 1.0.0: daily minimum, maximum and conditions for up to a week, today first. */
export function forecastTool(source: WeatherSource, units: Units) {
  return defineTool({
    name: 'forecast',
    version: '1.0.0',
    description: `Daily weather forecast of a city for 1-${MAX_FORECAST_DAYS} days, today first: minimum and maximum temperature (${units === 'metric' ? '°C' : '°F'}) and conditions.`,
    input: z.object({
      city: cityInput,
      days: z
        .number()
        .int('must be a whole number of days')
        .min(1, 'must be at least 1')
        .max(MAX_FORECAST_DAYS, `must be at most ${MAX_FORECAST_DAYS}`)
        .describe(`How many days, 1-${MAX_FORECAST_DAYS}; 1 is today only.`),
    }),
    output: z.object({
      city: z.string(),
      country: z.string().optional(),
      units: unitsField,
      days: z.array(
        z.object({
          date: z.string().describe("YYYY-MM-DD, in the city's time zone."),
          min: z.number(),
          max: z.number(),
          conditions: z.string(),
        }),
      ),
      ...provenanceOutput,
    }),
    async execute({ city, days }, context) {
      const forecast = await source.forecast({ city, days, units, signal: context.signal });
      return {
        city: forecast.city,
        ...(forecast.country !== undefined ? { country: forecast.country } : {}),
        units,
        days: forecast.days.map((day) => ({
          date: day.date,
          min: day.min,
          max: day.max,
          conditions: describeWeatherCode(day.weatherCode),
        })),
        ...provenance(source),
      };
    },
  });
}
