import { defineTool } from '@agent/core';
import { z } from 'zod';

// Factors to the base unit of each dimension (metre, kilogram); temperature is converted apart.
const LENGTH: Record<string, number> = {
  mm: 0.001,
  cm: 0.01,
  m: 1,
  km: 1000,
  in: 0.0254,
  ft: 0.3048,
  mi: 1609.344,
};
const MASS: Record<string, number> = { g: 0.001, kg: 1, lb: 0.45359237, oz: 0.028349523125 };
const TEMPERATURE = ['C', 'F', 'K'] as const;

const UNITS: [string, ...string[]] = ['C', 'F', 'K', ...Object.keys(LENGTH), ...Object.keys(MASS)];
const unit = z.enum(UNITS);

/** Converts a value between two units of the same dimension. */
export const unitConvert = defineTool({
  name: 'unit_convert',
  description:
    'Converts a value between units of length (mm cm m km in ft mi), mass (g kg lb oz) or temperature (C F K).',
  version: '1.0.0',
  input: z.object({
    value: z.number().finite().describe('The value to convert'),
    from: unit.describe('The unit of the value'),
    to: unit.describe('The unit to convert to'),
  }),
  output: z.object({ value: z.number(), unit: z.string() }),
  execute: ({ value, from, to }) => {
    const converted = convert(value, from, to);
    // Rounded so the model does not repeat floating-point noise to the user.
    return { value: Math.round(converted * 1e6) / 1e6, unit: to };
  },
});

function convert(value: number, from: string, to: string): number {
  for (const table of [LENGTH, MASS]) {
    const fromFactor = table[from];
    const toFactor = table[to];
    if (fromFactor !== undefined && toFactor !== undefined) return (value * fromFactor) / toFactor;
  }
  if (isTemperature(from) && isTemperature(to)) return fromKelvin(toKelvin(value, from), to);
  // The model reads this message and can correct its call.
  throw new Error(`Cannot convert ${from} to ${to}: both units must measure the same thing.`);
}

type Temperature = (typeof TEMPERATURE)[number];
const isTemperature = (name: string): name is Temperature =>
  (TEMPERATURE as readonly string[]).includes(name);
const toKelvin = (value: number, from: Temperature) =>
  from === 'K' ? value : from === 'C' ? value + 273.15 : ((value - 32) * 5) / 9 + 273.15;
const fromKelvin = (kelvin: number, to: Temperature) =>
  to === 'K' ? kelvin : to === 'C' ? kelvin - 273.15 : ((kelvin - 273.15) * 9) / 5 + 32;
