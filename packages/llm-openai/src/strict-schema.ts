type JsonObject = Record<string, unknown>;

// Keywords OpenAI's strict mode rejects outright (Structured Outputs, "supported schemas").
const UNSUPPORTED_KEYWORDS = [
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
  'patternProperties',
] as const;

// Keywords whose values are sub-schemas, or maps or lists of them.
const SCHEMA_MAPS = ['properties', '$defs', 'definitions'] as const;
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'prefixItems'] as const;

/**
 * Whether OpenAI's strict Structured Outputs can take `schema` as it is: the root is an object,
 * every object closes itself with `additionalProperties: false` and lists all of its properties
 * in `required`, and no unsupported keyword (`allOf`, `not`, `if`, …) appears.
 *
 * A check, not a rewrite: rewriting (making optional fields nullable) would change what the
 * caller's validator accepts. When this returns false the adapter sends `strict: false`, so the
 * call still works, only without OpenAI's guarantee.
 */
export function isStrictCompatible(schema: JsonObject): boolean {
  if (schema.type !== 'object') return false;
  return isStrictNode(schema, new Set());
}

function isStrictNode(node: unknown, seen: Set<unknown>): boolean {
  if (!isObject(node)) return typeof node === 'boolean' ? node : true;
  // $ref cycles are legal JSON Schema; visiting a node once is enough.
  if (seen.has(node)) return true;
  seen.add(node);

  if (UNSUPPORTED_KEYWORDS.some((keyword) => keyword in node)) return false;
  if (isObjectSchema(node) && !isClosedObject(node)) return false;

  for (const key of SCHEMA_MAPS) {
    const map = node[key];
    if (isObject(map) && !Object.values(map).every((child) => isStrictNode(child, seen))) return false;
  }
  for (const key of SCHEMA_LISTS) {
    const list = node[key];
    if (Array.isArray(list) && !list.every((child) => isStrictNode(child, seen))) return false;
  }
  const items = node.items;
  if (Array.isArray(items)) return items.every((child) => isStrictNode(child, seen));
  return items === undefined || isStrictNode(items, seen);
}

function isObjectSchema(node: JsonObject): boolean {
  const type = node.type;
  return type === 'object' || (Array.isArray(type) && type.includes('object')) || 'properties' in node;
}

function isClosedObject(node: JsonObject): boolean {
  if (node.additionalProperties !== false) return false;
  const properties = isObject(node.properties) ? Object.keys(node.properties) : [];
  const required = Array.isArray(node.required) ? node.required : [];
  return properties.every((name) => required.includes(name));
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
