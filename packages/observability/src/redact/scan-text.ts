import type { Detector } from './detectors.js';

interface Span {
  start: number;
  end: number;
  replacement: string;
}

/** Index of the first span in `spans` (sorted, disjoint) that ends after `position`. */
function firstEndingAfter(spans: readonly Span[], position: number): number {
  let low = 0;
  let high = spans.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((spans[middle] as Span).end > position) high = middle;
    else low = middle + 1;
  }
  return low;
}

function overlaps(spans: readonly Span[], start: number, end: number): boolean {
  const candidate = spans[firstEndingAfter(spans, start)];
  return candidate !== undefined && candidate.start < end;
}

function mergeSorted(left: readonly Span[], right: readonly Span[]): Span[] {
  const merged: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    merged.push(
      (left[i] as Span).start < (right[j] as Span).start ? (left[i++] as Span) : (right[j++] as Span),
    );
  }
  while (i < left.length) merged.push(left[i++] as Span);
  while (j < right.length) merged.push(right[j++] as Span);
  return merged;
}

/**
 * Builds the string redactor: every detector scans the original text (never text another one
 * already rewrote, so a replacement like `[REDACTED:email]` is never matched again), the first
 * detector to claim a stretch of text wins it, and the result is assembled once.
 */
export function createTextScanner(
  detectors: readonly Detector[],
  replacementFor: (name: string) => string,
): (text: string) => string {
  return (text) => {
    let taken: Span[] = [];
    for (const { name, pattern, hints, accept } of detectors) {
      if (hints !== undefined && !hints.some((hint) => text.includes(hint))) continue;
      const found: Span[] = [];
      const replacement = replacementFor(name);
      pattern.lastIndex = 0;
      let match = pattern.exec(text);
      while (match !== null) {
        const start = match.index;
        const length = accept === undefined ? match[0].length : accept(match[0]);
        const end = start + length;
        if (length === 0 || overlaps(taken, start, end)) {
          // Retry one character on: a shorter or later match may still be valid (bounded work,
          // since every built-in match has a bounded length).
          pattern.lastIndex = start + 1;
        } else {
          found.push({ start, end, replacement });
          pattern.lastIndex = end;
        }
        match = pattern.exec(text);
      }
      if (found.length > 0) taken = mergeSorted(taken, found);
    }
    if (taken.length === 0) return text;
    let result = '';
    let cursor = 0;
    for (const span of taken) {
      result += text.slice(cursor, span.start) + span.replacement;
      cursor = span.end;
    }
    return result + text.slice(cursor);
  };
}
