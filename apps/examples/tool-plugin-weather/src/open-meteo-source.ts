import { timedAbort } from '@agent/core';
import { getJson } from './http-json.js';
import { forecastResponse, geocodingResponse, parseResponse, withUtcOffset } from './open-meteo-schemas.js';
import type { Units, WeatherOptions } from './options.js';
import { openMeteoUnitParams } from './units.js';
import type { CityForecast, CurrentWeather, WeatherQuery, WeatherSource } from './weather-source.js';

interface Place {
  name: string;
  country: string | undefined;
  latitude: number;
  longitude: number;
}

/**
 * Live weather from Open-Meteo (free, no API key): the city is geocoded first, then its forecast
 * is fetched. Both requests share one deadline of `options.timeoutMs`.
 */
export class OpenMeteoSource implements WeatherSource {
  readonly name = 'open-meteo';

  constructor(private readonly options: Pick<WeatherOptions, 'baseUrl' | 'geocodingUrl' | 'timeoutMs'>) {}

  async current(query: WeatherQuery): Promise<CurrentWeather> {
    return this.withDeadline(query.signal, async (signal) => {
      const place = await this.geocode(query.city, signal);
      const { current, utc_offset_seconds } = await this.fetchForecast(place, 1, query.units, signal);
      return {
        city: place.name,
        country: place.country,
        temperature: current.temperature_2m,
        windSpeed: current.wind_speed_10m,
        weatherCode: current.weather_code,
        observedAt: withUtcOffset(current.time, utc_offset_seconds),
      };
    });
  }

  async forecast(query: WeatherQuery & { days: number }): Promise<CityForecast> {
    return this.withDeadline(query.signal, async (signal) => {
      const place = await this.geocode(query.city, signal);
      const { daily } = await this.fetchForecast(place, query.days, query.units, signal);
      const days = daily.time.map((date, index) => ({
        date,
        // `sameLength` in the schema makes these indexes safe.
        min: daily.temperature_2m_min[index] as number,
        max: daily.temperature_2m_max[index] as number,
        weatherCode: daily.weather_code[index] as number,
      }));
      return { city: place.name, country: place.country, days };
    });
  }

  private async geocode(city: string, signal: AbortSignal): Promise<Place> {
    const url = new URL(`${this.options.geocodingUrl}/v1/search`);
    url.search = new URLSearchParams({ name: city, count: '1' }).toString();
    const label = { what: 'Open-Meteo geocoding', option: 'geocodingUrl' };
    const body = parseResponse(geocodingResponse, await getJson(url, label, signal), label.what);
    const place = body.results?.[0];
    if (!place) {
      throw new Error(
        `City "${city}" was not found. Check the spelling, or use the city's English name without region or country.`,
      );
    }
    return { name: place.name, country: place.country, latitude: place.latitude, longitude: place.longitude };
  }

  private async fetchForecast(place: Place, days: number, units: Units, signal: AbortSignal) {
    const url = new URL(`${this.options.baseUrl}/v1/forecast`);
    url.search = new URLSearchParams({
      latitude: String(place.latitude),
      longitude: String(place.longitude),
      current: 'temperature_2m,weather_code,wind_speed_10m',
      daily: 'temperature_2m_max,temperature_2m_min,weather_code',
      forecast_days: String(days),
      ...openMeteoUnitParams(units),
      timezone: 'auto',
    }).toString();
    const label = { what: 'Open-Meteo forecast', option: 'baseUrl' };
    return parseResponse(forecastResponse, await getJson(url, label, signal), label.what);
  }

  /** Runs `work` with the call's signal plus the plugin's own deadline, and names a timeout as such. */
  private async withDeadline<T>(
    callSignal: AbortSignal,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    // timedAbort, not AbortSignal.any: see its doc (a per-call composite signal leaks on Node 20).
    const timed = timedAbort(callSignal, this.options.timeoutMs);
    try {
      return await work(timed.signal);
    } catch (error) {
      // A cancelled run is not a timeout: let the host see its own abort.
      if (!timed.timedOut || callSignal.aborted) throw error;
      throw new Error(
        `Open-Meteo did not answer within ${this.options.timeoutMs} ms. Try again later; if it keeps happening, raise options.timeoutMs.`,
        { cause: error },
      );
    } finally {
      timed.dispose();
    }
  }
}
