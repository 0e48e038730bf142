import { type AgentEvent, ConfigError, type RunScope } from '@agent/core';
import { context, type Tracer, trace } from '@opentelemetry/api';
import type { Redactor } from '../redact/redactor.js';
import { RunSpans, type RunState } from './run-spans.js';
import { createSpanContent } from './span-content.js';

/** Construction options of {@link createAgentTracing}. */
export interface AgentTracingOptions {
  /** Where spans go. @default trace.getTracer('@agent/observability') */
  tracer?: Tracer;
  /**
   * Record content on spans: the run's input and output, the model's answers
   * (`gen_ai.input.messages`, `gen_ai.output.messages`), tool arguments and results. It is the
   * users' data: leave it off unless your trace backend may hold it, and pass a `redactor`.
   * @default false
   */
  captureContent?: boolean;
  /** Applied to every piece of captured content and to error messages on spans. */
  redactor?: Redactor;
  /** Longer content attributes are cut to this many characters (and marked as cut). @default 16_384 */
  maxAttributeLength?: number;
  /** Runs with spans in flight at once; past it the oldest is ended. @default 10_000 */
  maxActiveRuns?: number;
  /** Called when turning an event into spans fails; `observe` itself never throws. */
  onError?: (error: unknown, event: AgentEvent | undefined) => void;
}

/** OpenTelemetry GenAI spans of agent runs. */
export interface AgentTracing {
  /** Records one event. For `bus.tap(tracing.observe)`: cheap, in-memory, never throws. */
  observe(event: AgentEvent): void;
  /**
   * Makes each run's `invoke_agent` span the active one for all of the run's work, so spans made
   * inside it (HTTP client instrumentation of a model SDK, say) nest under it. Pass it as the
   * agent's `scope`.
   */
  readonly scope: RunScope;
  /** Runs with spans in flight: zero once every run has ended. */
  readonly activeRuns: number;
}

/**
 * Creates OpenTelemetry spans of agent runs, following the GenAI semantic conventions:
 * `invoke_agent {agent}` per run (a child of the span active where the run started),
 * `chat {model}` per model call and `execute_tool {tool}` per tool call under it. Spans are built
 * from events and timed by their timestamps. Uses only `@opentelemetry/api`: register an SDK
 * (and a context manager, for parenting across `await`) in your app.
 *
 * @example
 * ```ts
 * const tracing = createAgentTracing({ captureContent: true, redactor: createRedactor() });
 * const events = new EventBus();
 * events.tap(tracing.observe);
 * const agent = new Agent({ name: 'assistant', model, events, scope: tracing.scope });
 * ```
 */
export function createAgentTracing(options: AgentTracingOptions = {}): AgentTracing {
  const maxAttributeLength = positiveInteger(options.maxAttributeLength, 16_384, 'maxAttributeLength');
  const maxActiveRuns = positiveInteger(options.maxActiveRuns, 10_000, 'maxActiveRuns');
  const spans = new RunSpans({
    tracer: options.tracer ?? trace.getTracer('@agent/observability'),
    captureContent: options.captureContent === true,
    content: createSpanContent(options.redactor, maxAttributeLength),
    maxActiveRuns,
  });
  const report = (error: unknown, event: AgentEvent | undefined): void => {
    try {
      options.onError?.(error, event);
    } catch {
      // Nothing left to tell; tracing must never break a run.
    }
  };
  const finish = (state: RunState, error: unknown): void => {
    try {
      spans.finish(state, error, Date.now());
    } catch (caught) {
      report(caught, undefined);
    }
  };

  const scope: RunScope = {
    enter(run, fn) {
      let state: RunState;
      try {
        state = spans.begin(run, context.active(), Date.now());
      } catch (error) {
        report(error, undefined);
        return fn();
      }
      let result: ReturnType<typeof fn>;
      try {
        result = context.with(state.context, fn);
      } catch (error) {
        finish(state, error);
        throw error;
      }
      // Ends the span when the terminal event never came (no tap); a no-op when it did.
      Promise.resolve(result).then(
        () => finish(state, undefined),
        (error: unknown) => finish(state, error ?? new Error('The run failed.')),
      );
      return result;
    },
  };

  return {
    observe: (event) => {
      try {
        spans.observe(event);
      } catch (error) {
        report(error, event);
      }
    },
    scope,
    get activeRuns() {
      return spans.size;
    },
  };
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(`createAgentTracing ${name} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}
