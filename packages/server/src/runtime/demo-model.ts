import {
  type AssistantMessage,
  sleep as abortableSleep,
  estimateTokens,
  type LanguageModel,
  type Message,
  type ModelRequest,
  type ModelResponse,
  type ModelStreamEvent,
  type Sleep,
  type ToolDefinition,
  throwIfAborted,
} from '@agent/core';

/** Options of {@link createDemoModel}. */
export interface DemoModelOptions {
  /** Wait this long before each answer, so a dashboard can watch a run progress. @default 150 */
  latencyMs?: number;
  /** How to wait (abortable). @default core's `sleep` */
  sleep?: Sleep;
  /** Words in the hint that says how to configure a real model, e.g. `OPENAI_API_KEY`. */
  configureHint?: string;
}

/** Which offered tool answers a user's message: the first rule whose pattern matches. */
const TOOL_RULES: readonly {
  tool: string;
  pattern: RegExp;
  arguments: (text: string) => Record<string, unknown>;
}[] = [
  {
    tool: 'weather',
    pattern: /\b(weather|temperature|forecast|raining|sunny)\b/i,
    arguments: (text) => ({ city: cityIn(text) ?? 'London' }),
  },
  {
    tool: 'calculator',
    pattern: /\d\s*[-+*/^%]\s*[\d(]/,
    arguments: (text) => ({ expression: arithmeticIn(text) ?? text }),
  },
  { tool: 'current_time', pattern: /\b(time|date|day|today|clock|o'clock)\b/i, arguments: () => ({}) },
  {
    tool: 'word_count',
    pattern: /\b(count|how many words|word count|words)\b/i,
    arguments: (text) => ({ text: quotedText(text) ?? text }),
  },
];

const DEFAULT_HINT =
  'set the API key of your model (e.g. OPENAI_API_KEY or ANTHROPIC_API_KEY) or an apiKey under models in agent.config.yaml';

/**
 * A deterministic `LanguageModel` that stands in when no API key is configured, so the server
 * works out of the box: it calls an offered tool when the user's message asks for something one
 * answers (the time, a word count), and otherwise answers with a short text that quotes the input
 * and says how to configure a real model. Free (`costUsd: 0`), streamed in a few chunks.
 *
 * @example
 * ```ts
 * const model = createDemoModel({ latencyMs: 0 });
 * const agent = new Agent({ name: 'demo', model, tools: [currentTimeTool] });
 * await agent.run('What time is it?'); // calls current_time, then reports its result
 * ```
 */
export function createDemoModel(options: DemoModelOptions = {}): LanguageModel {
  const latencyMs = options.latencyMs ?? 150;
  const wait = options.sleep ?? abortableSleep;
  const hint = options.configureHint ?? DEFAULT_HINT;

  const answer = async (request: ModelRequest): Promise<ModelResponse> => {
    throwIfAborted(request.signal, 'The model call');
    if (latencyMs > 0) await wait(latencyMs, request.signal);
    throwIfAborted(request.signal, 'The model call');
    const message = respond(request.messages, request.tools ?? [], hint);
    const inputTokens = estimateTokens({ messages: request.messages });
    const outputTokens = Math.max(
      1,
      Math.ceil((message.content.length + JSON.stringify(message.toolCalls ?? []).length) / 4),
    );
    return {
      message,
      usage: { inputTokens, outputTokens, costUsd: 0 },
      finishReason: message.toolCalls ? 'tool-calls' : 'stop',
      responseId: `demo-${inputTokens}-${outputTokens}`,
    };
  };

  return {
    provider: 'demo',
    modelId: 'demo',
    generate: answer,
    async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
      const response = await answer(request);
      for (const chunk of chunks(response.message.content, 4)) {
        throwIfAborted(request.signal, 'The model call');
        yield { type: 'text-delta', delta: chunk };
      }
      for (const toolCall of response.message.toolCalls ?? []) yield { type: 'tool-call', toolCall };
      yield { type: 'finish', response };
    },
  };
}

function respond(
  messages: readonly Message[],
  tools: readonly ToolDefinition[],
  hint: string,
): AssistantMessage {
  const last = messages.at(-1);
  const system = messages.find((message) => message.role === 'system')?.content ?? '';
  if (last?.role === 'user' && PLANNER_PROMPT.test(system))
    return { role: 'assistant', content: demoPlan(last.content, system) };
  if (last?.role === 'user' && FINAL_ANSWER_REQUEST.test(last.content)) {
    const results =
      /Results of the steps:\n([\s\S]*?)\n\nWrite the final answer/.exec(last.content)?.[1] ?? '';
    return {
      role: 'assistant',
      content: `The steps found: ${shorten(results)}. (Answered by the built-in demo model; ${hint} for a real one.)`,
    };
  }
  if (last?.role === 'user') {
    const offered = new Set(tools.map((tool) => tool.name));
    const rule = TOOL_RULES.find(
      (candidate) => offered.has(candidate.tool) && candidate.pattern.test(last.content),
    );
    if (rule) {
      const index = messages.filter((message) => message.role === 'assistant').length;
      return {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: `demo_call_${index + 1}`, name: rule.tool, arguments: rule.arguments(last.content) },
        ],
      };
    }
    return {
      role: 'assistant',
      content: `You said: "${shorten(last.content)}". I am the built-in demo model, so ${demoAbilities(offered)} To get real answers, ${hint}.`,
    };
  }
  if (last?.role === 'tool') {
    const results = trailingToolResults(messages);
    const lines = results.map((result) =>
      result.isError
        ? `${result.toolName} failed: ${shorten(result.content)}`
        : `${result.toolName} says ${shorten(result.content)}`,
    );
    return {
      role: 'assistant',
      content: `${lines.join('; ')}. (Answered by the built-in demo model; ${hint} for a real one.)`,
    };
  }
  return {
    role: 'assistant',
    content: `Hello! I am the built-in demo model. To get real answers, ${hint}.`,
  };
}

// The planner of core's PlannerExecutor asks for a JSON plan in its system prompt, and the final
// answer with this closing line; the demo model answers both so a planner agent runs without a key.
// A server test runs a PlannerExecutor on the demo model, so a change of those prompts is caught.
const PLANNER_PROMPT = /^You are the planner of /;
const FINAL_ANSWER_REQUEST = /\n\nWrite the final answer\.$/;

/** A one-step plan: the tool a rule picks for the task (among the planner's tools), else no tool. */
function demoPlan(task: string, system: string): string {
  const rule = TOOL_RULES.find(
    (candidate) => system.includes(`- ${candidate.tool}: `) && candidate.pattern.test(task),
  );
  const step = rule
    ? { description: `Use ${rule.tool}`, tool: rule.tool, input: rule.arguments(task) }
    : { description: `Answer: ${shorten(task, 80)}` };
  return JSON.stringify({ goal: shorten(task, 80), steps: [step] });
}

function trailingToolResults(messages: readonly Message[]) {
  const results: Extract<Message, { role: 'tool' }>[] = [];
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as Message;
    if (message.role !== 'tool') break;
    results.unshift(message);
  }
  return results;
}

/** What the demo model can do with the offered tools: the ones it has a rule for. */
function demoAbilities(offered: ReadonlySet<string>): string {
  const usable = TOOL_RULES.filter((rule) => offered.has(rule.tool)).map((rule) => rule.tool);
  return usable.length === 0
    ? 'I cannot answer that.'
    : `I can only call ${usable.join(', ')} when you ask for what they do.`;
}

/** "... in Oslo?" → Oslo: the capitalised words after the last "in". */
function cityIn(text: string): string | undefined {
  const matches = [...text.matchAll(/\bin ([A-Z][\p{L}'-]*(?: [A-Z][\p{L}'-]*)*)/gu)];
  return matches.at(-1)?.[1];
}

/** The longest run of digits, operators and parentheses that holds an operator: "what is 2 + 3?" → 2 + 3. */
function arithmeticIn(text: string): string | undefined {
  const candidates = text.match(/[\d.\s()+\-*/^%]+/g) ?? [];
  return candidates
    .map((candidate) => candidate.trim())
    .filter((candidate) => /\d\s*[-+*/^%]\s*[\d(]/.test(candidate))
    .sort((a, b) => b.length - a.length)[0];
}

/** The text between the first pair of quotes, if any: what "count the words in '...'" means. */
function quotedText(text: string): string | undefined {
  const match = /["“'‘]([^"”'’]+)["”'’]/.exec(text);
  return match?.[1];
}

function shorten(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function chunks(text: string, count: number): string[] {
  if (text === '') return [];
  const size = Math.max(1, Math.ceil(text.length / count));
  const parts: string[] = [];
  for (let offset = 0; offset < text.length; offset += size) parts.push(text.slice(offset, offset + size));
  return parts;
}
