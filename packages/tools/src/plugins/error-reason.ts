/** The message of a thrown value, for "... failed: <reason>" lines (plugins may throw non-errors). */
export function errorReason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
