import { z } from '@hono/zod-openapi';

/** The `application/problem+json` body of every error response (RFC 9457), as `ProblemBody`. */
export const problemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://agent-sdk.dev/problems/not-found' }),
    title: z.string().openapi({ example: 'Not Found' }),
    status: z.number().int().min(400).max(599).openapi({ example: 404 }),
    detail: z.string().openapi({ description: 'What happened and what to do about it.' }),
    code: z.string().openapi({
      description:
        'Short and stable, for programs: `unauthorized`, `forbidden`, `not-found`, `validation-failed`, `rate-limited`, `run-not-running`, ...',
      example: 'not-found',
    }),
    instance: z.string().optional().openapi({ description: 'The request path.' }),
    requestId: z
      .string()
      .optional()
      .openapi({ description: 'The `X-Request-Id` of the request; quote it when asking for support.' }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Field-level problems of a validation failure.' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details.' });

/** A documented problem response with the given description. */
export function problemResponse(description: string) {
  return {
    description,
    content: { 'application/problem+json': { schema: problemSchema } },
  } as const;
}

/** The problem responses a route can answer with, by what the route does. */
export interface ProblemResponseOptions {
  /** Behind authentication (401, 403, 429). */
  auth?: boolean;
  /** Takes parameters, a query or headers that are validated (400). */
  input?: boolean;
  /** Takes a JSON body (400 for malformed JSON, 413, 415). */
  body?: boolean;
  /** Looks up a run by id (404). */
  run?: boolean;
  /** Answers within `server.requestTimeoutMs` or gives up (503). */
  timeout?: boolean;
}

/** Problem responses for a route; the 500 is always there. */
export function problemResponses(options: ProblemResponseOptions) {
  return {
    ...(options.input || options.body
      ? {
          400: problemResponse(
            'The request is invalid: `validation-failed` (with `errors`: fix the listed fields) or `invalid-json`.',
          ),
        }
      : {}),
    ...(options.auth
      ? {
          401: problemResponse(
            'No credential, or one that is malformed, unknown, revoked or expired. Send `Authorization: Bearer <key or JWT>` or `X-API-Key: <key>`.',
          ),
          403: problemResponse('The credential lacks the scope this operation needs.'),
        }
      : {}),
    ...(options.run
      ? {
          404: problemResponse(
            "No run with this id exists for the caller's tenant (another tenant's run is reported exactly like an unknown id).",
          ),
        }
      : {}),
    ...(options.body
      ? {
          413: problemResponse('The body is larger than `server.bodyLimitBytes`.'),
          415: problemResponse('The body is not `application/json`.'),
        }
      : {}),
    ...(options.auth
      ? {
          429: problemResponse(
            'Too many requests for this API key or tenant (`server.rateLimit`); retry after `Retry-After` seconds.',
          ),
        }
      : {}),
    500: problemResponse('An unexpected error; the body carries the request id, never internals.'),
    ...(options.timeout
      ? { 503: problemResponse('The request took longer than `server.requestTimeoutMs`.') }
      : {}),
  } as const;
}
