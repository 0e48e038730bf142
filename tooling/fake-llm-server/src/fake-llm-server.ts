import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createIdCounters, isRecord } from './completion.js';
import type { FakeLlmServer, FakeProvider, FakeReply, RecordedRequest } from './types.js';
import { writeError, writeJson, writeReply } from './write-reply.js';

const OPENAI_CHAT_PATH = '/v1/chat/completions';
const ANTHROPIC_MESSAGES_PATH = '/v1/messages';
const ANTHROPIC_COUNT_TOKENS_PATH = '/v1/messages/count_tokens';

/**
 * Starts a fake LLM server on `127.0.0.1` and a free port. It speaks the OpenAI Chat Completions
 * and Anthropic Messages wire formats (streaming included) and answers from a queue of scripted
 * replies and faults, so adapters can be tested through the real vendor SDKs.
 *
 * @example
 * ```ts
 * const server = await startFakeLlmServer();
 * server.enqueue({ kind: 'text', text: 'Hello!' });
 * const client = new OpenAI({ baseURL: server.openaiBaseURL, apiKey: 'test', maxRetries: 0 });
 * const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
 * expect(server.requests[0]?.bodyAs<{ model: string }>().model).toBe('gpt-4o-mini');
 * await server.close();
 * ```
 */
export async function startFakeLlmServer(): Promise<FakeLlmServer> {
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  const ids = createIdCounters();
  const timers = new Set<NodeJS.Timeout>();
  // Bumped by reset(): a request that arrived before a reset belongs to the previous test.
  let generation = 0;

  const later = (response: ServerResponse) => (delayMs: number, callback: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!response.destroyed) callback();
    }, delayMs);
    timers.add(timer);
    // A client that gives up (timeout, abort) must not leave a timer behind.
    response.once('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const arrivedIn = generation;
    const request = await record(incoming);
    // A client that already gave up (aborted, timed out), or a request from before reset(), must
    // not consume a reply scripted for what comes next: that made abort tests flaky.
    if (arrivedIn !== generation || response.destroyed || incoming.socket.destroyed) {
      response.destroy();
      return;
    }
    requests.push(request);
    const { method, path, provider } = request;
    if (method === 'POST' && path === ANTHROPIC_COUNT_TOKENS_PATH) {
      writeJson(response, 200, { input_tokens: countTokens(request.body) });
      return;
    }
    if (method !== 'POST' || (path !== OPENAI_CHAT_PATH && path !== ANTHROPIC_MESSAGES_PATH)) {
      writeError(response, 'openai', 404, `fake-llm-server: no endpoint ${method} ${path}.`);
      return;
    }
    const reply = queue.shift();
    if (reply === undefined) {
      // 418 rather than 500: no adapter retries it, and the message says what the test forgot.
      writeError(
        response,
        provider,
        418,
        `fake-llm-server: no scripted reply for POST ${path} (enqueue one)`,
      );
      return;
    }
    writeReply(reply, { request, response, ids, later: later(response) });
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      if (!response.headersSent) {
        writeError(response, 'openai', 500, `fake-llm-server: ${String(error)}`);
      } else {
        response.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url,
    requests,
    get pending() {
      return queue.length;
    },
    enqueue(...replies) {
      queue.push(...replies);
    },
    reset() {
      generation++;
      queue.length = 0;
      requests.length = 0;
      ids.reset();
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // close() alone waits for keep-alive and hanging connections; these would never end.
        server.closeAllConnections();
      });
    },
  };
}

async function record(incoming: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const body = parseBody(text);
  const path = (incoming.url ?? '/').split('?')[0] ?? '/';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const provider: FakeProvider = path.startsWith(ANTHROPIC_MESSAGES_PATH) ? 'anthropic' : 'openai';
  const request = {
    provider,
    method: incoming.method ?? 'GET',
    path,
    headers,
    body,
    stream: isRecord(body) && body.stream === true,
  };
  // Not enumerable, so recorded requests compare and print as plain data.
  Object.defineProperty(request, 'bodyAs', { value: () => body, enumerable: false });
  return request as RecordedRequest;
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A deterministic stand-in for the tokenizer: a quarter of the characters of what is counted. */
function countTokens(body: unknown): number {
  if (!isRecord(body)) return 0;
  const counted = [body.messages, body.system, body.tools].filter((part) => part !== undefined);
  const characters = counted.reduce<number>((sum, part) => sum + JSON.stringify(part).length, 0);
  return Math.ceil(characters / 4);
}
