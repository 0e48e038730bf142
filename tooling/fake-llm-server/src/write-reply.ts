import type { ServerResponse } from 'node:http';
import { type AnthropicEvent, anthropicError, anthropicEvents, anthropicMessage } from './anthropic-wire.js';
import { type AnswerReply, type Completion, type IdCounters, isRecord, toCompletion } from './completion.js';
import { openaiChunks, openaiCompletion, openaiError } from './openai-wire.js';
import type { FakeProvider, FakeReply, RecordedRequest } from './types.js';

/** What writing a reply needs from the server: ids, and a way to schedule a cancellable delay. */
export interface ReplyContext {
  request: RecordedRequest;
  response: ServerResponse;
  ids: IdCounters;
  /** Runs `callback` after `delayMs` unless the client or the server goes away first. */
  later(delayMs: number, callback: () => void): void;
}

/** The text a `disconnect-mid-stream` reply starts to send before it cuts the connection. */
const CUT_OFF_TEXT = 'This answer is cut off before it ends.';
/** How long a cut-off stream stays open after its last chunk, before the socket is destroyed. */
const CUT_OFF_PAUSE_MS = 25;

/** Writes one scripted reply (answer or fault) as the vendor of `context.request` would. */
export function writeReply(reply: FakeReply, context: ReplyContext): void {
  const { request, response } = context;
  if (typeof reply === 'function') {
    writeReply(reply(request), context);
    return;
  }
  switch (reply.kind) {
    case 'text':
    case 'tool-calls':
    case 'json':
      writeAnswer(reply, context);
      return;
    case 'rate-limit': {
      const headers: Record<string, string> = {};
      if (reply.retryAfterSeconds !== undefined) headers['retry-after'] = String(reply.retryAfterSeconds);
      else if (reply.retryAfterDate !== undefined)
        headers['retry-after'] = reply.retryAfterDate.toUTCString();
      if (reply.retryAfterMs !== undefined) headers['retry-after-ms'] = String(reply.retryAfterMs);
      writeError(response, request.provider, 429, 'fake-llm-server: rate limit reached.', headers);
      return;
    }
    case 'status':
      writeError(
        response,
        request.provider,
        reply.status,
        reply.message ?? `fake-llm-server: scripted HTTP ${reply.status}.`,
        reply.headers,
      );
      return;
    case 'slow-first-byte':
      context.later(reply.delayMs, () => writeReply(reply.then, context));
      return;
    case 'connection-reset':
      response.socket?.resetAndDestroy();
      return;
    case 'disconnect-mid-stream':
      writeCutOff(context);
      return;
    case 'malformed-json':
      writeMalformed(request, response);
      return;
    case 'hang':
      // Nothing is sent; the client aborts, or close() destroys the socket.
      return;
  }
}

/** Writes an error in the vendor's format, with `headers` added. */
export function writeError(
  response: ServerResponse,
  provider: FakeProvider,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = provider === 'openai' ? openaiError(status, message) : anthropicError(status, message);
  writeJson(response, status, body, headers);
}

/** Writes a JSON body with the vendor's request-id header. */
export function writeJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': 'req_fake',
    'request-id': 'req_fake',
    ...headers,
  });
  response.end(text);
}

function writeAnswer(reply: AnswerReply, context: ReplyContext): void {
  const { request, response, ids } = context;
  const completion = toCompletion(reply, request, () => ids.next(request.provider, 'tool-call'));
  const id = ids.next(request.provider, 'response');
  if (!request.stream) {
    writeJson(response, 200, renderMessage(request, completion, id));
    return;
  }
  startEventStream(response);
  for (const line of renderStream(request, completion, id)) response.write(line);
  response.end();
}

function renderMessage(request: RecordedRequest, completion: Completion, id: string): unknown {
  const model = modelOf(request);
  if (request.provider === 'anthropic') return anthropicMessage(completion, id, model);
  return openaiCompletion(completion, { id, model, created: Math.floor(Date.now() / 1000) });
}

/** The SSE text of a streamed answer, one string per event. */
function renderStream(request: RecordedRequest, completion: Completion, id: string): string[] {
  const model = modelOf(request);
  if (request.provider === 'anthropic') return anthropicEvents(completion, id, model).map(anthropicSse);
  const envelope = { id, model, created: Math.floor(Date.now() / 1000) };
  const chunks = openaiChunks(completion, envelope, includeUsage(request.body));
  return [...chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`), 'data: [DONE]\n\n'];
}

function writeCutOff(context: ReplyContext): void {
  const { request, response } = context;
  const completion: Completion = {
    text: CUT_OFF_TEXT,
    toolCalls: [],
    finishReason: 'stop',
    usage: { inputTokens: 11, outputTokens: 7 },
  };
  const id = context.ids.next(request.provider, 'response');
  if (request.stream) {
    startEventStream(response);
    // Enough events for some text to reach the caller, but never the end of the message.
    const lines = renderStream(request, completion, id).slice(0, request.provider === 'openai' ? 3 : 5);
    // The pause lets the client read the chunks: an errored web stream drops what it had queued.
    response.write(lines.join(''), () => context.later(CUT_OFF_PAUSE_MS, () => response.destroy()));
    return;
  }
  const text = JSON.stringify(renderMessage(request, completion, id));
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.write(text.slice(0, Math.floor(text.length / 2)), () => response.destroy());
}

function writeMalformed(request: RecordedRequest, response: ServerResponse): void {
  const broken = '{"id": "broken", "choices": [{"index": 0, ';
  if (!request.stream) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(broken);
    return;
  }
  startEventStream(response);
  // Anthropic's SDK skips events without a name, so the broken data needs one to be parsed at all.
  response.end(
    request.provider === 'anthropic' ? `event: message_start\ndata: ${broken}\n\n` : `data: ${broken}\n\n`,
  );
}

function startEventStream(response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': 'req_fake',
    'request-id': 'req_fake',
  });
}

function anthropicSse(event: AnthropicEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

function modelOf(request: RecordedRequest): string {
  return isRecord(request.body) && typeof request.body.model === 'string' ? request.body.model : 'fake-model';
}

function includeUsage(body: unknown): boolean {
  return isRecord(body) && isRecord(body.stream_options) && body.stream_options.include_usage === true;
}
