import { callTool, loadPluginForTest, type PluginUnderTest } from '@agent/tools/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DemoWeatherSource } from './demo-source.js';
import { plugin } from './plugin.js';

const signal = new AbortController().signal;
const fixedClock = () => new Date('2025-03-14T09:22:41.123Z');

describe('DemoWeatherSource', () => {
  it('gives a city the same weather every time, whatever its case and spacing', async () => {
    const source = new DemoWeatherSource(fixedClock);

    const first = await source.current({ city: 'Oslo', units: 'metric', signal });
    const again = await source.current({ city: '  oSLO ', units: 'metric', signal });

    expect({ ...again, city: 'Oslo' }).toEqual(first);
    expect(again.city).toBe('oSLO');
    expect(first).toMatchObject({ city: 'Oslo', country: undefined, observedAt: '2025-03-14T09:15:00.000Z' });
  });

  it('gives different cities different weather', async () => {
    const source = new DemoWeatherSource(fixedClock);
    const cities = ['Oslo', 'Cairo', 'Lima', 'Tokyo', 'Perth', 'Reykjavik'];

    const weather = await Promise.all(
      cities.map((city) => source.current({ city, units: 'metric', signal })),
    );

    expect(new Set(weather.map((current) => current.temperature)).size).toBeGreaterThan(3);
    for (const current of weather) {
      expect(current.temperature).toBeGreaterThanOrEqual(-11);
      expect(current.temperature).toBeLessThanOrEqual(36);
      expect(current.windSpeed).toBeGreaterThanOrEqual(0);
      expect(current.windSpeed).toBeLessThan(40);
    }
  });

  it('converts to °F and mph for imperial units', async () => {
    const source = new DemoWeatherSource(fixedClock);

    const metric = await source.current({ city: 'Lima', units: 'metric', signal });
    const imperial = await source.current({ city: 'Lima', units: 'imperial', signal });

    expect(imperial.temperature).toBeCloseTo((metric.temperature * 9) / 5 + 32, 0);
    expect(imperial.windSpeed).toBeCloseTo(metric.windSpeed / 1.609344, 0);
    expect(imperial.weatherCode).toBe(metric.weatherCode);
  });

  it('forecasts consecutive days from today, each with min ≤ max', async () => {
    const source = new DemoWeatherSource(fixedClock);

    const forecast = await source.forecast({ city: 'Cairo', days: 4, units: 'metric', signal });
    const imperial = await source.forecast({ city: 'Cairo', days: 4, units: 'imperial', signal });

    expect(forecast.days.map((day) => day.date)).toEqual([
      '2025-03-14',
      '2025-03-15',
      '2025-03-16',
      '2025-03-17',
    ]);
    for (const [index, day] of forecast.days.entries()) {
      expect(day.min).toBeLessThan(day.max);
      expect(imperial.days[index]?.max).toBeCloseTo((day.max * 9) / 5 + 32, 0);
    }
    expect(new Set(forecast.days.map((day) => day.max)).size).toBeGreaterThan(1);
  });

  it('snows only on days that are freezing', async () => {
    const source = new DemoWeatherSource(fixedClock);
    const snow = new Set([56, 57, 66, 67, 71, 73, 75, 77, 85, 86]);
    const cities = Array.from({ length: 60 }, (_, index) => `City ${index}`);

    const forecasts = await Promise.all(
      cities.map((city) => source.forecast({ city, days: 7, units: 'metric', signal })),
    );
    const days = forecasts.flatMap((forecast) => forecast.days);

    const snowy = days.filter((day) => snow.has(day.weatherCode));
    expect(snowy.length).toBeGreaterThan(0);
    for (const day of snowy) expect(day.max).toBeLessThanOrEqual(1);
  });
});

describe('the tools with source: demo', () => {
  let loaded: PluginUnderTest;
  beforeEach(async () => {
    loaded = await loadPluginForTest(plugin, { options: { source: 'demo' } });
  });
  afterEach(() => loaded.close());

  it('marks weather 2.0.0 answers as demo data that is not real weather', async () => {
    const output = await callTool(loaded.tool('weather'), { city: 'Tokyo' });

    expect(output).toMatchObject({
      city: 'Tokyo',
      units: 'metric',
      source: 'demo',
      notice: expect.stringMatching(/not real weather/),
      conditions: expect.not.stringMatching(/unknown/),
      observedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:(00|15|30|45):00\.000Z$/),
    });
    expect(output).not.toHaveProperty('country');
  });

  it('gives weather 1.3.0 the same °C temperature as weather 2.0.0 in metric', async () => {
    const v1 = await callTool(loaded.tool('weather@^1'), { city: 'Perth' });
    const v2 = (await callTool(loaded.tool('weather@^2'), { city: 'Perth' })) as { temperature: number };

    expect(v1).toEqual({
      city: 'Perth',
      temperatureC: v2.temperature,
      source: 'demo',
      notice: expect.any(String),
    });
  });

  it('forecasts the number of days asked for, each with conditions in words', async () => {
    const output = (await callTool(loaded.tool('forecast'), { city: 'Lima', days: 5 })) as {
      days: { conditions: string }[];
      source: string;
    };

    expect(output.days).toHaveLength(5);
    expect(output.source).toBe('demo');
    for (const day of output.days) expect(day.conditions).toMatch(/^[a-z ]+$/);
  });

  it('answers in imperial units when the plugin is configured so', async () => {
    const imperial = await loadPluginForTest(plugin, { options: { source: 'demo', units: 'imperial' } });
    const metricOutput = (await callTool(loaded.tool('weather'), { city: 'Oslo' })) as {
      temperature: number;
    };

    const output = (await callTool(imperial.tool('weather'), { city: 'Oslo' })) as {
      temperature: number;
      units: string;
    };
    await imperial.close();

    expect(output.units).toBe('imperial');
    expect(output.temperature).toBeCloseTo((metricOutput.temperature * 9) / 5 + 32, 0);
  });
});
