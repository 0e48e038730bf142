import { loadPluginForTest, type PluginUnderTest } from '@agent/tools/testing';
import { afterEach } from 'vitest';
import { plugin } from '../plugin.js';
import { type FakeOpenMeteo, type FakeResponder, startFakeOpenMeteo } from './fake-open-meteo.js';

/** The plugin pointed at a fake Open-Meteo, and that fake. */
export interface WeatherUnderTest {
  api: FakeOpenMeteo;
  loaded: PluginUnderTest;
}

/**
 * Registers an `afterEach` that closes everything started, and returns the function that starts a
 * fake Open-Meteo (answering with `respond`, else like the real one) and loads the plugin with
 * its URLs plus `options`. Call at the top of a test file.
 */
export function useWeatherUnderTest(): {
  setup(options?: Record<string, unknown>, respond?: FakeResponder): Promise<WeatherUnderTest>;
  cleanups: (() => Promise<void>)[];
} {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    cleanups,
    async setup(options = {}, respond) {
      const api = await startFakeOpenMeteo(respond);
      cleanups.push(api.close);
      const loaded = await loadPluginForTest(plugin, { options: { ...api.options, ...options } });
      cleanups.push(loaded.close);
      return { api, loaded };
    },
  };
}

/** The query string of the first forecast request the fake received, as an object. */
export function forecastQuery(api: FakeOpenMeteo): Record<string, string> {
  const request = api.requests.find((url) => url.pathname === '/wx/v1/forecast');
  return Object.fromEntries(request?.searchParams ?? []);
}
