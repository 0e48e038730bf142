// Reading JSON values safely: own members only, never anything from a prototype.

/** The children of an array (its elements) or an object (its member values); none for the rest. */
export function childrenOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value)) return Object.values(value);
  return [];
}

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own members only: `constructor`, `__proto__` or `length` never answer from a prototype. */
export function member(value: unknown, name: string): unknown {
  if (!isObject(value) || !Object.hasOwn(value, name)) return undefined;
  return Object.getOwnPropertyDescriptor(value, name)?.value;
}

/** Array element by index; negative counts from the end. */
export function element(value: unknown, index: number): unknown {
  if (!Array.isArray(value)) return undefined;
  const position = index < 0 ? value.length + index : index;
  return position >= 0 && position < value.length ? value[position] : undefined;
}
