const MAX_SUGGESTIONS = 5;

/**
 * Names from `candidates` that look like a typo of `name`: within an edit distance of a third of
 * its length (at least 2), or containing it (or contained in it). Closest first, at most five.
 */
export function closeNames(name: string, candidates: Iterable<string>): string[] {
  const wanted = name.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    // Containment catches a prefix or a namespaced name; a one- or two-letter name would be
    // "contained" in almost anything, so only longer ones count that way.
    const contained = lower.includes(wanted) || (lower.length >= 3 && wanted.includes(lower));
    const distance = contained ? 0 : editDistance(wanted, lower);
    if (distance <= limit) scored.push({ candidate, distance });
  }
  return scored
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, MAX_SUGGESTIONS)
    .map((entry) => entry.candidate);
}

// Levenshtein distance with one row of memory; names are at most 64 characters.
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  let distance = b.length;
  for (const [i, charA] of [...a].entries()) {
    // `diagonal` is previous[j], `left` is current[j], `above` is previous[j + 1].
    let diagonal = i;
    let left = i + 1;
    const current = [left];
    for (const [j, above] of previous.slice(1).entries()) {
      left = Math.min(above + 1, left + 1, diagonal + (charA === b[j] ? 0 : 1));
      current.push(left);
      diagonal = above;
    }
    previous = current;
    distance = left;
  }
  return distance;
}
