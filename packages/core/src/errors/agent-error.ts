/**
 * Every error code an `@agent/*` package can throw. Narrow on `error.code`, never on the message.
 * The server maps each code to one HTTP status in a single table.
 */
export const AGENT_ERROR_CODES = [
  'CONFIG_INVALID',
  'CONFIG_NOT_FOUND',
  'VALIDATION_FAILED',
  'OUTPUT_INVALID',
  'TOOL_NOT_FOUND',
  'TOOL_INPUT_INVALID',
  'TOOL_OUTPUT_INVALID',
  'TOOL_TIMEOUT',
  'TOOL_FAILED',
  'TOOL_DUPLICATE',
  'TOOL_REFUSED',
  'PLUGIN_INVALID',
  'PLUGIN_LOAD_FAILED',
  'PLUGIN_INCOMPATIBLE',
  'MODEL_AUTH',
  'MODEL_BAD_REQUEST',
  'MODEL_RATE_LIMITED',
  'MODEL_OVERLOADED',
  'MODEL_SERVER_ERROR',
  'MODEL_TIMEOUT',
  'MODEL_CONNECTION',
  'MODEL_UNAVAILABLE',
  'MODEL_INVALID_RESPONSE',
  'RATE_LIMITED',
  'MAX_STEPS_EXCEEDED',
  'PLAN_FAILED',
  'ABORTED',
  'INTERNAL',
] as const;

/** A code from {@link AGENT_ERROR_CODES}. */
export type AgentErrorCode = (typeof AGENT_ERROR_CODES)[number];

/** Options every {@link AgentError} constructor accepts. */
export interface AgentErrorOptions {
  /** The underlying error; always kept so nothing is lost when errors are wrapped. */
  cause?: unknown;
  /** Whether repeating the same operation may succeed. @default false */
  retryable?: boolean;
  /** Extra machine-readable facts, serialised by `toJSON()`. Must be JSON-safe. */
  details?: Record<string, unknown>;
}

/** The JSON shape of an {@link AgentError}, as sent over the wire and stored in events. */
export interface AgentErrorJSON {
  name: string;
  code: AgentErrorCode;
  message: string;
  retryable: boolean;
  runId?: string;
  details?: Record<string, unknown>;
  cause?: { name: string; message: string; code?: string };
}

// A registered symbol (Symbol.for) is shared by every copy of this module, so `isInstance`
// recognises errors thrown by a second install of @agent/core where `instanceof` would fail.
const marker = Symbol.for('@agent/core.AgentError');

/**
 * Base class of every error thrown by `@agent/*` packages.
 *
 * @example
 * ```ts
 * try { await agent.run('hi'); }
 * catch (error) { if (AgentError.isInstance(error) && error.retryable) retryLater(); }
 * ```
 */
export class AgentError extends Error {
  /** Machine-readable error code. */
  readonly code: AgentErrorCode;
  /** Whether repeating the operation may succeed. */
  readonly retryable: boolean;
  /** Extra JSON-safe facts about the failure. */
  readonly details: Record<string, unknown> | undefined;
  /** The run this error ended, set by the runtime when the error leaves a run. */
  runId: string | undefined;

  constructor(code: AgentErrorCode, message: string, options: AgentErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
    this.runId = undefined;
    Object.defineProperty(this, marker, { value: true });
  }

  /** True for any `AgentError`, including one created by a duplicate install of this package. */
  static isInstance(error: unknown): error is AgentError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }

  /** A JSON-safe view: code, message, retryable, details and a summary of the cause. No stack. */
  toJSON(): AgentErrorJSON {
    const json: AgentErrorJSON = {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
    };
    if (this.runId !== undefined) json.runId = this.runId;
    if (this.details !== undefined) json.details = this.details;
    const cause = this.cause;
    if (cause instanceof Error) {
      const causeCode = (cause as { code?: unknown }).code;
      json.cause = {
        name: cause.name,
        message: cause.message,
        ...(typeof causeCode === 'string' ? { code: causeCode } : {}),
      };
    } else if (cause !== undefined) {
      json.cause = { name: typeof cause, message: String(cause) };
    }
    return json;
  }
}

/**
 * Wraps anything thrown into an {@link AgentError}, keeping the original as `cause`.
 * An `AgentError` is returned unchanged.
 */
export function toAgentError(error: unknown, code: AgentErrorCode = 'INTERNAL'): AgentError {
  if (AgentError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AgentError(code, message, { cause: error });
}
