import type { Harness } from './harness.js';

/** The parts of an OpenAPI operation the tests read. */
export interface OperationDoc {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: SchemaDoc }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: SchemaDoc }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: SchemaDoc }> }>;
}

/** A JSON Schema as the document holds it. */
export type SchemaDoc = Record<string, unknown>;

/** The OpenAPI document of the app. */
export interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, OperationDoc>>;
  components: {
    schemas: Record<string, SchemaDoc>;
    securitySchemes: Record<string, Record<string, unknown>>;
  };
}

/** One operation of the document, with its method and path. */
export interface Operation {
  method: string;
  path: string;
  operation: OperationDoc;
}

export async function fetchOpenApi(harness: Harness): Promise<OpenApiDoc> {
  const response = await harness.request('/v1/openapi.json');
  return (await response.json()) as OpenApiDoc;
}

export function operationsOf(document: OpenApiDoc): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

/** Resolves a `#/components/...` reference (one level; the tests' schemas need no more). */
export function resolveRef(document: OpenApiDoc, schema: SchemaDoc): SchemaDoc {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.split('/').pop() as string;
  return resolveRef(document, document.components.schemas[name] as SchemaDoc);
}
