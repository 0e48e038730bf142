import type { z } from 'zod';
import { AgentError } from '../errors/agent-error.js';
import { AbortedError, ToolError } from '../errors/errors.js';
import type { ToolCall } from '../messages/message.js';
import type { Logger } from '../util/logger.js';
import type { AnyTool, ToolContext } from './define-tool.js';
import type { ToolRegistry } from './tool-registry.js';

/** The outcome of one tool call: the output, or the typed error; `content` goes to the model. */
export type ToolCallOutcome =
  | { ok: true; output: unknown; content: string }
  | { ok: false; error: AgentError; content: string };

/** What {@link executeToolCall} needs from the run. */
export interface ToolCallEnvironment {
  registry: ToolRegistry;
  runId: string;
  agent: string;
  tenant: string | undefined;
  logger: Logger;
  /** The run's signal; aborting it aborts the tool. */
  signal: AbortSignal | undefined;
  /** Timeout for tools that set none. */
  defaultTimeoutMs: number;
}

const MAX_ECHO_CHARS = 500;

/**
 * Validates the model's arguments and runs the tool with a timeout and the run's signal.
 * Never throws for tool problems: an unknown tool, invalid arguments, a throw, a timeout and
 * invalid output each come back as `ok: false` with a message the model can act on. Only an
 * abort of the run itself is thrown, because the run must stop.
 */
export async function executeToolCall(
  call: ToolCall,
  environment: ToolCallEnvironment,
): Promise<ToolCallOutcome> {
  const tool = environment.registry.get(call.name);
  if (!tool) {
    return failure(
      new ToolError(
        'TOOL_NOT_FOUND',
        call.name,
        `Tool "${call.name}" does not exist. Available tools: ${environment.registry.namesForMessage()}. Call one of those instead.`,
      ),
    );
  }
  const parsed = tool.input.safeParse(parseArguments(call.arguments));
  if (!parsed.success) {
    return failure(
      new ToolError(
        'TOOL_INPUT_INVALID',
        tool.name,
        `Tool "${tool.name}" input invalid: ${describeIssues(parsed.error)}. The model sent ${echo(call.arguments)}. Fix the arguments and call the tool again.`,
        { cause: parsed.error },
      ),
    );
  }
  let output: unknown;
  try {
    output = await runWithTimeout(tool, parsed.data, call.id, environment);
  } catch (error) {
    if (environment.signal?.aborted)
      throw new AbortedError('The run was aborted during a tool call.', { cause: error });
    // A tool that throws a typed tool error (a guard's TOOL_REFUSED, its own TOOL_INPUT_INVALID)
    // has said precisely what went wrong: keep its code and message instead of TOOL_FAILED.
    if (AgentError.isInstance(error) && error.code.startsWith('TOOL_')) return failure(error);
    const message = error instanceof Error ? error.message : String(error);
    return failure(
      new ToolError('TOOL_FAILED', tool.name, `Tool "${tool.name}" failed: ${message}`, { cause: error }),
    );
  }
  if (tool.output) {
    const checked = tool.output.safeParse(output);
    if (!checked.success) {
      return failure(
        new ToolError(
          'TOOL_OUTPUT_INVALID',
          tool.name,
          `Tool "${tool.name}" returned output that does not match its output schema: ${describeIssues(checked.error)}.`,
          { cause: checked.error },
        ),
      );
    }
    output = checked.data;
  }
  return { ok: true, output, content: typeof output === 'string' ? output : (JSON.stringify(output) ?? '') };
}

function failure(error: AgentError): ToolCallOutcome {
  return { ok: false, error, content: `Error: ${error.message}` };
}

// Adapters parse the model's JSON; a string here means the model sent text that was not JSON,
// or a double-encoded object. Try once, so a stray encoding does not cost a round trip.
function parseArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Runs `execute` with the tool's timeout and the run's signal. A tool that answers synchronously
 * returns at once, without a timer or a listener: it cannot be interrupted anyway, and most
 * simple tools are synchronous.
 */
function runWithTimeout(
  tool: AnyTool,
  input: unknown,
  toolCallId: string,
  environment: ToolCallEnvironment,
): unknown {
  const parent = environment.signal;
  if (parent?.aborted)
    throw new AbortedError('The run was aborted during a tool call.', { cause: parent.reason });
  // The tool's AbortController is made only when the tool reads `context.signal`: most tools
  // never do, and a controller per call was the largest single cost of the loop's hot path.
  let controller: AbortController | undefined;
  let abortReason: unknown;
  let aborted = false;
  const context: ToolContext = {
    get signal(): AbortSignal {
      if (controller === undefined) {
        controller = new AbortController();
        if (aborted) controller.abort(abortReason);
      }
      return controller.signal;
    },
    runId: environment.runId,
    agent: environment.agent,
    tenant: environment.tenant,
    toolCallId,
    logger: environment.logger,
  };
  const result: unknown = tool.execute(input, context);
  if (!isPromiseLike(result)) return result;

  const timeoutMs = tool.timeoutMs ?? environment.defaultTimeoutMs;
  return new Promise<unknown>((resolve, reject) => {
    const abortTool = (reason: unknown, error: unknown) => {
      aborted = true;
      abortReason = reason;
      controller?.abort(reason);
      reject(error);
    };
    const onParentAbort = () => {
      clearTimeout(timer);
      abortTool(
        parent?.reason,
        new AbortedError('The run was aborted during a tool call.', { cause: parent?.reason }),
      );
    };
    const timer = setTimeout(() => {
      parent?.removeEventListener('abort', onParentAbort);
      const error = new ToolError(
        'TOOL_TIMEOUT',
        tool.name,
        `Tool "${tool.name}" timed out after ${timeoutMs} ms. Try again with a smaller request, or raise the tool's timeoutMs.`,
        { retryable: true },
      );
      abortTool(error, error);
    }, timeoutMs);
    parent?.addEventListener('abort', onParentAbort, { once: true });
    result.then(
      (value) => {
        clearTimeout(timer);
        parent?.removeEventListener('abort', onParentAbort);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        parent?.removeEventListener('abort', onParentAbort);
        reject(error);
      },
    );
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** `path: message; path: message` from a zod error, short enough for a model to read. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `"${issue.path.join('.')}" ${issue.message}` : issue.message))
    .join('; ');
}

function echo(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_ECHO_CHARS ? `${text.slice(0, MAX_ECHO_CHARS)}…` : text;
}
