import type { JsonSchema } from './tool-json-schemas.js';

/** Options of {@link toolsOpenApiDocument}. */
export interface ToolsOpenApiOptions {
  /** @default 'Agent tools' */
  title?: string;
  /** The document's (API's) version, not a tool's. @default '1.0.0' */
  version?: string;
  /** One line about the API. */
  description?: string;
  /** Base URL of the server that runs the tools, e.g. `https://agents.example.com/v1`. */
  serverUrl?: string;
  /** Path under which each tool is `POST {pathPrefix}/{name}`. @default '/tools' */
  pathPrefix?: string;
}

/** One tool's `POST` operation. */
export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  deprecated?: true;
  /** The tool's own semver version, when it has one. */
  'x-tool-version'?: string;
  requestBody: { required: true; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
}

/** An OpenAPI 3.1 document describing tools as HTTP operations. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, { post: OpenApiOperation }>;
  components: { schemas: Record<string, JsonSchema> };
}
