import type { JsonSchema } from './tool-json-schemas.js';

/**
 * RFC 9457 problem details, the same shape `@agent/server` answers errors with, so a client that
 * handles the server's problems handles a tool's invalid-input answer too.
 */
export const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  properties: {
    type: { type: 'string', examples: ['https://agent-sdk.dev/problems/validation-failed'] },
    title: { type: 'string', examples: ['Unprocessable Content'] },
    status: { type: 'integer', minimum: 400, maximum: 599, examples: [422] },
    detail: { type: 'string', description: 'What happened and what to do about it.' },
    code: { type: 'string', description: 'Short and stable, for programs, e.g. `validation-failed`.' },
    instance: { type: 'string', description: 'The request path.' },
    requestId: { type: 'string', description: 'The `X-Request-Id` of the request.' },
    errors: {
      type: 'array',
      description: 'Field-level problems of a validation failure.',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
        required: ['path', 'message'],
      },
    },
  },
  required: ['type', 'title', 'status', 'detail', 'code'],
};
