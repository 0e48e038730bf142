import type { OpenAPIHono } from '@hono/zod-openapi';
import { DOCS_CSS, DOCS_HTML, DOCS_JS, DOCS_PATHS } from '../docs-page.js';
import type { ServerEnv } from '../middleware/context-variables.js';
import { SECURITY_SCHEMES } from './route-context.js';

/** An OpenAPI 3.1 document, as `@hono/zod-openapi` builds it. */
export type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

/** `info` of the OpenAPI document. */
export const API_INFO = {
  title: 'Agent server API',
  version: '1.0.0',
  description: [
    'Runs the configured agents over HTTP: start runs (waiting, streaming or in the background), list and fetch them, stream their events with resume, cancel them.',
    '',
    'Every error is `application/problem+json` (RFC 9457) with a stable `code` and the `requestId` of the request (`X-Request-Id`).',
    '',
    "Authenticate with `Authorization: Bearer <API key or JWT>` or `X-API-Key: <API key>`. Scopes: `runs:read`, `runs:write`, `tools:call` (call tools directly), `admin` (implies all, and sees every tenant). A caller sees only its own tenant's runs.",
  ].join('\n'),
} as const;

/** Paths served by this module that are not API operations, so not in the OpenAPI document. */
export const UNDOCUMENTED_PATHS: readonly string[] = [
  DOCS_PATHS.page,
  DOCS_PATHS.script,
  DOCS_PATHS.styles,
  DOCS_PATHS.openapi,
];

// The app's secureHeaders() sets the CSP (everything from 'self', nothing inline), which this page is built for.
const PAGE_HEADERS = { 'Cache-Control': 'no-cache' } as const;

/**
 * Registers the security schemes, `GET /v1/openapi.json` (the OpenAPI 3.1 document of every
 * route registered with `app.openapi`, built once on first request) and the `/docs` page with
 * its assets. Call it after every other route is registered.
 */
export function registerDocsRoutes(app: OpenAPIHono<ServerEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', SECURITY_SCHEMES.bearer, {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (`agk_...`) or a JWT, as `Authorization: Bearer <token>`.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', SECURITY_SCHEMES.apiKey, {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'An API key.',
  });

  let document: string | undefined;
  app.get(DOCS_PATHS.openapi, (c) => {
    document ??= JSON.stringify(openApiDocument(app));
    return c.body(document, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });
  app.get(DOCS_PATHS.page, (c) => c.html(DOCS_HTML, 200, PAGE_HEADERS));
  app.get(DOCS_PATHS.script, (c) =>
    c.body(DOCS_JS, 200, { ...PAGE_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8' }),
  );
  app.get(DOCS_PATHS.styles, (c) =>
    c.body(DOCS_CSS, 200, { ...PAGE_HEADERS, 'Content-Type': 'text/css; charset=utf-8' }),
  );
}

/** The OpenAPI 3.1 document of `app`'s documented routes. */
export function openApiDocument(app: OpenAPIHono<ServerEnv>): OpenApiDocument {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: API_INFO,
    tags: [
      { name: 'Runs', description: 'Start, list, fetch, stream and cancel runs.' },
      { name: 'Catalog', description: 'The agents and tools this server offers.' },
      { name: 'Operations', description: 'Health, readiness and metrics.' },
    ],
  });
}
