import { ConfigError, type LogFields, type Logger } from '@agent/core';
import winston from 'winston';
import { defaultLogContext, type LogContext } from '../context/log-context.js';
import { createRedactor } from '../redact/create-redactor.js';
import type { Redactor } from '../redact/redactor.js';
import {
  LOG_FORMATS,
  type LogFormat,
  type LogRecord,
  renderJson,
  renderPretty,
  shouldUseColor,
} from './log-format.js';
import { isLogLevel, LOG_LEVELS, type LogLevel } from './log-level.js';
import { toLogValue } from './to-log-value.js';

/** A winston transport: where lines go (`new winston.transports.Console()`, `File`, `Stream`, ...). */
export type LogTransport = winston.transport;

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** The least severe level written. @default 'info' */
  level?: LogLevel;
  /** `json` for machines (one object per line), `pretty` for humans. @default 'json' */
  format?: LogFormat;
  /**
   * Colours in `pretty` output. @default true only when writing to stdout (no `transports`
   * given), stdout is a terminal and `NO_COLOR` is unset
   */
  color?: boolean;
  /** Redacts message and fields: true for the default redactor, false for none, or your own. @default true */
  redact?: boolean | Redactor;
  /** Where lines go. @default one Console transport writing to stdout */
  transports?: readonly LogTransport[];
  /** Where the ambient ids (`requestId`, `runId`, `tenant`, `agent`) are read from. @default defaultLogContext */
  context?: LogContext;
  /** Fields on every line, e.g. `{ service: 'agent-server' }`. @default {} */
  fields?: LogFields;
  /**
   * Called when a line cannot be formatted or a transport fails; logging itself never throws.
   * @default a one-time process warning
   */
  onError?: (error: unknown) => void;
}

/** A core {@link Logger} on winston that can also change level and flush. */
export interface AgentLogger extends Logger {
  /** The least severe level written; shared by the logger and all of its children. */
  level: LogLevel;
  /** A logger that adds `fields` to every line and shares this one's transports and level. */
  child(fields: LogFields): AgentLogger;
  /**
   * Flushes and closes the transports of this logger and all of its children. Lines logged
   * after it are dropped. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

// triple-beam's MESSAGE: the finished line that winston transports write out.
const MESSAGE = Symbol.for('message');
const RESERVED = new Set(['timestamp', 'level', 'message']);
const MAX_DEPTH = 10;

/** What a logger and all of its children share: one winston instance, one level, one redactor. */
interface LoggerCore {
  readonly winston: winston.Logger;
  readonly context: LogContext;
  readonly redactor: Redactor | undefined;
  readonly reportError: (error: unknown) => void;
  closing: Promise<void> | undefined;
}

function fail(message: string): never {
  throw new ConfigError(message);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isRedactor = (value: unknown): value is Redactor =>
  isObject(value) && typeof value.redact === 'function' && typeof value.redactString === 'function';

function checkLevel(level: unknown): LogLevel {
  if (!isLogLevel(level)) {
    fail(`Logger level ${JSON.stringify(level)} is not supported; pass one of ${LOG_LEVELS.join(', ')}.`);
  }
  return level;
}

function resolveRedactor(option: LoggerOptions['redact']): Redactor | undefined {
  if (option === undefined || option === true) return createRedactor();
  if (option === false) return undefined;
  if (!isRedactor(option)) {
    fail('Logger option "redact" must be true, false or a Redactor from createRedactor().');
  }
  return option.enabled ? option : undefined;
}

function resolveTransports(option: LoggerOptions['transports']): LogTransport[] | undefined {
  if (option === undefined) return undefined;
  if (!Array.isArray(option) || option.length === 0) {
    fail(
      'Logger option "transports" must be a non-empty array of winston transports; omit it to log to stdout.',
    );
  }
  for (const transport of option) {
    if (
      !isObject(transport) ||
      (typeof transport.log !== 'function' && typeof transport.write !== 'function')
    ) {
      fail('Logger option "transports" must hold winston transports, e.g. new winston.transports.Console().');
    }
  }
  return [...option];
}

function defaultErrorReporter(): (error: unknown) => void {
  let warned = false;
  return (error) => {
    if (warned) return;
    warned = true;
    const reason = error instanceof Error ? error.message : String(error);
    process.emitWarning(`A log line could not be written (${reason}); later failures are not reported.`, {
      code: 'AGENT_LOG_WRITE_FAILED',
    });
  };
}

function createCore(options: LoggerOptions): LoggerCore {
  const level = checkLevel(options.level ?? 'info');
  const format = options.format ?? 'json';
  if (!LOG_FORMATS.includes(format)) {
    fail(`Logger format ${JSON.stringify(format)} is not supported; pass 'json' or 'pretty'.`);
  }
  if (options.color !== undefined && typeof options.color !== 'boolean') {
    fail('Logger option "color" must be true or false; omit it to colour only a terminal.');
  }
  const context = options.context ?? defaultLogContext;
  if (!isObject(context) || typeof context.get !== 'function' || typeof context.run !== 'function') {
    fail(
      'Logger option "context" must be a LogContext, e.g. new LogContext(); omit it for defaultLogContext.',
    );
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    fail('Logger option "onError" must be a function that takes the error.');
  }
  const redactor = resolveRedactor(options.redact);
  const custom = resolveTransports(options.transports);
  const transports = custom ?? [new winston.transports.Console()];
  const color = options.color ?? (custom === undefined && shouldUseColor(process.stdout, process.env));
  const render =
    format === 'pretty'
      ? (record: LogRecord) => renderPretty(record, color)
      : (record: LogRecord) => renderJson(record);

  const instance = winston.createLogger({
    level,
    transports,
    format: winston.format((info) => {
      (info as Record<symbol, unknown>)[MESSAGE] = render(info as LogRecord);
      return info;
    })(),
  });
  const reportError = options.onError ?? defaultErrorReporter();
  // Without a listener a failing transport's error would be thrown from the stream machinery.
  instance.on('error', reportError);
  return { winston: instance, context: context as LogContext, redactor, reportError, closing: undefined };
}

class WinstonAgentLogger implements AgentLogger {
  readonly #core: LoggerCore;
  readonly #fields: LogFields;

  constructor(core: LoggerCore, fields: LogFields) {
    this.#core = core;
    this.#fields = fields;
  }

  get level(): LogLevel {
    return this.#core.winston.level as LogLevel;
  }

  set level(level: LogLevel) {
    this.#core.winston.level = checkLevel(level);
  }

  debug(message: string, fields?: LogFields): void {
    this.#write('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.#write('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.#write('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.#write('error', message, fields);
  }

  child(fields: LogFields): AgentLogger {
    // Same core, so a child per run costs one small object, not a winston instance.
    return new WinstonAgentLogger(this.#core, { ...this.#fields, ...fields });
  }

  close(): Promise<void> {
    const core = this.#core;
    core.closing ??= new Promise<void>((resolve) => {
      // winston's finish waits for every transport's finish, i.e. for their writes to be flushed.
      core.winston.once('finish', () => resolve());
      core.winston.end();
    });
    return core.closing;
  }

  #write(level: LogLevel, message: string, fields: LogFields | undefined): void {
    const core = this.#core;
    if (core.closing !== undefined || !core.winston.isLevelEnabled(level)) return;
    try {
      core.winston.log(this.#record(level, message, fields) as winston.LogEntry);
    } catch (error) {
      core.reportError(error);
    }
  }

  #record(level: LogLevel, message: string, fields: LogFields | undefined): LogRecord {
    const { context, redactor, winston: instance } = this.#core;
    // Ids are read now, at log time, from the async context of the caller: never passed by hand.
    const merged = { ...context.get(), ...this.#fields, ...fields };
    const safe = toLogValue(merged, { stack: instance.level === 'debug', maxDepth: MAX_DEPTH }) as LogRecord;
    const text = String(message);
    const record: LogRecord = {
      timestamp: new Date().toISOString(),
      level,
      message: redactor ? redactor.redactString(text) : text,
    };
    for (const [key, value] of Object.entries(redactor ? redactor.redact(safe) : safe)) {
      // A field may not overwrite the line's own timestamp, level or message; it is kept as _<name>.
      record[RESERVED.has(key) ? `_${key}` : key] = value;
    }
    return record;
  }
}

/**
 * A structured logger on winston that implements core's `Logger`. Every line carries a
 * timestamp, the level, the message, the ids of the async context it is logged in (`requestId`,
 * `runId`, `tenant`, `agent`), the base fields, the child fields and the call's fields, in that
 * order (later ones win). Message and fields are redacted by default; errors in fields are
 * serialised (`name`, `message`, `code`, `cause`, and `stack` when the level is `debug`).
 *
 * @throws ConfigError when an option is invalid; the message says what to pass.
 * @example
 * ```ts
 * const logger = createLogger({ level: 'debug', fields: { service: 'agent-server' } });
 * await defaultLogContext.run({ requestId: 'req-1' }, async () => {
 *   logger.info('request received', { path: '/runs' }); // carries requestId: 'req-1'
 * });
 * await logger.close();
 * ```
 */
export function createLogger(options: LoggerOptions = {}): AgentLogger {
  if (options.fields !== undefined && !isObject(options.fields)) {
    fail('Logger option "fields" must be an object of fields, e.g. { service: \'agent-server\' }.');
  }
  return new WinstonAgentLogger(createCore(options), { ...options.fields });
}
