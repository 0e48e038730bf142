import { z } from 'zod';

/** Where the weather comes from: the free Open-Meteo API, or offline demo data. */
export type WeatherSourceName = 'open-meteo' | 'demo';

/** `metric`: °C and km/h. `imperial`: °F and mph. */
export type Units = 'metric' | 'imperial';

/** The plugin's options, after defaults (the config entry's `plugins[].options`). */
export interface WeatherOptions {
  /** @default 'open-meteo' */
  source: WeatherSourceName;
  /** Open-Meteo's forecast API. @default 'https://api.open-meteo.com' */
  baseUrl: string;
  /** Open-Meteo's geocoding API (city name → coordinates). @default 'https://geocoding-api.open-meteo.com' */
  geocodingUrl: string;
  /** Units when a call does not choose. @default 'metric' */
  units: Units;
  /** Time one tool call (geocoding + forecast) may take, in ms. @default 10_000 */
  timeoutMs: number;
}

/** Longest `timeoutMs` accepted: a tool call that waits longer than this stalls the agent. */
export const MAX_TIMEOUT_MS = 120_000;

const httpUrl = (field: string) =>
  z
    .url({
      protocol: /^https?$/,
      error: `must be an http(s) URL such as "https://${field === 'baseUrl' ? 'api' : 'geocoding-api'}.open-meteo.com"`,
    })
    // Paths are appended (`/v1/forecast`), so a trailing slash would double up.
    .transform((url) => url.replace(/\/+$/, ''));

const optionsSchema = z.strictObject({
  source: z
    .enum(['open-meteo', 'demo'], { error: 'must be "open-meteo" (live data) or "demo" (offline data)' })
    .default('open-meteo'),
  baseUrl: httpUrl('baseUrl').default('https://api.open-meteo.com'),
  geocodingUrl: httpUrl('geocodingUrl').default('https://geocoding-api.open-meteo.com'),
  units: z
    .enum(['metric', 'imperial'], { error: 'must be "metric" (°C, km/h) or "imperial" (°F, mph)' })
    .default('metric'),
  timeoutMs: z
    .number({ error: 'must be a number of milliseconds, e.g. 10000' })
    .int('must be a whole number of milliseconds, e.g. 10000')
    .positive('must be more than 0 milliseconds, e.g. 10000')
    .max(MAX_TIMEOUT_MS, `must be at most ${MAX_TIMEOUT_MS} ms (2 minutes)`)
    .default(10_000),
});

const KNOWN_OPTIONS = Object.keys(optionsSchema.shape).join(', ');

/**
 * Validates the config entry's options and fills in the defaults. Throws an `Error` naming every
 * bad `options.<field>` and how to fix it; the host's loader reports it as `PLUGIN_LOAD_FAILED`.
 *
 * @example
 * ```ts
 * parseWeatherOptions({ source: 'demo' }); // { source: 'demo', units: 'metric', timeoutMs: 10000, ... }
 * parseWeatherOptions({ units: 'kelvin' }); // throws: options.units must be "metric" (°C, km/h) or "imperial" ...
 * ```
 */
export function parseWeatherOptions(raw: Readonly<Record<string, unknown>>): WeatherOptions {
  const parsed = optionsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(
        (key) => `options.${key} is not an option of this plugin (known: ${KNOWN_OPTIONS})`,
      );
    }
    return [`options.${issue.path.join('.')} ${issue.message} (got ${describe(raw, issue.path)})`];
  });
  throw new Error(
    `Invalid options for @acme/agent-tools-weather: ${problems.join('; ')}. Fix them under plugins[].options in your config.`,
  );
}

function describe(raw: Readonly<Record<string, unknown>>, path: readonly PropertyKey[]): string {
  const value = raw[String(path[0])];
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
