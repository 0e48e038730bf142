import { HttpProblem } from '../http-problem.js';

/** The part of a ZodError (v3 or v4) this module reads: only paths and messages. */
export interface ValidationIssueSource {
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
}

/** Where the invalid value was: the body, the query string, a path parameter or a header. */
export type ValidationTarget = 'json' | 'form' | 'query' | 'param' | 'header' | 'cookie';

const TARGET_NAMES: Readonly<Record<ValidationTarget, string>> = {
  json: 'request body',
  form: 'form body',
  query: 'query string',
  param: 'path',
  header: 'headers',
  cookie: 'cookies',
};

const MAX_ERRORS = 20;
const MAX_MESSAGE_LENGTH = 300;

/**
 * A 400 `validation-failed` problem from a ZodError: one `{ path, message }` per issue, the path
 * as a JSON pointer (`/input`, `/metadata/tags/0`) and the message zod wrote for people. Codes,
 * expected and received values and other issue internals are left out. At most 20 errors.
 *
 * @example
 * ```ts
 * new OpenAPIHono({
 *   defaultHook: (result) => {
 *     if (!result.success) throw validationProblem(result.error, result.target);
 *   },
 * });
 * ```
 */
export function validationProblem(error: ValidationIssueSource, target?: string): HttpProblem {
  const errors = error.issues.slice(0, MAX_ERRORS).map((issue) => ({
    path: jsonPointer(issue.path),
    message: truncate(issue.message || 'Invalid value'),
  }));
  const where = (target !== undefined && TARGET_NAMES[target as ValidationTarget]) || 'request';
  const first = errors[0];
  const summary = first === undefined ? '' : ` (${first.path || '/'}: ${first.message})`;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return new HttpProblem({
    status: 400,
    code: 'validation-failed',
    detail: `The ${where} is invalid${summary}${more}. See errors for every problem.`,
    errors,
  });
}

/** RFC 6901: `~` as `~0`, `/` as `~1`; the whole document is the empty string. */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path
    .map(
      (segment) =>
        `/${String(typeof segment === 'symbol' ? segment.description : segment)
          .replaceAll('~', '~0')
          .replaceAll('/', '~1')}`,
    )
    .join('');
}

function truncate(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : message;
}
