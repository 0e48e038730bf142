import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AgentEvent, Usage } from '@agent/core';
import { ANONYMOUS_PRINCIPAL } from '@agent/server';
import { loadCliConfig, resolveConfigPath } from '../config.js';
import { type CommandContext, closest, UsageError } from '../context.js';
import { EXIT_FAILURE, EXIT_SUCCESS } from '../exit-codes.js';
import { openRuntime, stderrLogger, withDefaultMemoryStore } from '../runtime.js';
import { createSpinner, NO_SPINNER, type Spinner } from '../spinner.js';
import { readTaskFile } from '../task-file.js';

/** Options of `agent run`. */
export interface RunOptions {
  config?: string;
  json?: boolean;
  /** `-` reads the task from stdin; any other value is a file to read it from. */
  input?: string;
  /** A YAML (or JSON) task file: `input`, and optionally `conversationId` and `metadata`. */
  file?: string;
}

/** `agent run <agent> "<task>"`: runs the agent once, streaming its events; exit 0 when it completed. */
export async function runAgent(
  agentName: string,
  task: string | undefined,
  options: RunOptions,
  context: CommandContext,
): Promise<number> {
  const { io } = context;
  const request = await readRequest(task, options, context);
  const path = resolveConfigPath(options.config, io);
  const loaded = await loadCliConfig(path, io);
  const config = await withDefaultMemoryStore(loaded.config, loaded.files);
  const runtime = await openRuntime(config, path, io, stderrLogger(io, context.err));
  try {
    const names = runtime.agents.map((agent) => agent.name);
    if (!names.includes(agentName)) {
      const suggestion = closest(agentName, names);
      throw new UsageError(
        `unknown agent "${agentName}"${suggestion !== undefined ? ` (Did you mean ${suggestion}?)` : ''}\n` +
          `  Available agents: ${names.length > 0 ? names.join(', ') : 'none'} (see: agent agents list)`,
      );
    }
    const principal = ANONYMOUS_PRINCIPAL;
    const started = await runtime.runs.start({ agent: agentName, ...request, principal });
    const events = await runtime.runs.events(started.runId, principal.tenant, {});
    const spinner = options.json ? NO_SPINNER : createSpinner(io.stderr, io.env);
    const printer = options.json ? jsonPrinter(context) : humanPrinter(context, spinner);
    try {
      for await (const event of events ?? []) printer(event);
    } finally {
      spinner.stop();
    }
    const record = await started.done;
    return record.status === 'completed' ? EXIT_SUCCESS : EXIT_FAILURE;
  } finally {
    await runtime.close({ graceMs: 0 });
  }
}

async function readRequest(task: string | undefined, options: RunOptions, context: CommandContext) {
  if (options.file !== undefined) {
    if (task !== undefined || options.input !== undefined)
      throw new UsageError('give the task one way: as an argument, with --input, or with --file');
    return readTaskFile(resolve(context.io.cwd, options.file));
  }
  return { input: await readTask(task, options.input, context) };
}

async function readTask(task: string | undefined, source: string | undefined, context: CommandContext) {
  if (source !== undefined) {
    if (task !== undefined)
      throw new UsageError('give the task either as an argument or with --input, not both');
    const text =
      source === '-'
        ? await readAll(context.io.stdin)
        : await readFile(resolve(context.io.cwd, source), 'utf8');
    return text.trim();
  }
  if (task === undefined || task.trim() === '') {
    throw new UsageError('missing the task: agent run <agent> "<task>", or --input - to read it from stdin');
  }
  return task;
}

async function readAll(stream: AsyncIterable<string | Uint8Array> | undefined): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream ?? [])
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

export type Printer = (event: AgentEvent) => void;

/** One JSON object per line, nothing else on stdout. */
export function jsonPrinter({ io }: CommandContext): Printer {
  return (event) => io.stdout.write(`${JSON.stringify(event)}\n`);
}

/**
 * Text as it arrives, one compact line per tool call, usage and cost at the end. On a terminal a
 * spinner (on stderr) shows the current step and tool while nothing else is being written.
 */
export function humanPrinter({ io, out, err }: CommandContext, spinner: Spinner = NO_SPINNER): Printer {
  let streamedText = false;
  let lineOpen = false;
  let step = 0;
  const line = (text: string) => {
    spinner.clear();
    if (lineOpen) io.stdout.write('\n');
    lineOpen = false;
    io.stdout.write(`${text}\n`);
  };
  const status = (text: string) => {
    // While text streams on an open line, a spinner would scribble over it.
    if (!lineOpen) spinner.update(err.dim(`step ${step} · ${text}`));
  };
  return (event) => {
    switch (event.type) {
      case 'run.started':
        status('starting');
        break;
      case 'step.started':
        step = event.step;
        status('waiting for the model');
        break;
      case 'model.text-delta':
        spinner.clear();
        io.stdout.write(event.delta);
        streamedText = true;
        lineOpen = !event.delta.endsWith('\n');
        break;
      case 'tool.called':
        line(out.dim(`→ ${event.toolCall.name}(${shorten(JSON.stringify(event.toolCall.arguments), 60)})`));
        status(`running ${event.toolCall.name}`);
        break;
      case 'tool.succeeded':
        line(
          out.dim(
            `${out.green('✓')} ${event.toolName} ${event.durationMs}ms → ${shorten(JSON.stringify(event.output) ?? 'undefined', 60)}`,
          ),
        );
        status('thinking');
        break;
      case 'tool.failed':
        line(`${out.red('✗')} ${event.toolName}: ${event.error.message}`);
        status('thinking');
        break;
      case 'plan.created':
        line(out.dim(`plan: ${event.plan.goal} (${event.plan.steps.length} step(s))`));
        break;
      case 'plan.step.started':
        line(out.dim(`▸ ${event.index + 1}. ${event.description}`));
        status(event.tool !== undefined ? `running ${event.tool}` : `step ${event.index + 1} of the plan`);
        break;
      case 'run.completed':
        spinner.stop();
        if (!streamedText)
          line(typeof event.output === 'string' ? event.output : JSON.stringify(event.output, null, 2));
        line(out.dim(`${out.green('completed')} · ${summary(event.steps, event.usage, event.durationMs)}`));
        break;
      case 'run.failed':
        spinner.stop();
        line(out.dim(`failed · ${summary(event.steps, event.usage, event.durationMs)}`));
        io.stderr.write(`${err.red('error:')} run failed: ${event.error.code}: ${event.error.message}\n`);
        break;
      case 'run.cancelled':
        spinner.stop();
        line(out.dim(`cancelled · ${summary(event.steps, event.usage, event.durationMs)}`));
        io.stderr.write(`${err.red('error:')} run cancelled: ${event.reason}\n`);
        break;
      default:
        break;
    }
  };
}

function summary(steps: number, usage: Usage, durationMs: number): string {
  const cost = usage.costUsd !== undefined ? ` · $${usage.costUsd.toFixed(4)}` : '';
  return `${steps} step(s) · ${usage.inputTokens} in / ${usage.outputTokens} out tokens${cost} · ${(durationMs / 1000).toFixed(1)}s`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
