import { z } from 'zod';

// The parts of Open-Meteo's JSON this plugin reads, checked so that a changed API fails with a
// clear message instead of `undefined` reaching the model.

/** `GET /v1/search`: `results` is left out entirely when nothing matched. */
export const geocodingResponse = z.object({
  results: z
    .array(
      z.object({
        name: z.string(),
        latitude: z.number(),
        longitude: z.number(),
        country: z.string().optional(),
      }),
    )
    .optional(),
});

const sameLength = (daily: { time: unknown[]; [key: string]: unknown[] }) =>
  Object.values(daily).every((values) => values.length === daily.time.length);

/** `GET /v1/forecast` with `current=temperature_2m,weather_code,wind_speed_10m` and the daily fields. */
export const forecastResponse = z.object({
  utc_offset_seconds: z.number(),
  current: z.object({
    /** Local time of the city (`timezone=auto`), `YYYY-MM-DDTHH:mm`, no offset. */
    time: z.string(),
    temperature_2m: z.number(),
    weather_code: z.number(),
    wind_speed_10m: z.number(),
  }),
  daily: z
    .object({
      time: z.array(z.string()),
      temperature_2m_max: z.array(z.number()),
      temperature_2m_min: z.array(z.number()),
      weather_code: z.array(z.number()),
    })
    .refine(sameLength, 'the daily arrays have different lengths'),
});

/** A parsed forecast response. */
export type ForecastResponse = z.infer<typeof forecastResponse>;

/** Parses `body` with `schema`, or throws saying the API answered in a shape this plugin does not know. */
export function parseResponse<TSchema extends z.ZodType>(
  schema: TSchema,
  body: unknown,
  what: string,
): z.output<TSchema> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new Error(
    `${what} answered in an unexpected format (${issues}). The API may have changed: update @acme/agent-tools-weather, or report it to its author.`,
  );
}

/** `2024-05-01T14:15` local time + `utc_offset_seconds` → `2024-05-01T14:15+02:00`. */
export function withUtcOffset(localTime: string, offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const minutes = Math.abs(Math.round(offsetSeconds / 60));
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${localTime}${sign}${hh}:${mm}`;
}
