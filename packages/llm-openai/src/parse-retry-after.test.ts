import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './parse-retry-after.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');

describe('parseRetryAfter', () => {
  it('returns undefined when there are no headers', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });

  it('returns undefined when neither header is present', () => {
    expect(parseRetryAfter(new Headers({ 'x-other': '1' }), NOW)).toBeUndefined();
  });

  it('returns undefined for a retry-after that is neither a number nor a date', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon-ish' }), NOW)).toBeUndefined();
  });

  it('returns undefined for a negative retry-after', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '-1' }), NOW)).toBeUndefined();
  });

  it('returns undefined for an empty retry-after', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '' }), NOW)).toBeUndefined();
  });

  it('falls back to retry-after when retry-after-ms is garbage', () => {
    const headers = new Headers({ 'retry-after-ms': 'abc', 'retry-after': '2' });

    expect(parseRetryAfter(headers, NOW)).toBe(2000);
  });

  it('returns 0 for an HTTP date in the past', () => {
    const headers = new Headers({ 'retry-after': new Date(NOW - 60_000).toUTCString() });

    expect(parseRetryAfter(headers, NOW)).toBe(0);
  });

  it('reads retry-after-ms as milliseconds', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '50' }), NOW)).toBe(50);
  });

  it('rounds fractional retry-after-ms up to whole milliseconds', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '12.2' }), NOW)).toBe(13);
  });

  it('prefers retry-after-ms over retry-after', () => {
    const headers = new Headers({ 'retry-after-ms': '250', 'retry-after': '9' });

    expect(parseRetryAfter(headers, NOW)).toBe(250);
  });

  it('reads retry-after as seconds', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }), NOW)).toBe(3000);
  });

  it('reads fractional retry-after seconds', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '1.5' }), NOW)).toBe(1500);
  });

  it('reads retry-after as an HTTP date in the future', () => {
    const headers = new Headers({ 'retry-after': new Date(NOW + 7_000).toUTCString() });

    expect(parseRetryAfter(headers, NOW)).toBe(7000);
  });

  it('accepts any object with a get method', () => {
    const headers = { get: (name: string) => (name === 'retry-after' ? '1' : null) };

    expect(parseRetryAfter(headers, NOW)).toBe(1000);
  });

  it('uses the current time when none is given', () => {
    const headers = new Headers({ 'retry-after': new Date(Date.now() + 60_000).toUTCString() });

    const result = parseRetryAfter(headers);

    expect(result).toBeGreaterThan(55_000);
    expect(result).toBeLessThanOrEqual(60_000);
  });
});
