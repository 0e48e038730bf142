import type { MiddlewareHandler } from 'hono';
import { HttpProblem } from '../http-problem.js';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;

/**
 * Route middleware of operations with a JSON body, before validation: a body that is not
 * `application/json` is a 415 `unsupported-media-type`, one that does not parse a 400
 * `invalid-json`, each saying what to send instead. The parsed body is cached by Hono, so the
 * validator after it does not read the body again.
 */
export function jsonBody(): MiddlewareHandler {
  return async function jsonBodyMiddleware(c, next) {
    const contentType = c.req.header('Content-Type');
    const mediaType = contentType?.split(';')[0]?.trim() ?? '';
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      throw new HttpProblem({
        status: 415,
        code: 'unsupported-media-type',
        detail: `The body must be JSON: send it with Content-Type: application/json${contentType ? ` (got ${JSON.stringify(contentType.slice(0, 100))})` : ''}.`,
      });
    }
    try {
      await c.req.json();
    } catch (error) {
      // Only a parse failure is the caller's bad JSON; a body cut off by the body limit is a 413.
      if (!(error instanceof SyntaxError)) throw error;
      throw new HttpProblem({
        status: 400,
        code: 'invalid-json',
        detail: 'The body is not valid JSON. Send a JSON object, e.g. {"input": "Hello"}.',
        cause: error,
      });
    }
    await next();
  };
}
