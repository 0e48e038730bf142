import { CIRCULAR, TRUNCATED_DEPTH, UNREADABLE } from '../redact/redact-value.js';

/** Options of {@link toLogValue}. */
export interface ToLogValueOptions {
  /** Whether serialised errors keep their stack (the logger passes true at level `debug`). */
  stack: boolean;
  /** Containers nested deeper than this become `'[TRUNCATED:depth]'`. */
  maxDepth: number;
}

const isBinary = (value: object): value is ArrayBufferView | ArrayBuffer =>
  ArrayBuffer.isView(value) || value instanceof ArrayBuffer;

/**
 * `value` as plain JSON-safe data, so a log line can always be written: errors become
 * `{ name, message, code, ..., cause }` (plus `stack` when asked), Dates ISO strings, Maps
 * objects, Sets arrays, bigints strings, binary a short marker; cycles and depth are bounded.
 * `JSON.stringify` of the result never throws. Runs even with redaction off, which would
 * otherwise be the path where a cyclic field crashes a log call.
 */
export function toLogValue(value: unknown, options: ToLogValueOptions): unknown {
  const ancestors = new Set<object>();

  const serializeError = (error: Error, depth: number): Record<string, unknown> => {
    const result: Record<string, unknown> = { name: error.name, message: error.message };
    const code = (error as { code?: unknown }).code;
    if (code !== undefined) result.code = walk(code, depth + 1);
    for (const key of Object.keys(error)) {
      if (key !== 'stack' && !(key in result)) result[key] = read(error, key, depth);
    }
    if (error.cause !== undefined) result.cause = walk(error.cause, depth + 1);
    if (options.stack && typeof error.stack === 'string') result.stack = error.stack;
    return result;
  };

  const read = (source: object, key: string, depth: number): unknown => {
    try {
      return walk((source as Record<string, unknown>)[key], depth + 1);
    } catch {
      return UNREADABLE;
    }
  };

  const serializeObject = (source: object, depth: number): unknown => {
    if (Array.isArray(source)) return source.map((item) => walk(item, depth + 1));
    if (source instanceof Error) return serializeError(source, depth);
    if (source instanceof Date) return Number.isNaN(source.getTime()) ? 'Invalid Date' : source.toISOString();
    if (source instanceof Map) {
      const result: Record<string, unknown> = {};
      for (const [key, item] of source) result[String(key)] = walk(item, depth + 1);
      return result;
    }
    if (source instanceof Set) return [...source].map((item) => walk(item, depth + 1));
    if (isBinary(source)) return `[${source.constructor.name}: ${source.byteLength} bytes]`;
    const toJSON = (source as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return walk(toJSON.call(source), depth);
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(source)) {
      const item = read(source, key, depth);
      if (item === undefined) continue;
      // Data, not the prototype: a "__proto__" field (JSON.parse makes them) stays a field.
      Object.defineProperty(result, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  };

  const walk = (item: unknown, depth: number): unknown => {
    switch (typeof item) {
      case 'string':
      case 'boolean':
        return item;
      case 'number':
        // JSON would write NaN and Infinity as null, which reads like "missing".
        return Number.isFinite(item) ? item : String(item);
      case 'bigint':
      case 'symbol':
        return String(item);
      case 'undefined':
      case 'function':
        return undefined;
    }
    if (item === null) return null;
    const object = item as object;
    if (ancestors.has(object)) return CIRCULAR;
    if (depth >= options.maxDepth) return TRUNCATED_DEPTH;
    ancestors.add(object);
    try {
      return serializeObject(object, depth);
    } catch {
      return UNREADABLE;
    } finally {
      ancestors.delete(object);
    }
  };

  return walk(value, 0);
}
