import { temperatureIn, windSpeedIn } from './units.js';
import type { CityForecast, CurrentWeather, WeatherQuery, WeatherSource } from './weather-source.js';
import { WMO_CODES } from './wmo-codes.js';

// Snow and freezing rain only where it is cold enough, so demo answers stay plausible.
const FREEZING_CODES: ReadonlySet<number> = new Set([56, 57, 66, 67, 71, 73, 75, 77, 85, 86]);
const COLD_CODES = WMO_CODES.filter((code) => code < 45 || FREEZING_CODES.has(code));
const MILD_CODES = WMO_CODES.filter((code) => !FREEZING_CODES.has(code));

const QUARTER_HOUR_MS = 15 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** One demo day, in metric units. */
interface DemoDay {
  min: number;
  max: number;
  windKmh: number;
  weatherCode: number;
}

/**
 * Made-up weather, the same for a city every time: derived from a hash of its name, so a host
 * works with no network and no key (CI, a laptop on a plane, the reference server's first run).
 * Tools mark its answers `source: 'demo'` so neither the model nor the user mistakes them for
 * real weather.
 */
export class DemoWeatherSource implements WeatherSource {
  readonly name = 'demo';

  /** @param now The clock for `observedAt` and forecast dates; a seam for tests. */
  constructor(private readonly now: () => Date = () => new Date()) {}

  async current(query: WeatherQuery): Promise<CurrentWeather> {
    const day = demoDay(query.city, 0);
    const observedAt = new Date(Math.floor(this.now().getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);
    return {
      city: displayName(query.city),
      country: undefined,
      temperature: temperatureIn((day.min + day.max) / 2, query.units),
      windSpeed: windSpeedIn(day.windKmh, query.units),
      weatherCode: day.weatherCode,
      observedAt: observedAt.toISOString(),
    };
  }

  async forecast(query: WeatherQuery & { days: number }): Promise<CityForecast> {
    const today = this.now().getTime();
    const days = Array.from({ length: query.days }, (_, index) => {
      const day = demoDay(query.city, index);
      return {
        date: new Date(today + index * DAY_MS).toISOString().slice(0, 10),
        min: temperatureIn(day.min, query.units),
        max: temperatureIn(day.max, query.units),
        weatherCode: day.weatherCode,
      };
    });
    return { city: displayName(query.city), country: undefined, days };
  }
}

/** Day `index` (0 = today) of a city's demo weather. */
function demoDay(city: string, index: number): DemoDay {
  const key = city.trim().toLowerCase();
  // The city sets the climate (-5..30 °C); each day varies around it.
  const climate = -5 + (fnv1a(key) % 3_500) / 100;
  const hash = fnv1a(`${key}#${index}`);
  const middle = climate + ((hash % 600) / 100 - 3);
  const spread = 2 + ((hash >>> 10) % 600) / 100;
  const max = middle + spread / 2;
  const codes = max <= 1 ? COLD_CODES : MILD_CODES;
  return {
    min: middle - spread / 2,
    max,
    windKmh: ((hash >>> 4) % 400) / 10,
    weatherCode: codes[(hash >>> 16) % codes.length] ?? 0,
  };
}

// The demo has no gazetteer to look the proper name up in, so the name is only trimmed.
function displayName(city: string): string {
  return city.trim();
}

/** 32-bit FNV-1a: tiny, stable across Node versions, and spreads similar names apart. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
