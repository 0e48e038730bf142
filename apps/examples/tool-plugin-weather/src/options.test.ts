import { loadPluginForTest } from '@agent/tools/testing';
import { describe, expect, it } from 'vitest';
import { parseWeatherOptions } from './options.js';
import { plugin } from './plugin.js';

describe('parseWeatherOptions', () => {
  it('fills in the defaults when the config gives no options', () => {
    expect(parseWeatherOptions({})).toEqual({
      source: 'open-meteo',
      baseUrl: 'https://api.open-meteo.com',
      geocodingUrl: 'https://geocoding-api.open-meteo.com',
      units: 'metric',
      timeoutMs: 10_000,
    });
  });

  it('keeps given values and drops trailing slashes from the URLs', () => {
    const options = parseWeatherOptions({
      source: 'demo',
      baseUrl: 'http://proxy.internal/open-meteo/',
      geocodingUrl: 'https://geo.example.com//',
      units: 'imperial',
      timeoutMs: 2_500,
    });

    expect(options).toEqual({
      source: 'demo',
      baseUrl: 'http://proxy.internal/open-meteo',
      geocodingUrl: 'https://geo.example.com',
      units: 'imperial',
      timeoutMs: 2_500,
    });
  });

  it('lists every bad field in one error', () => {
    expect(() => parseWeatherOptions({ units: 'kelvin', timeoutMs: -1 })).toThrow(
      /options\.units .*"kelvin".*; options\.timeoutMs .*-1/,
    );
  });
});

describe('invalid options, through the loader', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'source',
      { source: 'accuweather' },
      /options\.source must be "open-meteo" \(live data\) or "demo".*got "accuweather"/,
    ],
    ['baseUrl (not a URL)', { baseUrl: 'api.open-meteo.com' }, /options\.baseUrl must be an http\(s\) URL/],
    [
      'baseUrl (not http)',
      { baseUrl: 'ftp://api.open-meteo.com' },
      /options\.baseUrl must be an http\(s\) URL/,
    ],
    ['geocodingUrl', { geocodingUrl: 42 }, /options\.geocodingUrl must be an http\(s\) URL .*got 42/],
    ['units', { units: 'kelvin' }, /options\.units must be "metric" \(°C, km\/h\) or "imperial"/],
    [
      'timeoutMs (a string)',
      { timeoutMs: '10000' },
      /options\.timeoutMs must be a number of milliseconds.*got "10000"/,
    ],
    ['timeoutMs (zero)', { timeoutMs: 0 }, /options\.timeoutMs must be more than 0/],
    ['timeoutMs (a fraction)', { timeoutMs: 1.5 }, /options\.timeoutMs must be a whole number/],
    ['timeoutMs (too long)', { timeoutMs: 600_000 }, /options\.timeoutMs must be at most 120000 ms/],
    [
      'an unknown key',
      { unit: 'metric' },
      /options\.unit is not an option of this plugin \(known: source, baseUrl/,
    ],
  ];

  it.each(cases)(
    'refuses a bad %s with PLUGIN_LOAD_FAILED naming the field and the fix',
    async (_, options, message) => {
      const loading = loadPluginForTest(plugin, { options });

      await expect(loading).rejects.toMatchObject({ code: 'PLUGIN_LOAD_FAILED', message });
      await expect(loading).rejects.toThrow(/Fix them under plugins\[\]\.options in your config/);
    },
  );
});
