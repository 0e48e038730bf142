import { AgentError, type AgentErrorCode, type AgentErrorOptions } from './agent-error.js';

/** One problem found in a config file, with where it is and how to fix it. */
export interface ConfigIssue {
  /** The file the problem is in. */
  file: string;
  /** 1-based line in that file, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  /** Dotted path in the document, e.g. `agents.assistant.maxSteps`. */
  path: string;
  /** What is wrong. */
  message: string;
  /** What to do about it. */
  fix: string;
}

/** A config file is missing, unreadable or invalid. `issues` lists every problem found. */
export class ConfigError extends AgentError {
  /** Every problem found, each with file, line, path and fix. */
  readonly issues: readonly ConfigIssue[];

  constructor(
    message: string,
    options: AgentErrorOptions & {
      issues?: readonly ConfigIssue[];
      code?: 'CONFIG_INVALID' | 'CONFIG_NOT_FOUND';
    } = {},
  ) {
    super(options.code ?? 'CONFIG_INVALID', message, {
      ...options,
      details: { ...options.details, issues: options.issues ?? [] },
    });
    this.issues = options.issues ?? [];
  }
}

/** Input that failed validation (a request body, structured output, a plan). */
export class ValidationError extends AgentError {
  constructor(
    message: string,
    options: AgentErrorOptions & { code?: 'VALIDATION_FAILED' | 'OUTPUT_INVALID' } = {},
  ) {
    super(options.code ?? 'VALIDATION_FAILED', message, options);
  }
}

/** The ways a tool call can fail. */
export type ToolErrorCode = Extract<
  AgentErrorCode,
  | 'TOOL_NOT_FOUND'
  | 'TOOL_INPUT_INVALID'
  | 'TOOL_OUTPUT_INVALID'
  | 'TOOL_TIMEOUT'
  | 'TOOL_FAILED'
  | 'TOOL_DUPLICATE'
  | 'TOOL_REFUSED'
>;

/** A tool could not be found, got invalid input, timed out or threw. */
export class ToolError extends AgentError {
  /** The tool's name. */
  readonly toolName: string;

  constructor(code: ToolErrorCode, toolName: string, message: string, options: AgentErrorOptions = {}) {
    super(code, message, { ...options, details: { ...options.details, toolName } });
    this.toolName = toolName;
  }
}

/** The ways loading a tool plugin can fail. */
export type PluginErrorCode = Extract<
  AgentErrorCode,
  'PLUGIN_INVALID' | 'PLUGIN_LOAD_FAILED' | 'PLUGIN_INCOMPATIBLE'
>;

/**
 * A tool plugin could not be used: its package is missing or threw on import (`PLUGIN_LOAD_FAILED`),
 * its manifest is wrong (`PLUGIN_INVALID`), or it needs another SDK version (`PLUGIN_INCOMPATIBLE`).
 * `plugin` is what the config named (package name or path).
 */
export class PluginError extends AgentError {
  /** The plugin as the config names it: a package name or a path. */
  readonly plugin: string;

  constructor(code: PluginErrorCode, plugin: string, message: string, options: AgentErrorOptions = {}) {
    super(code, message, { ...options, details: { ...options.details, plugin } });
    this.plugin = plugin;
  }
}

/** The ways a model call can fail. */
export type ModelErrorCode = Extract<
  AgentErrorCode,
  | 'MODEL_AUTH'
  | 'MODEL_BAD_REQUEST'
  | 'MODEL_RATE_LIMITED'
  | 'MODEL_OVERLOADED'
  | 'MODEL_SERVER_ERROR'
  | 'MODEL_TIMEOUT'
  | 'MODEL_CONNECTION'
  | 'MODEL_UNAVAILABLE'
  | 'MODEL_INVALID_RESPONSE'
>;

const RETRYABLE_MODEL_CODES: ReadonlySet<ModelErrorCode> = new Set([
  'MODEL_RATE_LIMITED',
  'MODEL_OVERLOADED',
  'MODEL_SERVER_ERROR',
  'MODEL_TIMEOUT',
  'MODEL_CONNECTION',
  'MODEL_UNAVAILABLE',
]);

/** Options of {@link ModelError}. */
export interface ModelErrorOptions extends AgentErrorOptions {
  /** Provider id, e.g. `openai`. */
  provider?: string;
  /** Model id, e.g. `gpt-4o-mini`. */
  modelId?: string;
  /** HTTP status from the vendor, when there was one. */
  status?: number;
  /** How long the vendor asked us to wait before retrying. */
  retryAfterMs?: number;
}

/**
 * A model call failed. `retryable` defaults from the code: rate limits, overload, server errors,
 * timeouts and connection failures are retryable; auth and bad requests are not.
 */
export class ModelError extends AgentError {
  declare readonly code: ModelErrorCode;
  /** Provider id. */
  readonly provider: string | undefined;
  /** Model id. */
  readonly modelId: string | undefined;
  /** Vendor HTTP status, when there was one. */
  readonly status: number | undefined;
  /** The wait the vendor asked for (`retry-after`), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(code: ModelErrorCode, message: string, options: ModelErrorOptions = {}) {
    super(code, message, {
      ...options,
      retryable: options.retryable ?? RETRYABLE_MODEL_CODES.has(code),
      details: {
        ...options.details,
        ...(options.provider !== undefined ? { provider: options.provider } : {}),
        ...(options.modelId !== undefined ? { modelId: options.modelId } : {}),
        ...(options.status !== undefined ? { status: options.status } : {}),
        ...(options.retryAfterMs !== undefined ? { retryAfterMs: options.retryAfterMs } : {}),
      },
    });
    this.provider = options.provider;
    this.modelId = options.modelId;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** True when the error means "no capacity right now" (rate limited, overloaded, unavailable). */
  get isCapacityError(): boolean {
    return (
      this.code === 'MODEL_RATE_LIMITED' ||
      this.code === 'MODEL_OVERLOADED' ||
      this.code === 'MODEL_UNAVAILABLE'
    );
  }
}

/** A rate-limit rule refused a call. */
export class RateLimitError extends AgentError {
  /** How long until the call could be admitted, in ms. */
  readonly retryAfterMs: number;
  /** The name of the rule that refused it. */
  readonly rule: string;

  constructor(rule: string, retryAfterMs: number, options: AgentErrorOptions & { message?: string } = {}) {
    super(
      'RATE_LIMITED',
      options.message ??
        `Rate limit "${rule}" reached; retry in ${Math.ceil(retryAfterMs)} ms, or raise the rule's limit in config.`,
      { ...options, retryable: true, details: { ...options.details, rule, retryAfterMs } },
    );
    this.retryAfterMs = retryAfterMs;
    this.rule = rule;
  }
}

/** The run used all of its `maxSteps` without a final answer. */
export class MaxStepsError extends AgentError {
  /** The limit that was reached. */
  readonly maxSteps: number;

  constructor(maxSteps: number, options: AgentErrorOptions = {}) {
    super(
      'MAX_STEPS_EXCEEDED',
      `The run reached maxSteps (${maxSteps}) without a final answer. Raise maxSteps, or check that tools return what the model needs.`,
      { ...options, details: { ...options.details, maxSteps } },
    );
    this.maxSteps = maxSteps;
  }
}

/** The operation was cancelled through its `AbortSignal`. */
export class AbortedError extends AgentError {
  constructor(message = 'The operation was aborted.', options: AgentErrorOptions = {}) {
    super('ABORTED', message, options);
  }
}

/** The planner could not produce a plan that completes, within its replan budget. */
export class PlanError extends AgentError {
  constructor(message: string, options: AgentErrorOptions = {}) {
    super('PLAN_FAILED', message, options);
  }
}
