import { z } from 'zod';

/** A tool call requested by the model. `arguments` is the parsed JSON the model sent. */
export interface ToolCall {
  /** Provider-assigned id; the tool result refers back to it. */
  id: string;
  /** Name of the tool to call. */
  name: string;
  /** Parsed JSON arguments (a string when the model sent text that is not valid JSON). */
  arguments: unknown;
}

/** Instructions for the model. */
export interface SystemMessage {
  role: 'system';
  content: string;
}

/** What the user said. */
export interface UserMessage {
  role: 'user';
  content: string;
}

/** What the model said: text, tool calls, or both. */
export interface AssistantMessage {
  role: 'assistant';
  content: string;
  toolCalls?: ToolCall[];
}

/** The result of one tool call, sent back to the model. */
export interface ToolResultMessage {
  role: 'tool';
  /** The `ToolCall.id` this answers. */
  toolCallId: string;
  /** The tool's name (some providers need it). */
  toolName: string;
  /** The result as text (JSON for structured results). */
  content: string;
  /** True when the call failed and `content` describes the error for the model. */
  isError?: boolean;
}

/** One message of a conversation. */
export type Message = SystemMessage | UserMessage | AssistantMessage | ToolResultMessage;

/** zod schema of {@link ToolCall}. */
export const toolCallSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.unknown(),
});

/** zod schema of {@link Message}: validates messages arriving over the wire or from storage. */
export const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }),
  z.object({ role: z.literal('user'), content: z.string() }),
  z.object({
    role: z.literal('assistant'),
    content: z.string(),
    toolCalls: z.array(toolCallSchema).optional(),
  }),
  z.object({
    role: z.literal('tool'),
    toolCallId: z.string().min(1),
    toolName: z.string().min(1),
    content: z.string(),
    isError: z.boolean().optional(),
  }),
]);

/** Builds a system message. */
export const systemMessage = (content: string): SystemMessage => ({ role: 'system', content });
/** Builds a user message. */
export const userMessage = (content: string): UserMessage => ({ role: 'user', content });
/** Builds an assistant message. */
export const assistantMessage = (content: string, toolCalls?: ToolCall[]): AssistantMessage =>
  toolCalls && toolCalls.length > 0
    ? { role: 'assistant', content, toolCalls }
    : { role: 'assistant', content };
