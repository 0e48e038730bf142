import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A place the fake geocoder knows, in Open-Meteo's field names. */
export interface FakePlace {
  name: string;
  latitude: number;
  longitude: number;
  country?: string;
}

/** How the fake answers one request; `undefined` falls through to the Open-Meteo-like default. */
export type FakeResponder = (
  path: string,
  query: URLSearchParams,
) => { status: number; body: unknown } | 'hang' | undefined;

/** A local HTTP server speaking Open-Meteo's wire format, on 127.0.0.1. */
export interface FakeOpenMeteo {
  /** Put these in the plugin's options: both APIs live under their own path prefix. */
  options: { baseUrl: string; geocodingUrl: string };
  /** Every request received, in order (path and query). */
  requests: URL[];
  /** Paths of the hanging requests whose client gave up (closed the connection). */
  abandoned: string[];
  close(): Promise<void>;
}

/** What the default forecast answers, per unit system (Open-Meteo converts server-side). */
export const FAKE_WEATHER = {
  celsius: {
    temperature: 12.3,
    min: [8.1, 7.4, 9.9, 6.0, 5.2, 7.7, 10.1],
    max: [14.2, 13.0, 15.5, 12.1, 11.8, 13.3, 16.0],
  },
  fahrenheit: {
    temperature: 54.1,
    min: [46.6, 45.3, 49.8, 42.8, 41.4, 45.9, 50.2],
    max: [57.6, 55.4, 59.9, 53.8, 53.2, 55.9, 60.8],
  },
  kmh: 10.8,
  mph: 6.7,
  weatherCode: 61,
  dailyCodes: [61, 3, 0, 95, 71, 45, 2],
  time: '2025-03-14T09:15',
  utcOffsetSeconds: 3_600,
} as const;

const PLACES: readonly FakePlace[] = [
  { name: 'Berlin', latitude: 52.52437, longitude: 13.41053, country: 'Deutschland' },
  { name: 'São Paulo', latitude: -23.5475, longitude: -46.63611, country: 'Brasil' },
];

/**
 * Starts the fake. Geocoding (`/geo/v1/search`) matches names case-insensitively against
 * `places`; forecast (`/wx/v1/forecast`) answers `forecast_days` days in the requested units.
 */
export async function startFakeOpenMeteo(respond?: FakeResponder, places = PLACES): Promise<FakeOpenMeteo> {
  const requests: URL[] = [];
  const abandoned: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const answer = respond?.(url.pathname, url.searchParams) ?? defaultAnswer(url, places);
    if (answer === 'hang') {
      request.on('close', () => abandoned.push(url.pathname));
      return;
    }
    response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
    // A string body is sent as is, to test bodies that are not JSON.
    response.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    options: { baseUrl: `${origin}/wx`, geocodingUrl: `${origin}/geo` },
    requests,
    abandoned,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hanging requests keep their sockets open; close them or `close` never finishes.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function defaultAnswer(url: URL, places: readonly FakePlace[]): { status: number; body: unknown } {
  const query = url.searchParams;
  if (url.pathname === '/geo/v1/search') {
    const name = (query.get('name') ?? '').toLowerCase();
    const found = places
      .filter((place) => place.name.toLowerCase() === name)
      .map((place) => ({ id: 1, ...place }));
    // Open-Meteo leaves `results` out when nothing matched.
    return {
      status: 200,
      body: found.length > 0 ? { results: found, generationtime_ms: 0.4 } : { generationtime_ms: 0.3 },
    };
  }
  if (url.pathname === '/wx/v1/forecast') return { status: 200, body: forecastBody(query) };
  return { status: 404, body: { error: true, reason: `No route ${url.pathname}` } };
}

function forecastBody(query: URLSearchParams): unknown {
  const fahrenheit = query.get('temperature_unit') === 'fahrenheit';
  const temperatures = fahrenheit ? FAKE_WEATHER.fahrenheit : FAKE_WEATHER.celsius;
  const days = Number(query.get('forecast_days') ?? '7');
  const dates = Array.from({ length: days }, (_, index) => `2025-03-${String(14 + index).padStart(2, '0')}`);
  return {
    latitude: Number(query.get('latitude')),
    longitude: Number(query.get('longitude')),
    generationtime_ms: 0.1,
    utc_offset_seconds: FAKE_WEATHER.utcOffsetSeconds,
    timezone: 'Europe/Berlin',
    timezone_abbreviation: 'GMT+1',
    elevation: 38,
    current_units: { time: 'iso8601', interval: 'seconds', temperature_2m: fahrenheit ? '°F' : '°C' },
    current: {
      time: FAKE_WEATHER.time,
      interval: 900,
      temperature_2m: temperatures.temperature,
      weather_code: FAKE_WEATHER.weatherCode,
      wind_speed_10m: query.get('wind_speed_unit') === 'mph' ? FAKE_WEATHER.mph : FAKE_WEATHER.kmh,
    },
    daily_units: { time: 'iso8601', temperature_2m_max: fahrenheit ? '°F' : '°C' },
    daily: {
      time: dates,
      temperature_2m_max: temperatures.max.slice(0, days),
      temperature_2m_min: temperatures.min.slice(0, days),
      weather_code: FAKE_WEATHER.dailyCodes.slice(0, days),
    },
  };
}
