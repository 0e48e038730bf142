import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './parse-retry-after.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');

describe('parseRetryAfter', () => {
  it('returns undefined when there are no headers', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });

  it('returns undefined when neither retry header is present', () => {
    expect(parseRetryAfter(new Headers({ 'content-type': 'application/json' }), NOW)).toBeUndefined();
  });

  it('returns undefined for a retry-after that is neither a number nor a date', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
  });

  it('ignores a negative retry-after-ms and falls back to retry-after', () => {
    const headers = new Headers({ 'retry-after-ms': '-5', 'retry-after': '3' });

    expect(parseRetryAfter(headers, NOW)).toBe(3000);
  });

  it('returns 0 for an HTTP date in the past', () => {
    const headers = new Headers({ 'retry-after': 'Fri, 20 Nov 2026 12:00:00 GMT' });

    expect(parseRetryAfter(headers, NOW)).toBe(0);
  });

  it('prefers retry-after-ms over retry-after', () => {
    const headers = new Headers({ 'retry-after-ms': '1500', 'retry-after': '30' });

    expect(parseRetryAfter(headers, NOW)).toBe(1500);
  });

  it('keeps fractional milliseconds from retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '12.5' }), NOW)).toBe(12.5);
  });

  it('reads retry-after as seconds', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }), NOW)).toBe(2000);
  });

  it('reads retry-after as an HTTP date relative to now', () => {
    const headers = new Headers({ 'retry-after': 'Sat, 21 Nov 2026 12:00:30 GMT' });

    expect(parseRetryAfter(headers, NOW)).toBe(30_000);
  });

  it('reads a plain record whatever the header casing', () => {
    expect(parseRetryAfter({ 'Retry-After': '4' }, NOW)).toBe(4000);
  });

  it('uses the current time when none is given', () => {
    const inOneMinute = new Date(Date.now() + 60_000).toUTCString();

    const wait = parseRetryAfter({ 'retry-after': inOneMinute });

    expect(wait).toBeGreaterThan(55_000);
    expect(wait).toBeLessThanOrEqual(60_000);
  });
});
