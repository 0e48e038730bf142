/** What {@link redactValue} needs from the redactor that calls it. */
export interface RedactValueOptions {
  /** Redacts one string. */
  readonly text: (value: string) => string;
  /** True when the value under this key is a secret whatever it looks like. */
  readonly isSensitiveKey: (key: string) => boolean;
  /** What the value of a sensitive key becomes. */
  readonly keyReplacement: string;
  /** Containers nested deeper than this become {@link TRUNCATED_DEPTH}. */
  readonly maxDepth: number;
}

/** What a container nested deeper than `maxDepth` becomes. */
export const TRUNCATED_DEPTH = '[TRUNCATED:depth]';
/** What a reference back to one of its own ancestors becomes. */
export const CIRCULAR = '[CIRCULAR]';
/** What a property whose getter throws becomes. */
export const UNREADABLE = '[UNREADABLE]';

// Integers this long can be card numbers (4111111111111111 is a safe integer); shorter ones
// (counts, ms durations, ports) are skipped without building a string.
const SMALLEST_CARD_LENGTH_NUMBER = 1e12;

const isPlainObject = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

// Binary data is not scanned (it is not text) and RegExps are not data; both pass as they are.
const isOpaque = (value: object): boolean =>
  ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof RegExp;

/**
 * A deep copy of `value` with strings redacted and sensitive keys' values replaced whole. Plain
 * objects and arrays are copied; Maps, Sets and Dates become new ones; an Error becomes a new
 * object of the same class with its own properties (message, stack, code, cause, ...) redacted;
 * other class instances become plain objects of their own enumerable properties (or of their
 * `toJSON()`), which is what JSON would make of them anyway. Never mutates `value`.
 */
export function redactValue(value: unknown, options: RedactValueOptions): unknown {
  const ancestors = new Set<object>();

  const field = (key: string | symbol, item: unknown, depth: number): unknown =>
    typeof key === 'string' && options.isSensitiveKey(key) ? options.keyReplacement : walk(item, depth);

  const copyObject = (source: object, depth: number): Record<string | symbol, unknown> => {
    const copy: Record<string | symbol, unknown> = {};
    for (const key of Object.keys(source)) {
      let item: unknown;
      try {
        item = (source as Record<string, unknown>)[key];
      } catch {
        item = UNREADABLE;
      }
      const redactedKey = options.text(key);
      const redacted = field(key, item, depth + 1);
      // A "__proto__" key (JSON.parse makes them) must stay data, not replace the prototype.
      if (redactedKey === '__proto__') {
        Object.defineProperty(copy, redactedKey, {
          value: redacted,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        copy[redactedKey] = redacted;
      }
    }
    for (const key of Object.getOwnPropertySymbols(source)) {
      if (Object.prototype.propertyIsEnumerable.call(source, key)) {
        copy[key] = walk((source as Record<symbol, unknown>)[key], depth + 1);
      }
    }
    return copy;
  };

  const copyError = (error: Error, depth: number): Error => {
    const copy = Object.create(Object.getPrototypeOf(error)) as Error;
    for (const key of Reflect.ownKeys(error)) {
      const descriptor = Object.getOwnPropertyDescriptor(error, key) as PropertyDescriptor;
      let item: unknown;
      try {
        item = 'value' in descriptor ? descriptor.value : descriptor.get?.call(error);
      } catch {
        item = UNREADABLE;
      }
      Object.defineProperty(copy, key, {
        value: field(key, item, depth + 1),
        // Same visibility as the original: message and stack stay out of JSON.stringify, as on
        // any Error, while own fields such as `code` stay in.
        enumerable: descriptor.enumerable === true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  };

  const copyContainer = (source: object, depth: number): unknown => {
    if (Array.isArray(source)) {
      const copy: unknown[] = new Array(source.length);
      for (let index = 0; index < source.length; index++) copy[index] = walk(source[index], depth + 1);
      return copy;
    }
    if (source instanceof Error) return copyError(source, depth);
    if (source instanceof Date) return new Date(source.getTime());
    if (source instanceof Map) {
      const copy = new Map<unknown, unknown>();
      for (const [key, item] of source) {
        if (typeof key === 'string') copy.set(options.text(key), field(key, item, depth + 1));
        else copy.set(walk(key, depth + 1), walk(item, depth + 1));
      }
      return copy;
    }
    if (source instanceof Set) {
      const copy = new Set<unknown>();
      for (const item of source) copy.add(walk(item, depth + 1));
      return copy;
    }
    if (!isPlainObject(source)) {
      const toJSON = (source as { toJSON?: unknown }).toJSON;
      // Same depth: toJSON() stands in for the object, it is not a level below it.
      if (typeof toJSON === 'function') return walk(toJSON.call(source), depth);
    }
    return copyObject(source, depth);
  };

  const walk = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') return options.text(item);
    if (typeof item === 'number' || typeof item === 'bigint') return redactInteger(item, options.text);
    if (typeof item !== 'object' || item === null) return item;
    if (isOpaque(item)) return item;
    if (ancestors.has(item)) return CIRCULAR;
    if (depth >= options.maxDepth) return TRUNCATED_DEPTH;
    ancestors.add(item);
    try {
      return copyContainer(item, depth);
    } catch {
      // A proxy or exotic object that throws while being read: leave nothing of it out.
      return UNREADABLE;
    } finally {
      ancestors.delete(item);
    }
  };

  return walk(value, 0);
}

/** A number stays a number unless its digits are something to redact (a card number). */
function redactInteger(value: number | bigint, text: (value: string) => string): unknown {
  if (
    typeof value === 'number' &&
    !(Number.isInteger(value) && Math.abs(value) >= SMALLEST_CARD_LENGTH_NUMBER)
  ) {
    return value;
  }
  const digits = String(value);
  const redacted = text(digits);
  return redacted === digits ? value : redacted;
}
