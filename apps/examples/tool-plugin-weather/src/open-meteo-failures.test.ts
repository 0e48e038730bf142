import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callTool, loadPluginForTest } from '@agent/tools/testing';
import { describe, expect, it, vi } from 'vitest';
import { useWeatherUnderTest } from './__fixtures__/weather-under-test.js';
import { plugin } from './plugin.js';

const { setup, cleanups } = useWeatherUnderTest();

describe('what the model is told when Open-Meteo cannot answer', () => {
  it('says an unknown city was not found and to check the spelling, without asking for a forecast', async () => {
    const { api, loaded } = await setup();

    const call = callTool(loaded.tool('weather'), { city: 'Atlantis' });

    await expect(call).rejects.toMatchObject({ code: 'TOOL_FAILED' });
    await expect(call).rejects.toThrow(/City "Atlantis" was not found\. Check the spelling/);
    expect(api.requests.map((url) => url.pathname)).toEqual(['/geo/v1/search']);
  });

  it('reports a 500 with its status and reason, and to try again later', async () => {
    const { loaded } = await setup({}, (path) =>
      path === '/wx/v1/forecast'
        ? { status: 500, body: { error: true, reason: 'Database unavailable' } }
        : undefined,
    );

    const call = callTool(loaded.tool('forecast'), { city: 'Berlin', days: 2 });

    await expect(call).rejects.toThrow(
      /Open-Meteo forecast answered HTTP 500 \(Database unavailable\)\. .*try again later/,
    );
  });

  it('blames the configured URL for a 4xx, naming the option', async () => {
    const { loaded } = await setup({}, (path) =>
      path === '/geo/v1/search' ? { status: 404, body: 'Not Found' } : undefined,
    );

    const call = callTool(loaded.tool('weather'), { city: 'Berlin' });

    await expect(call).rejects.toThrow(
      /Open-Meteo geocoding answered HTTP 404\. Check options\.geocodingUrl/,
    );
  });

  it('gives up after timeoutMs when the API never answers, and says so', async () => {
    const { api, loaded } = await setup({ timeoutMs: 150 }, () => 'hang');
    const started = Date.now();

    const call = callTool(loaded.tool('weather'), { city: 'Berlin' });

    await expect(call).rejects.toThrow(
      /Open-Meteo did not answer within 150 ms\. .*raise options\.timeoutMs/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(api.requests).toHaveLength(1);
    await vi.waitFor(() => expect(api.abandoned).toEqual(['/geo/v1/search']));
  });

  it('lets a cancelled run abort the request, without calling it a timeout', async () => {
    const { api, loaded } = await setup({ timeoutMs: 60_000 }, () => 'hang');
    const run = new AbortController();

    const call = callTool(loaded.tool('forecast'), { city: 'Berlin', days: 1 }, { signal: run.signal });
    await vi.waitFor(() => expect(api.requests).toHaveLength(1));
    run.abort();

    await expect(call).rejects.toMatchObject({ code: 'ABORTED' });
    await vi.waitFor(() => expect(api.abandoned).toEqual(['/geo/v1/search']));
  });

  it('explains a changed response format instead of returning undefined', async () => {
    const { loaded } = await setup({}, (path) =>
      path === '/wx/v1/forecast' ? { status: 200, body: { utc_offset_seconds: 0, hourly: {} } } : undefined,
    );

    const call = callTool(loaded.tool('weather'), { city: 'Berlin' });

    await expect(call).rejects.toThrow(
      /Open-Meteo forecast answered in an unexpected format \(current: .*\)\. The API may have changed/,
    );
  });

  it('refuses daily arrays of different lengths', async () => {
    const daily = {
      time: ['2025-03-14', '2025-03-15'],
      temperature_2m_max: [1, 2],
      temperature_2m_min: [0],
      weather_code: [0, 1],
    };
    const current = { time: '2025-03-14T10:00', temperature_2m: 1, weather_code: 0, wind_speed_10m: 3 };
    const { loaded } = await setup({}, (path) =>
      path === '/wx/v1/forecast'
        ? { status: 200, body: { utc_offset_seconds: 0, current, daily } }
        : undefined,
    );

    const call = callTool(loaded.tool('forecast'), { city: 'Berlin', days: 2 });

    await expect(call).rejects.toThrow(/daily: the daily arrays have different lengths/);
  });

  it('refuses a body that is not JSON', async () => {
    const { loaded } = await setup({}, () => ({ status: 200, body: '<html>captive portal</html>' }));

    await expect(callTool(loaded.tool('weather'), { city: 'Berlin' })).rejects.toThrow(
      /geocoding sent a body that is not JSON/,
    );
  });

  it('stops reading a body larger than 1 MB', async () => {
    const { loaded } = await setup({}, () => ({ status: 200, body: 'x'.repeat(1_500_000) }));

    await expect(callTool(loaded.tool('weather'), { city: 'Berlin' })).rejects.toThrow(
      /sent more than 1000000 bytes/,
    );
  });

  it('names the unreachable host and the option to check', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const loaded = await loadPluginForTest(plugin, { options: { geocodingUrl: `http://127.0.0.1:${port}` } });
    cleanups.push(loaded.close);

    const call = callTool(loaded.tool('weather'), { city: 'Berlin' });

    await expect(call).rejects.toThrow(
      new RegExp(
        `geocoding could not be reached at http://127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\).*options\\.geocodingUrl`,
      ),
    );
  });
});

describe('invalid tool input', () => {
  it.each([
    ['weather@^2', {}, /"city"/],
    ['weather@^2', { city: '   ' }, /"city" is empty/],
    ['weather@^2', { city: 'Berlin', units: 'kelvin' }, /"units"/],
    ['weather@^1', { city: 'x'.repeat(101) }, /"city" is longer than 100 characters/],
    ['forecast', { city: 'Berlin' }, /"days"/],
    ['forecast', { city: 'Berlin', days: 8 }, /"days" must be at most 7/],
    ['forecast', { city: 'Berlin', days: 0 }, /"days" must be at least 1/],
    ['forecast', { city: 'Berlin', days: 2.5 }, /"days" must be a whole number/],
  ])('%s refuses %j before any request is made', async (reference, input, message) => {
    const { api, loaded } = await setup();

    const call = callTool(loaded.tool(reference), input);

    await expect(call).rejects.toMatchObject({ code: 'TOOL_INPUT_INVALID', message });
    expect(api.requests).toEqual([]);
  });
});
