import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { HttpProblem } from '../http-problem.js';

/** The largest request body accepted when `server.bodyLimitBytes` is not set: 1 MiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Refuses request bodies larger than `maxBytes` with a 413 `payload-too-large` problem: at once
 * from `Content-Length`, or while reading a body without one (chunked), which is cut off as soon
 * as it passes the limit, so at most `maxBytes` are ever held in memory.
 *
 * @example
 * ```ts
 * app.use('/v1/*', bodyLimit(config.server.bodyLimitBytes));
 * ```
 */
export function bodyLimit(maxBytes: number = DEFAULT_BODY_LIMIT_BYTES): MiddlewareHandler {
  if (!(Number.isInteger(maxBytes) && maxBytes > 0)) {
    throw new RangeError(`bodyLimit(maxBytes) needs a positive integer; got ${String(maxBytes)}.`);
  }
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HttpProblem({
        status: 413,
        code: 'payload-too-large',
        detail: `The request body is larger than ${maxBytes} bytes. Send a smaller body.`,
      });
    },
  });
}
