import type { Units } from './options.js';

/** Open-Meteo's unit parameters for our unit systems (its defaults are celsius and kmh). */
export function openMeteoUnitParams(units: Units): { temperature_unit: string; wind_speed_unit: string } {
  return units === 'imperial'
    ? { temperature_unit: 'fahrenheit', wind_speed_unit: 'mph' }
    : { temperature_unit: 'celsius', wind_speed_unit: 'kmh' };
}

/** A metric temperature (°C) in `units`, to one decimal. */
export function temperatureIn(celsius: number, units: Units): number {
  return round1(units === 'imperial' ? (celsius * 9) / 5 + 32 : celsius);
}

/** A metric wind speed (km/h) in `units`, to one decimal. */
export function windSpeedIn(kmh: number, units: Units): number {
  return round1(units === 'imperial' ? kmh / 1.609344 : kmh);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
