/**
 * Removes personal data and secrets from what leaves the process: log lines, stored events,
 * span attributes. `createRedactor()` (in this folder) builds one; every output takes this
 * interface so a caller can bring their own.
 */
export interface Redactor {
  /** False when redaction is switched off; outputs may then skip the work entirely. */
  readonly enabled: boolean;
  /** The text with every match of a pattern replaced, e.g. `"mail [REDACTED:email]"`. */
  redactString(text: string): string;
  /**
   * A deep copy of `value` with strings redacted and the values of sensitive keys
   * (`authorization`, `apiKey`, `password`, ...) replaced whole. Never mutates its input;
   * cycles, depth and size are bounded.
   */
  redact<T>(value: T): T;
}
