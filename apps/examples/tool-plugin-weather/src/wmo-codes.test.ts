import { describe, expect, it } from 'vitest';
import { withUtcOffset } from './open-meteo-schemas.js';
import { describeWeatherCode, WMO_CODES } from './wmo-codes.js';

describe('describeWeatherCode', () => {
  it('names the WMO codes Open-Meteo reports', () => {
    expect(describeWeatherCode(0)).toBe('clear sky');
    expect(describeWeatherCode(63)).toBe('moderate rain');
    expect(describeWeatherCode(99)).toBe('thunderstorm with heavy hail');
    expect(WMO_CODES).toHaveLength(28);
  });

  it('names an unlisted code instead of guessing', () => {
    expect(describeWeatherCode(42)).toBe('unknown conditions (WMO code 42)');
  });
});

describe('withUtcOffset', () => {
  it('appends the offset Open-Meteo gives in seconds as ±HH:MM', () => {
    expect(withUtcOffset('2025-03-14T09:15', 3_600)).toBe('2025-03-14T09:15+01:00');
    expect(withUtcOffset('2025-03-14T09:15', -12_600)).toBe('2025-03-14T09:15-03:30');
    expect(withUtcOffset('2025-03-14T09:15', 0)).toBe('2025-03-14T09:15+00:00');
    expect(withUtcOffset('2025-03-14T09:15', 20_700)).toBe('2025-03-14T09:15+05:45');
  });
});
