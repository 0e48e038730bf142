import type { Message, ModelRequest, ModelSettings, ToolDefinition } from '@agent/core';
import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { isStrictCompatible } from './strict-schema.js';

/** The Chat Completions body of a request, without `stream` (the caller adds it). */
export type ChatRequestBody = Omit<ChatCompletionCreateParamsBase, 'stream' | 'stream_options'>;

// Reasoning models reject `max_tokens`; older ones and most OpenAI-compatible servers (vLLM,
// Ollama, gateways) only know it. So the new name is sent only where it is required.
const MAX_COMPLETION_TOKENS_MODELS = /^(?:o1|o3|o4|gpt-5)/;

/** Whether `modelId` takes `max_completion_tokens` instead of `max_tokens`. */
export function usesMaxCompletionTokens(modelId: string): boolean {
  return MAX_COMPLETION_TOKENS_MODELS.test(modelId.replace(/^ft:/, ''));
}

/** Builds the Chat Completions body for `request` (ADR 0006 mapping). */
export function toChatRequestBody(modelId: string, request: ModelRequest): ChatRequestBody {
  const body: ChatRequestBody = { model: modelId, messages: request.messages.map(toChatMessage) };
  const settings: ModelSettings = request.settings ?? {};
  const tools = request.tools ?? [];

  if (tools.length > 0) {
    body.tools = tools.map(toChatTool);
    // OpenAI rejects tool_choice without tools, so it is only sent alongside them.
    if (settings.toolChoice !== undefined) body.tool_choice = toToolChoice(settings.toolChoice);
  }
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  if (settings.maxTokens !== undefined) {
    if (usesMaxCompletionTokens(modelId)) body.max_completion_tokens = settings.maxTokens;
    else body.max_tokens = settings.maxTokens;
  }
  const format = settings.responseFormat;
  if (format) {
    body.response_format = {
      type: 'json_schema',
      json_schema: {
        name: format.name,
        schema: format.schema,
        // Strict mode refuses schemas with optional or open objects; such schemas are sent
        // non-strict rather than failing the call (see isStrictCompatible).
        strict: (format.strict ?? true) && isStrictCompatible(format.schema),
      },
    };
  }
  return body;
}

/** One core message as a Chat Completions message. */
export function toChatMessage(message: Message): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: message.content };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant': {
      const toolCalls = message.toolCalls ?? [];
      if (toolCalls.length === 0) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        // null rather than "" next to tool calls: some compatible servers reject empty content.
        content: message.content.length > 0 ? message.content : null,
        tool_calls: toolCalls.map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: {
            name: call.name,
            // Arguments that were not JSON are kept as the raw text the model sent.
            arguments:
              typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
          },
        })),
      };
    }
  }
}

/** A core tool definition as an OpenAI function tool. */
export function toChatTool(tool: ToolDefinition): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  };
}

/** Core's `toolChoice` as OpenAI's `tool_choice`. */
export function toToolChoice(
  choice: NonNullable<ModelSettings['toolChoice']>,
): ChatCompletionToolChoiceOption {
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}
