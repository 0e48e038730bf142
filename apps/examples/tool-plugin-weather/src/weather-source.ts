import type { Units, WeatherSourceName } from './options.js';

/** What a source is asked: a city, the units to answer in, and the signal of the tool call. */
export interface WeatherQuery {
  city: string;
  units: Units;
  /** The tool call's signal: aborted when the run is cancelled or the tool times out. */
  signal: AbortSignal;
}

/** The weather now in one city, in the query's units. */
export interface CurrentWeather {
  /** The city's name as the source knows it (Open-Meteo: the geocoded name). */
  city: string;
  country: string | undefined;
  temperature: number;
  windSpeed: number;
  /** WMO weather interpretation code. */
  weatherCode: number;
  /** ISO 8601 time of the observation. */
  observedAt: string;
}

/** One day of a forecast, in the query's units. */
export interface DailyWeather {
  /** `YYYY-MM-DD`, in the city's time zone. */
  date: string;
  min: number;
  max: number;
  weatherCode: number;
}

/** A city's forecast, today first. */
export interface CityForecast {
  city: string;
  country: string | undefined;
  days: DailyWeather[];
}

/** Where weather comes from. Tools depend on this seam only, so sources are interchangeable. */
export interface WeatherSource {
  readonly name: WeatherSourceName;
  current(query: WeatherQuery): Promise<CurrentWeather>;
  /** `days` (1-7) days, today first. */
  forecast(query: WeatherQuery & { days: number }): Promise<CityForecast>;
}
