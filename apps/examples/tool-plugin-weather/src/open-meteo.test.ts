import { callTool } from '@agent/tools/testing';
import { describe, expect, it } from 'vitest';
import { FAKE_WEATHER } from './__fixtures__/fake-open-meteo.js';
import { forecastQuery, useWeatherUnderTest } from './__fixtures__/weather-under-test.js';

const { setup } = useWeatherUnderTest();

describe('weather 2.0.0 against Open-Meteo', () => {
  it('geocodes the city, then reads current conditions in metric units', async () => {
    const { api, loaded } = await setup();

    const output = await callTool(loaded.tool('weather@^2'), { city: 'Berlin' });

    expect(output).toEqual({
      city: 'Berlin',
      country: 'Deutschland',
      temperature: 12.3,
      units: 'metric',
      conditions: 'slight rain',
      windSpeed: 10.8,
      observedAt: '2025-03-14T09:15+01:00',
      source: 'open-meteo',
    });
    expect(api.requests.map((url) => url.pathname)).toEqual(['/geo/v1/search', '/wx/v1/forecast']);
    expect(Object.fromEntries(api.requests[0]?.searchParams ?? [])).toEqual({ name: 'Berlin', count: '1' });
    expect(forecastQuery(api)).toEqual({
      latitude: '52.52437',
      longitude: '13.41053',
      current: 'temperature_2m,weather_code,wind_speed_10m',
      daily: 'temperature_2m_max,temperature_2m_min,weather_code',
      forecast_days: '1',
      temperature_unit: 'celsius',
      wind_speed_unit: 'kmh',
      timezone: 'auto',
    });
  });

  it('asks Open-Meteo for °F and mph when the call asks for imperial units', async () => {
    const { api, loaded } = await setup();

    const output = await callTool(loaded.tool('weather'), { city: 'Berlin', units: 'imperial' });

    expect(output).toMatchObject({
      temperature: FAKE_WEATHER.fahrenheit.temperature,
      windSpeed: FAKE_WEATHER.mph,
      units: 'imperial',
    });
    expect(forecastQuery(api)).toMatchObject({ temperature_unit: 'fahrenheit', wind_speed_unit: 'mph' });
  });

  it('uses the units option as the default, and a call can still ask for metric', async () => {
    const { api, loaded } = await setup({ units: 'imperial' });

    const byDefault = await callTool(loaded.tool('weather'), { city: 'Berlin' });
    const metric = await callTool(loaded.tool('weather'), { city: 'Berlin', units: 'metric' });

    expect(byDefault).toMatchObject({ temperature: 54.1, units: 'imperial' });
    expect(metric).toMatchObject({ temperature: 12.3, units: 'metric' });
    const units = api.requests
      .filter((url) => url.pathname === '/wx/v1/forecast')
      .map((url) => url.searchParams.get('temperature_unit'));
    expect(units).toEqual(['fahrenheit', 'celsius']);
  });

  it('sends city names with spaces and accents encoded', async () => {
    const { api, loaded } = await setup();

    const output = await callTool(loaded.tool('weather'), { city: '  São Paulo ' });

    expect(output).toMatchObject({ city: 'São Paulo', country: 'Brasil' });
    expect(api.requests[0]?.searchParams.get('name')).toBe('São Paulo');
    expect(forecastQuery(api)).toMatchObject({ latitude: '-23.5475', longitude: '-46.63611' });
  });
});

describe('weather 1.3.0 against Open-Meteo', () => {
  it('returns only the temperature, in °C even when the plugin defaults to imperial', async () => {
    const { api, loaded } = await setup({ units: 'imperial' });

    const output = await callTool(loaded.tool('weather@^1'), { city: 'Berlin' });

    expect(output).toEqual({ city: 'Berlin', temperatureC: 12.3, source: 'open-meteo' });
    expect(forecastQuery(api)).toMatchObject({ temperature_unit: 'celsius' });
  });
});

describe('forecast 1.0.0 against Open-Meteo', () => {
  it("passes the number of days and maps each day's weather code to words", async () => {
    const { api, loaded } = await setup();

    const output = await callTool(loaded.tool('forecast'), { city: 'Berlin', days: 3 });

    expect(output).toEqual({
      city: 'Berlin',
      country: 'Deutschland',
      units: 'metric',
      days: [
        { date: '2025-03-14', min: 8.1, max: 14.2, conditions: 'slight rain' },
        { date: '2025-03-15', min: 7.4, max: 13, conditions: 'overcast' },
        { date: '2025-03-16', min: 9.9, max: 15.5, conditions: 'clear sky' },
      ],
      source: 'open-meteo',
    });
    expect(forecastQuery(api)).toMatchObject({ forecast_days: '3', temperature_unit: 'celsius' });
  });

  it('forecasts in °F with the imperial option', async () => {
    const { api, loaded } = await setup({ units: 'imperial' });

    const output = await callTool(loaded.tool('forecast'), { city: 'Berlin', days: 7 });

    expect(output).toMatchObject({
      units: 'imperial',
      days: expect.arrayContaining([expect.objectContaining({ min: 46.6, max: 57.6 })]),
    });
    expect((output as { days: unknown[] }).days).toHaveLength(7);
    expect(forecastQuery(api)).toMatchObject({
      forecast_days: '7',
      temperature_unit: 'fahrenheit',
      wind_speed_unit: 'mph',
    });
  });
});
