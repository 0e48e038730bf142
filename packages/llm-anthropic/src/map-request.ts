import type {
  JsonSchemaResponseFormat,
  Message,
  ModelRequest,
  ModelSettings,
  ToolDefinition,
} from '@agent/core';
import type {
  ContentBlockParam,
  MessageCreateParamsNonStreaming,
  MessageParam,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages';

/**
 * The body of a Messages API call. Its tools are all custom tools (`Tool`), and `temperature` is
 * added because `@anthropic-ai/sdk` 1.12 no longer declares it while callers may still set it.
 */
export type AnthropicMessagesBody = Omit<MessageCreateParamsNonStreaming, 'tools'> & {
  tools?: Tool[];
  temperature?: number;
};

/** How the structured-output tool of a request is read back from the response. */
export interface OutputTool {
  /** The tool's name, unique among the request's tools. */
  name: string;
  /** True when a non-object schema was wrapped as `{ value }` (tool input must be an object). */
  wrapped: boolean;
}

/** A mapped request, and the output tool standing in for `settings.responseFormat` if any. */
export interface MappedRequest {
  body: AnthropicMessagesBody;
  output: OutputTool | undefined;
}

/**
 * Maps a core request to a Messages API body: system messages become `system`, tool results
 * `tool_result` blocks in user turns, adjacent same-role turns are merged (the API requires
 * alternation), and `responseFormat` becomes a tool whose input is the answer (ADR 0006).
 */
export function toAnthropicRequest(
  request: ModelRequest,
  modelId: string,
  defaultMaxTokens: number,
): MappedRequest {
  const { system, messages } = toAnthropicMessages(request.messages);
  const settings: ModelSettings = request.settings ?? {};
  const body: AnthropicMessagesBody = {
    model: modelId,
    max_tokens: settings.maxTokens ?? defaultMaxTokens,
    messages,
  };
  if (system !== undefined) body.system = system;
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  const realTools = request.tools ?? [];
  const format = settings.responseFormat;
  if (format === undefined) {
    if (realTools.length > 0) {
      body.tools = realTools.map(toAnthropicTool);
      if (settings.toolChoice !== undefined) body.tool_choice = toAnthropicToolChoice(settings.toolChoice);
    }
    return { body, output: undefined };
  }
  const output = outputToolFor(format, realTools);
  const outputTool: Tool = {
    name: output.name,
    description: `Give your final answer by calling this tool: its input is the answer, matching the schema "${format.name}". Call it once, after any other tool calls you need.`,
    input_schema: output.wrapped
      ? { type: 'object', properties: { value: format.schema }, required: ['value'] }
      : { ...format.schema, type: 'object' },
  };
  // With real tools the output tool joins them under the caller's tool choice (auto by default),
  // so the model can still call tools and answers by calling the output tool. Forcing it would
  // make the real tools unreachable; without real tools (or with 'none') it is forced.
  const choice = settings.toolChoice ?? 'auto';
  if (realTools.length === 0 || choice === 'none') {
    body.tools = [outputTool];
    body.tool_choice = { type: 'tool', name: output.name };
  } else {
    body.tools = [...realTools.map(toAnthropicTool), outputTool];
    body.tool_choice = toAnthropicToolChoice(choice);
  }
  return { body, output };
}

/**
 * Splits system messages off (joined with blank lines, in order: the API takes one system prompt)
 * and maps the rest to alternating user/assistant turns.
 */
export function toAnthropicMessages(messages: readonly Message[]): {
  system: string | undefined;
  messages: MessageParam[];
} {
  const systemParts: string[] = [];
  const turns: { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] = [];
  for (const message of messages) {
    if (message.role === 'system') {
      if (message.content.length > 0) systemParts.push(message.content);
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = toBlocks(message);
    // An empty turn is rejected by the API; skipping it is safe because merging keeps alternation.
    if (blocks.length === 0) continue;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  }
  return {
    system: systemParts.length > 0 ? systemParts.join('\n\n') : undefined,
    messages: turns.map((turn) => ({
      role: turn.role,
      content: turn.role === 'user' ? toolResultsFirst(turn.content) : turn.content,
    })),
  };
}

/** Maps core's tool choice: `required` is Anthropic's `any`, a name is `{ type: 'tool' }`. */
export function toAnthropicToolChoice(choice: NonNullable<ModelSettings['toolChoice']>): ToolChoice {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  return { type: 'tool', name: choice.name };
}

/**
 * The `input` of a `tool_use` block replayed from history. The API requires an object, so JSON
 * text of an object is parsed, and anything else (text that was not JSON, which core already
 * answered with a tool-input error) is sent as `{}`: the tool result that follows explains it.
 */
export function toToolInput(toolArguments: unknown): Record<string, unknown> {
  if (isPlainObject(toolArguments)) return toolArguments;
  if (typeof toolArguments === 'string') {
    try {
      const parsed: unknown = JSON.parse(toolArguments);
      if (isPlainObject(parsed)) return parsed;
    } catch {
      // Not JSON: fall through to the empty object.
    }
  }
  return {};
}

function toBlocks(message: Exclude<Message, { role: 'system' }>): ContentBlockParam[] {
  if (message.role === 'tool') {
    return [
      {
        type: 'tool_result',
        tool_use_id: message.toolCallId,
        ...(message.content.length > 0 ? { content: message.content } : {}),
        ...(message.isError ? { is_error: true } : {}),
      },
    ];
  }
  const blocks: ContentBlockParam[] = [];
  if (message.content.length > 0) blocks.push({ type: 'text', text: message.content });
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) {
      blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toToolInput(call.arguments) });
    }
  }
  return blocks;
}

// The API wants a user turn's tool results before its text; a user message sent between a tool
// call and its result would otherwise put text first after merging.
function toolResultsFirst(blocks: ContentBlockParam[]): ContentBlockParam[] {
  const results = blocks.filter((block) => block.type === 'tool_result');
  if (results.length === 0 || results.length === blocks.length) return blocks;
  return [...results, ...blocks.filter((block) => block.type !== 'tool_result')];
}

function toAnthropicTool(tool: ToolDefinition): Tool {
  return {
    name: tool.name,
    description: tool.description,
    input_schema: { ...tool.inputSchema, type: 'object' },
  };
}

// Tool names must match ^[a-zA-Z0-9_-]{1,64}$ and be unique among the request's tools.
function outputToolFor(format: JsonSchemaResponseFormat, tools: readonly ToolDefinition[]): OutputTool {
  const base = format.name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 56) || 'output';
  const taken = new Set(tools.map((tool) => tool.name));
  let name = base;
  for (let suffix = 2; taken.has(name); suffix++) name = `${base}_${suffix}`;
  return { name, wrapped: format.schema.type !== 'object' };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
