import type { CliIo, Colors } from './io.js';

/** What every command gets: the io, and colours for each of its streams. */
export interface CommandContext {
  io: CliIo;
  /** Colours for stdout. */
  out: Colors;
  /** Colours for stderr. */
  err: Colors;
}

/** A mistake on the command line that commander cannot see (an unknown agent): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The closest of `candidates` to `input` (edit distance at most 40% of its length), if any. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(input, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(input.length * 0.4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(at(previous, j) + 1, at(current, j - 1) + 1, at(previous, j - 1) + cost);
    }
    previous = current;
  }
  return at(previous, b.length);
}

// Indices here are always in range; the fallback only satisfies noUncheckedIndexedAccess.
const at = (values: readonly number[], index: number): number => values[index] ?? 0;
