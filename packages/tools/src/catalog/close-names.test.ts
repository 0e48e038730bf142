import { describe, expect, it } from 'vitest';
import { closeNames } from './close-names.js';

describe('closeNames', () => {
  it('finds typos and names containing the input, closest first, at most five', () => {
    const names = ['weather', 'weather_alerts', 'whether', 'calculator', 'wea', 'a', 'b', 'c', 'd'];

    expect(closeNames('wether', names)).toEqual(['weather', 'whether']);
    expect(closeNames('WEATHER', names)).toEqual(['wea', 'weather', 'weather_alerts', 'whether']);
    expect(closeNames('x', ['a', 'b', 'c', 'd', 'e', 'f'])).toHaveLength(5);
    expect(closeNames('calculus', ['weather'])).toEqual([]);
  });
});
