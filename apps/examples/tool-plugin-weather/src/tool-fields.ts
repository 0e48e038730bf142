import { z } from 'zod';
import type { WeatherSource } from './weather-source.js';

/** The `city` argument every tool takes. */
export const cityInput = z
  .string()
  .trim()
  .min(1, 'is empty: give a city name such as "Oslo"')
  .max(100, 'is longer than 100 characters: give just the city name')
  .describe('City name, e.g. "Oslo" or "New York". English names match best.');

/** The `units` argument and output field. */
export const unitsField = z
  .enum(['metric', 'imperial'])
  .describe('metric: °C and km/h; imperial: °F and mph.');

/** Told to the model with every demo answer, so made-up weather is never passed off as real. */
export const DEMO_NOTICE = 'Demo data generated offline from the city name: not real weather.';

/** Output fields saying where the weather came from. */
export const provenanceOutput = {
  source: z.enum(['open-meteo', 'demo']).describe('Where the data came from; "demo" is not real weather.'),
  notice: z.string().optional(),
};

/** The provenance fields of an answer from `source`. */
export function provenance(source: WeatherSource): { source: WeatherSource['name']; notice?: string } {
  return source.name === 'demo' ? { source: source.name, notice: DEMO_NOTICE } : { source: source.name };
}
