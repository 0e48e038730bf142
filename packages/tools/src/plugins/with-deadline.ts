/** Marks a phase that did not finish in time; the caller turns it into a typed error. */
export class DeadlineExceeded extends Error {
  constructor(readonly timeoutMs: number) {
    super(`did not finish within ${timeoutMs} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * Waits for `work` at most `timeoutMs`. A plugin's import or setup cannot be cancelled, so on
 * timeout we stop waiting and hand a late result to `onLate` (e.g. to dispose what a slow setup
 * opened), instead of leaking it.
 */
export function withDeadline<T>(
  work: Promise<T>,
  timeoutMs: number,
  onLate: (value: T) => void = () => {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new DeadlineExceeded(timeoutMs));
    }, timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        if (settled) onLate(value);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!settled) reject(error);
      },
    );
  });
}
