import type {
  FinishReason,
  Message,
  ModelError,
  ModelErrorCode,
  ModelRequest,
  ModelResponse,
  ToolCall,
  Usage,
} from '@agent/core';

/** The parts of an OpenAI usage object the fixture reads. */
export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number };
}

interface OpenAIToolCall {
  id: string;
  function: { name: string; arguments: string };
}

/** The parts of a `chat.completion` the fixture reads. */
export interface OpenAICompletion {
  id: string;
  choices: { message: { content: string | null; tool_calls?: OpenAIToolCall[] }; finish_reason: string }[];
  usage: OpenAIUsage;
}

/** The request body for `POST /chat/completions`. */
export function toOpenAIBody(
  modelId: string,
  request: ModelRequest,
  stream: boolean,
): Record<string, unknown> {
  const settings = request.settings ?? {};
  const format = settings.responseFormat;
  return {
    model: modelId,
    messages: request.messages.map(toOpenAIMessage),
    ...(request.tools?.length
      ? {
          tools: request.tools.map((tool) => ({
            type: 'function',
            function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
          })),
        }
      : {}),
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
    ...(settings.maxTokens !== undefined ? { max_completion_tokens: settings.maxTokens } : {}),
    ...(format
      ? {
          response_format: {
            type: 'json_schema',
            json_schema: { name: format.name, schema: format.schema, strict: format.strict ?? true },
          },
        }
      : {}),
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

function toOpenAIMessage(message: Message): Record<string, unknown> {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        ...(message.toolCalls?.length
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function',
                function: {
                  name: call.name,
                  arguments:
                    typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
                },
              })),
            }
          : {}),
      };
  }
}

/** Parsed arguments, or the raw text when it is not JSON (core turns that into a tool-input error). */
export function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** OpenAI's finish reason in core's vocabulary. */
export function toFinishReason(reason: string | null | undefined): FinishReason {
  const reasons: Record<string, FinishReason> = {
    stop: 'stop',
    length: 'length',
    tool_calls: 'tool-calls',
    content_filter: 'content-filter',
  };
  return reasons[reason ?? ''] ?? 'other';
}

/** OpenAI's usage in core's shape. */
export function toUsage(usage: OpenAIUsage | undefined): Usage {
  const cached = usage?.prompt_tokens_details?.cached_tokens;
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    ...(cached !== undefined ? { cacheReadTokens: cached } : {}),
  };
}

/** Builds the response from a completion; throws MODEL_INVALID_RESPONSE when fields are missing. */
export function toModelResponse(body: unknown, invalid: (message: string) => ModelError): ModelResponse {
  const completion = body as Partial<OpenAICompletion> | null;
  const choice = completion?.choices?.[0];
  if (!choice?.message || !completion?.usage)
    throw invalid('The completion has no choices[0].message or usage.');
  const toolCalls: ToolCall[] = (choice.message.tool_calls ?? []).map((call) => ({
    id: call.id,
    name: call.function.name,
    arguments: parseArguments(call.function.arguments),
  }));
  return {
    message: {
      role: 'assistant',
      content: choice.message.content ?? '',
      ...(toolCalls.length > 0 ? { toolCalls } : {}),
    },
    usage: toUsage(completion.usage),
    finishReason: toFinishReason(choice.finish_reason),
    ...(completion.id ? { responseId: completion.id } : {}),
  };
}

/** Milliseconds to wait from `retry-after-ms`, else `retry-after` as seconds or an HTTP date. */
export function retryAfterMs(headers: Headers): number | undefined {
  const milliseconds = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(milliseconds)) return milliseconds;
  const retryAfter = headers.get('retry-after');
  if (retryAfter === null) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The ADR 0006 error code of an HTTP status. */
export function codeOfStatus(status: number): ModelErrorCode {
  if (status === 401 || status === 403) return 'MODEL_AUTH';
  if (status === 429) return 'MODEL_RATE_LIMITED';
  if (status === 503 || status === 529) return 'MODEL_OVERLOADED';
  if (status >= 500) return 'MODEL_SERVER_ERROR';
  return 'MODEL_BAD_REQUEST';
}
