// Agent SDK dashboard: a plain ES module with no dependencies and no build step.
//
// It runs under `Content-Security-Policy: default-src 'self'`, so there are no inline scripts,
// styles or handlers. Everything that comes from the server is rendered with textContent, never
// parsed as HTML. Streams are read with fetch() (EventSource cannot send the Authorization
// header) and parsed as text/event-stream here; they reconnect with Last-Event-ID.

const API = '/v1';
const KEY_STORAGE = 'agent-dashboard.api-key';
const ANONYMOUS_STORAGE = 'agent-dashboard.anonymous';
const PAGE_SIZE = 100;
/** Runs kept in memory; beyond it the oldest ended ones are forgotten (the store keeps them). */
const MAX_RUNS = 2_000;
const MAX_JSON_CHARS = 20_000;
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 15_000;
const STATUSES = new Set(['running', 'completed', 'failed', 'cancelled']);
const TERMINAL = new Set(['run.completed', 'run.failed', 'run.cancelled']);

/** @param {string} id */
const byId = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`dashboard markup is missing #${id}`);
  return element;
};

const ui = {
  liveStatus: byId('live-status'),
  identity: byId('identity'),
  signOut: byId('signout'),
  signIn: byId('signin'),
  signInForm: /** @type {HTMLFormElement} */ (byId('signin-form')),
  apiKey: /** @type {HTMLInputElement} */ (byId('api-key')),
  signInAnonymous: byId('signin-anonymous'),
  anonymous: byId('anonymous'),
  signInMessage: byId('signin-message'),
  app: byId('app'),
  startForm: /** @type {HTMLFormElement} */ (byId('start-form')),
  startAgent: /** @type {HTMLSelectElement} */ (byId('start-agent')),
  startInput: /** @type {HTMLTextAreaElement} */ (byId('start-input')),
  startSubmit: /** @type {HTMLButtonElement} */ (byId('start-submit')),
  startAgentDescription: byId('start-agent-description'),
  startMessage: byId('start-message'),
  filters: /** @type {HTMLFormElement} */ (byId('filters')),
  filterAgent: /** @type {HTMLSelectElement} */ (byId('filter-agent')),
  filterStatus: /** @type {HTMLSelectElement} */ (byId('filter-status')),
  totalRuns: byId('total-runs'),
  totalInput: byId('total-input'),
  totalOutput: byId('total-output'),
  totalCost: byId('total-cost'),
  totalErrors: byId('total-errors'),
  announcer: byId('runs-announcer'),
  runsMessage: byId('runs-message'),
  runsTable: byId('runs-table'),
  runsBody: byId('runs-body'),
  runsEmpty: byId('runs-empty'),
  loadMore: /** @type {HTMLButtonElement} */ (byId('load-more')),
  timelineClose: byId('timeline-close'),
  timelineCancel: byId('timeline-cancel'),
  timelinePlaceholder: byId('timeline-placeholder'),
  timelineContent: byId('timeline-content'),
  timelineSummary: byId('timeline-summary'),
  timelineStatus: byId('timeline-status'),
  timelineEvents: byId('timeline-events'),
};

/**
 * @typedef {{ inputTokens: number, outputTokens: number, costUsd?: number }} Usage
 * @typedef {{ runId: string, agent: string, tenant?: string, status: string, startedAt: number,
 *   endedAt?: number, usage: Usage, eventCount: number, missingEvents?: number, errorCode?: string,
 *   output?: unknown, error?: { code: string, message: string }, input?: string, lastSeq: number }} Run
 * @typedef {{ runId: string, seq: number, type: string, timestamp: number, agent: string,
 *   tenant?: string, [key: string]: unknown }} AgentEvent
 */

const state = {
  /** @type {string | undefined} The API key; '' when signed in without one; undefined when signed out. */
  key: undefined,
  /** Bumped on sign-in and sign-out so late answers of an earlier session are dropped. */
  session: 0,
  /** @type {Map<string, Run>} Every run seen, whatever the filters. */
  runs: new Map(),
  /** @type {{ name: string, description?: string }[]} */
  agents: [],
  filters: { agent: '', status: '' },
  /** @type {string | undefined} */
  nextCursor: undefined,
  /** False until the first page is in: live events wait in `pending` meanwhile. */
  listLoaded: false,
  /** @type {AgentEvent[]} */
  pending: [],
  /** @type {Map<string, AgentEvent[]>} Events of runs being fetched because they were unknown. */
  fetching: new Map(),
  /** @type {AbortController | undefined} */
  live: undefined,
  /** @type {Timeline | undefined} */
  timeline: undefined,
  /** @type {string[]} */
  announcements: [],
  /** @type {Set<string>} Runs that appeared live since the last render (briefly highlighted). */
  fresh: new Set(),
  renderQueued: false,
  /** @type {boolean | undefined} Whether the server answered without a key (asked once per page). */
  anonymousAllowed: undefined,
};

/** @type {Map<string, { row: HTMLTableRowElement, cells: HTMLTableCellElement[], badge: HTMLElement, code: HTMLElement }>} */
const rows = new Map();

// ---------------------------------------------------------------------------------------------
// Formatting

const integer = new Intl.NumberFormat('en-US');

/** @param {number | undefined} value */
const formatInt = (value) => integer.format(value ?? 0);

/** @param {number | undefined} usd */
function formatCost(usd) {
  if (usd === undefined || !Number.isFinite(usd)) return '—';
  if (usd === 0) return '$0.00';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** @param {number | undefined} ms */
function formatDuration(ms) {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1_000);
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = String(totalSeconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}h ${String(minutes).padStart(2, '0')}m` : `${minutes}m ${seconds}s`;
}

/** @param {number} timestamp */
function formatStarted(timestamp) {
  const date = new Date(timestamp);
  const time = date.toLocaleTimeString(undefined, { hour12: false });
  return date.toDateString() === new Date().toDateString()
    ? time
    : `${date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
}

/** @param {number} timestamp */
const isoTime = (timestamp) => (Number.isFinite(timestamp) ? new Date(timestamp).toISOString() : '');

/**
 * @param {number | undefined} count
 * @param {string} noun
 */
const plural = (count, noun) => `${formatInt(count)} ${noun}${count === 1 ? '' : 's'}`;

/** @param {string} runId */
const shortId = (runId) => (runId.length > 10 ? `${runId.slice(0, 8)}…` : runId);

/** @param {Run} run */
const runDuration = (run) =>
  (run.endedAt ?? (run.status === 'running' ? Date.now() : undefined)) - run.startedAt;

/**
 * Compact JSON for display; strings as they are. Long values are cut with a note.
 * @param {unknown} value
 */
function compact(value) {
  let text;
  if (typeof value === 'string') text = value;
  else if (value === undefined) text = '—';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > MAX_JSON_CHARS
    ? `${text.slice(0, MAX_JSON_CHARS)} … (${formatInt(text.length - MAX_JSON_CHARS)} more characters)`
    : text;
}

/** @param {unknown} error */
function errorText(error) {
  if (error && typeof error === 'object') {
    const { code, message } = /** @type {{ code?: unknown, message?: unknown }} */ (error);
    if (typeof code === 'string' && typeof message === 'string') return `${code}: ${message}`;
    if (typeof message === 'string') return message;
  }
  return compact(error);
}

// ---------------------------------------------------------------------------------------------
// DOM helpers (text only)

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 */
function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * @param {HTMLElement} element
 * @param {string} text
 * @param {boolean} [isError]
 */
function setMessage(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle('is-error', isError);
}

/** @param {string} text */
function announce(text) {
  state.announcements.push(text);
  scheduleRender();
}

// ---------------------------------------------------------------------------------------------
// HTTP

class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** @param {string | undefined} key */
function authHeaders(key = state.key) {
  const headers = new Headers();
  if (key) headers.set('authorization', `Bearer ${key}`);
  return headers;
}

/** @param {Response} response */
async function problemDetail(response) {
  try {
    const body = await response.json();
    if (body && typeof body === 'object') {
      const detail = body.detail ?? body.message ?? body.title;
      if (typeof detail === 'string' && detail !== '') return detail;
    }
  } catch {
    // Not JSON: fall through to the status.
  }
  return `The server answered ${response.status} ${response.statusText}`.trim();
}

/**
 * A JSON call to the API with the key. 401 signs out (the key was refused or revoked).
 * @param {string} path
 * @param {RequestInit} [init]
 */
async function api(path, init = {}) {
  const session = state.session;
  const headers = authHeaders();
  headers.set('accept', 'application/json');
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(`${API}${path}`, { ...init, headers, cache: 'no-store' });
  if (!response.ok) {
    const error = new ApiError(response.status, await problemDetail(response));
    if (response.status === 401 && session === state.session && state.key !== undefined) {
      signOut(`The server refused the key (${error.message}). Paste a valid API key.`);
    }
    throw error;
  }
  return response.status === 204 ? undefined : response.json();
}

/**
 * @param {number} ms
 * @param {AbortSignal} signal
 */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
      { once: true },
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Server-sent events over fetch

/**
 * Parses a text/event-stream body into messages, per the HTML standard's rules (CRLF, CR or LF
 * line ends, comments, multi-line data, a lone `\r` at a chunk's end).
 * @param {ReadableStream<Uint8Array>} body
 * @returns {AsyncGenerator<{ event: string, data: string, id: string | undefined, retry: number | undefined }>}
 */
async function* readEventStream(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  /** @type {string[]} */
  let data = [];
  let event = '';
  /** @type {string | undefined} */
  let id;
  /** @type {number | undefined} */
  let retry;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        // A `\r` at the very end may be the first half of `\r\n`: wait for the next chunk.
        if (!match || (match[0] === '\r' && match.index === buffer.length - 1)) break;
        const line = buffer.slice(0, match.index);
        buffer = buffer.slice(match.index + match[0].length);
        if (line === '') {
          // Unlike EventSource, dispatch a named event without data too (e.g. a bare `event: end`).
          if (data.length > 0 || event !== '') {
            yield { event: event || 'message', data: data.join('\n'), id, retry };
          }
          data = [];
          event = '';
          retry = undefined;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let fieldValue = colon === -1 ? '' : line.slice(colon + 1);
        if (fieldValue.startsWith(' ')) fieldValue = fieldValue.slice(1);
        if (field === 'event') event = fieldValue;
        else if (field === 'data') data.push(fieldValue);
        else if (field === 'id' && !fieldValue.includes('\0')) id = fieldValue;
        else if (field === 'retry' && /^\d+$/.test(fieldValue)) retry = Number(fieldValue);
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * Follows an SSE endpoint until it sends `event: end` or `signal` aborts, reconnecting with
 * `Last-Event-ID` and a growing delay when the connection drops.
 * @param {string} path
 * @param {{
 *   signal: AbortSignal,
 *   lastEventId?: () => string | undefined,
 *   onOpen?: (reconnected: boolean) => void,
 *   onMessage: (message: { event: string, data: string, id: string | undefined }) => void,
 *   onEnd?: (message: { event: string, data: string }) => void,
 *   onDrop?: () => void,
 *   onRefused?: (error: ApiError) => boolean,
 * }} handlers
 */
async function followStream(path, handlers) {
  const { signal } = handlers;
  const session = state.session;
  let delay = RETRY_MIN_MS;
  let opened = false;
  while (!signal.aborted && session === state.session) {
    try {
      const headers = authHeaders();
      headers.set('accept', 'text/event-stream');
      const lastId = handlers.lastEventId?.();
      if (lastId !== undefined) headers.set('last-event-id', lastId);
      const response = await fetch(`${API}${path}`, { headers, signal, cache: 'no-store' });
      if (!response.ok || !response.body) {
        const error = new ApiError(response.status, await problemDetail(response));
        if (response.status === 401) {
          if (session === state.session) signOut(`The server refused the key (${error.message}).`);
          return;
        }
        // 4xx other than 408/429 will not get better by retrying, unless the caller says so.
        const permanent =
          response.status >= 400 && response.status < 500 && ![408, 429].includes(response.status);
        if (permanent && !handlers.onRefused?.(error)) return;
        throw error;
      }
      handlers.onOpen?.(opened);
      opened = true;
      delay = RETRY_MIN_MS;
      for await (const message of readEventStream(response.body)) {
        if (signal.aborted) return;
        if (message.retry !== undefined) delay = Math.max(message.retry, 100);
        if (message.event === 'end') {
          handlers.onEnd?.(message);
          return;
        }
        handlers.onMessage(message);
      }
    } catch {
      if (signal.aborted) return;
    }
    if (signal.aborted || session !== state.session) return;
    handlers.onDrop?.();
    await sleep(delay, signal);
    delay = Math.min(delay * 2, RETRY_MAX_MS);
  }
}

/**
 * @param {{ event: string, data: string }} message
 * @returns {AgentEvent | undefined}
 */
function parseEvent(message) {
  try {
    const event = JSON.parse(message.data);
    if (!event || typeof event !== 'object' || typeof event.runId !== 'string') return undefined;
    if (typeof event.type !== 'string') event.type = message.event;
    if (typeof event.seq !== 'number') event.seq = Number.NaN;
    return event;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Runs: the store of what the list shows

/**
 * A run record from the API, with the seq of its last stored event.
 * @param {Omit<Run, 'lastSeq'>} record
 * @returns {Run}
 */
function fromRecord(record) {
  const eventCount = Number(record.eventCount) || 0;
  return {
    ...record,
    usage: { inputTokens: 0, outputTokens: 0, ...record.usage },
    lastSeq: eventCount + (Number(record.missingEvents) || 0) - 1,
  };
}

/**
 * Keeps whichever of the two views of a run is further along: an ended run never goes back to
 * running, and a record with later events wins.
 * @param {Omit<Run, 'lastSeq'>} record
 */
function mergeRecord(record) {
  if (!record || typeof record.runId !== 'string') return undefined;
  const incoming = fromRecord(record);
  const existing = state.runs.get(incoming.runId);
  if (!existing) {
    state.runs.set(incoming.runId, incoming);
    return incoming;
  }
  const existingEnded = existing.status !== 'running';
  const incomingEnded = incoming.status !== 'running';
  if (
    (incomingEnded && !existingEnded) ||
    (incomingEnded === existingEnded && incoming.lastSeq >= existing.lastSeq)
  ) {
    const merged = { ...existing, ...incoming };
    merged.input = incoming.input ?? existing.input;
    state.runs.set(incoming.runId, merged);
    return merged;
  }
  return existing;
}

/**
 * Applies one event to its run's record (once: events at or before the record's last seq are
 * already counted). Returns false when the run is unknown. A live `run.started` adds the run;
 * a replayed one (`create: false`) does not.
 * @param {AgentEvent} event
 * @param {{ create?: boolean }} [options]
 */
function applyEvent(event, { create = true } = {}) {
  let run = state.runs.get(event.runId);
  if (!run) {
    if (event.type !== 'run.started' || !create) return false;
    run = {
      runId: event.runId,
      agent: event.agent,
      status: 'running',
      startedAt: event.timestamp,
      usage: { inputTokens: 0, outputTokens: 0 },
      eventCount: 0,
      lastSeq: -1,
    };
    if (event.tenant !== undefined) run.tenant = event.tenant;
    state.runs.set(run.runId, run);
    state.fresh.add(run.runId);
    forgetOldRuns();
    announce(`Run ${shortId(run.runId)} of ${run.agent} started`);
  }
  // The input is not in run records: take it from run.started, even one already counted.
  if (event.type === 'run.started' && typeof event.input === 'string') run.input = event.input;
  if (Number.isFinite(event.seq)) {
    if (event.seq <= run.lastSeq) return true;
    run.lastSeq = event.seq;
    run.eventCount = Math.max(run.eventCount, event.seq + 1 - (run.missingEvents ?? 0));
  }
  switch (event.type) {
    case 'model.responded': {
      const usage = /** @type {Partial<Usage> | undefined} */ (event.usage);
      if (usage) {
        run.usage.inputTokens += usage.inputTokens ?? 0;
        run.usage.outputTokens += usage.outputTokens ?? 0;
        if (typeof usage.costUsd === 'number') run.usage.costUsd = (run.usage.costUsd ?? 0) + usage.costUsd;
      }
      break;
    }
    case 'run.completed':
    case 'run.failed':
    case 'run.cancelled': {
      const status = event.type.slice(4);
      run.status = status;
      run.endedAt = event.timestamp;
      if (event.usage && typeof event.usage === 'object') run.usage = { ...run.usage, ...event.usage };
      if (event.type === 'run.completed') run.output = event.output;
      if (event.type === 'run.failed' && event.error && typeof event.error === 'object') {
        const error = /** @type {{ code: string, message: string }} */ (event.error);
        run.errorCode = error.code;
        run.error = { code: error.code, message: error.message };
      }
      announce(`Run ${shortId(run.runId)} of ${run.agent} ${status}`);
      break;
    }
    default:
      break;
  }
  scheduleRender();
  return true;
}

function forgetOldRuns() {
  if (state.runs.size <= MAX_RUNS) return;
  const ended = [...state.runs.values()]
    .filter((run) => run.status !== 'running' && run.runId !== state.timeline?.runId)
    .sort((a, b) => a.startedAt - b.startedAt);
  for (const run of ended.slice(0, state.runs.size - MAX_RUNS)) state.runs.delete(run.runId);
}

/** @param {AgentEvent} event */
function onLiveEvent(event) {
  if (!state.listLoaded) {
    state.pending.push(event);
    return;
  }
  const waiting = state.fetching.get(event.runId);
  if (waiting) {
    waiting.push(event);
    return;
  }
  if (!applyEvent(event)) void fetchUnknownRun(event);
}

/**
 * A live event of a run the list has not seen (it started before the page was read, beyond the
 * page): fetch its record, then apply the events that came meanwhile.
 * @param {AgentEvent} event
 */
async function fetchUnknownRun(event) {
  const session = state.session;
  state.fetching.set(event.runId, [event]);
  try {
    mergeRecord(await api(`/runs/${encodeURIComponent(event.runId)}`));
  } catch {
    // Gone or forbidden: the events alone will have to do.
  }
  if (session !== state.session) return;
  const events = state.fetching.get(event.runId) ?? [];
  state.fetching.delete(event.runId);
  for (const queued of events) {
    if (!applyEvent(queued) && !state.runs.has(queued.runId)) break;
  }
  scheduleRender();
}

function matchesFilters(/** @type {Run} */ run) {
  const { agent, status } = state.filters;
  return (agent === '' || run.agent === agent) && (status === '' || run.status === status);
}

/** The runs the list shows, newest first. */
function listedRuns() {
  return [...state.runs.values()]
    .filter(matchesFilters)
    .sort((a, b) => b.startedAt - a.startedAt || (a.runId < b.runId ? 1 : -1));
}

/** @param {{ append?: boolean }} [options] */
async function loadRuns({ append = false } = {}) {
  const session = state.session;
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (state.filters.agent) params.set('agent', state.filters.agent);
  if (state.filters.status) params.set('status', state.filters.status);
  if (append && state.nextCursor) params.set('cursor', state.nextCursor);
  const filters = `${state.filters.agent}\n${state.filters.status}`;
  ui.runsTable.setAttribute('aria-busy', 'true');
  try {
    const page = await api(`/runs?${params}`);
    if (session !== state.session) return;
    for (const record of page?.runs ?? []) mergeRecord(record);
    // A page answers the filters it was asked with; ignore its cursor if they changed since.
    if (filters === `${state.filters.agent}\n${state.filters.status}`) state.nextCursor = page?.nextCursor;
    setMessage(ui.runsMessage, '');
  } catch (error) {
    if (session !== state.session) return;
    if (!(error instanceof ApiError && error.status === 401)) {
      setMessage(ui.runsMessage, `Could not load runs: ${errorText(error)}`, true);
    }
  } finally {
    if (session === state.session) {
      ui.runsTable.removeAttribute('aria-busy');
      if (!state.listLoaded) {
        state.listLoaded = true;
        const pending = state.pending;
        state.pending = [];
        for (const event of pending) onLiveEvent(event);
      }
      scheduleRender();
    }
  }
}

function startLiveStream() {
  state.live?.abort();
  const controller = new AbortController();
  state.live = controller;
  setLiveStatus('connecting', 'Connecting…');
  void followStream('/events', {
    signal: controller.signal,
    onOpen: (reconnected) => {
      setLiveStatus('live', 'Live');
      // Events were missed while disconnected: the list catches up from the store.
      if (reconnected) void loadRuns();
    },
    onMessage: (message) => {
      const event = parseEvent(message);
      if (event) onLiveEvent(event);
    },
    onEnd: () => {
      // The server is shutting down: try again later.
      setLiveStatus('connecting', 'Server ended the live stream; reconnecting…');
      if (state.live === controller) setTimeout(() => state.live === controller && startLiveStream(), 2_000);
    },
    onDrop: () => setLiveStatus('connecting', 'Reconnecting…'),
    onRefused: (error) => {
      setLiveStatus('off', `Live updates unavailable: ${error.message}`);
      return false;
    },
  }).finally(() => {
    if (state.live === controller && controller.signal.aborted) setLiveStatus('off', 'Not connected');
  });
}

/**
 * @param {'live' | 'connecting' | 'off'} mode
 * @param {string} text
 */
function setLiveStatus(mode, text) {
  ui.liveStatus.dataset.state = mode;
  ui.liveStatus.textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Rendering the list

function scheduleRender() {
  if (state.renderQueued) return;
  state.renderQueued = true;
  requestAnimationFrame(() => {
    state.renderQueued = false;
    render();
  });
}

function render() {
  renderAgentOptions();
  const listed = listedRuns();
  const wanted = new Set(listed.map((run) => run.runId));
  for (const [runId, entry] of rows) {
    if (!wanted.has(runId)) {
      entry.row.remove();
      rows.delete(runId);
    }
  }
  listed.forEach((run, index) => {
    const entry = rows.get(run.runId) ?? createRow(run);
    updateRow(entry, run);
    if (ui.runsBody.children[index] !== entry.row)
      ui.runsBody.insertBefore(entry.row, ui.runsBody.children[index] ?? null);
  });
  state.fresh.clear();

  let input = 0;
  let output = 0;
  let cost;
  let errors = 0;
  for (const run of listed) {
    input += run.usage.inputTokens ?? 0;
    output += run.usage.outputTokens ?? 0;
    if (typeof run.usage.costUsd === 'number') cost = (cost ?? 0) + run.usage.costUsd;
    if (run.status === 'failed') errors += 1;
  }
  ui.totalRuns.textContent = formatInt(listed.length);
  ui.totalInput.textContent = formatInt(input);
  ui.totalOutput.textContent = formatInt(output);
  ui.totalCost.textContent = formatCost(cost);
  ui.totalErrors.textContent = formatInt(errors);
  ui.totalErrors.classList.toggle('has-errors', errors > 0);
  ui.runsEmpty.hidden = listed.length > 0 || !state.listLoaded;
  ui.loadMore.hidden = state.nextCursor === undefined;

  if (state.announcements.length > 0) {
    ui.announcer.textContent = state.announcements.slice(-3).join('. ');
    state.announcements = [];
  }
  renderSummary();
}

/** @param {Run} run */
function createRow(run) {
  const row = /** @type {HTMLTableRowElement} */ (el('tr'));
  row.dataset.runId = run.runId;
  const cells = Array.from({ length: 7 }, () => /** @type {HTMLTableCellElement} */ (el('td')));
  const [idCell, agentCell, statusCell, tokensCell, costCell, durationCell] = cells;
  const open = el('button', 'run-link', shortId(run.runId));
  open.setAttribute('type', 'button');
  open.setAttribute('aria-label', `Open run ${run.runId}`);
  open.title = run.runId;
  idCell.append(open);
  agentCell.className = 'agent-cell';
  statusCell.className = 'status';
  const badge = el('span', 'badge');
  const code = el('span', 'error-code');
  statusCell.append(badge, ' ', code);
  for (const cell of [tokensCell, costCell, durationCell]) cell.className = 'num';
  row.append(...cells);
  const entry = { row, cells, badge, code };
  rows.set(run.runId, entry);
  if (state.fresh.has(run.runId) && state.listLoaded) row.classList.add('is-new');
  return entry;
}

/**
 * @param {{ row: HTMLTableRowElement, cells: HTMLTableCellElement[], badge: HTMLElement, code: HTMLElement }} entry
 * @param {Run} run
 */
function updateRow(entry, run) {
  const [, agentCell, , tokensCell, costCell, durationCell, startedCell] = entry.cells;
  setText(agentCell, run.agent);
  agentCell.title = run.agent;
  setText(entry.badge, run.status);
  entry.badge.className = `badge status-${STATUSES.has(run.status) ? run.status : 'unknown'}`;
  setText(entry.code, run.status === 'failed' ? (run.errorCode ?? run.error?.code ?? '') : '');
  setText(tokensCell, `${formatInt(run.usage.inputTokens)} / ${formatInt(run.usage.outputTokens)}`);
  setText(costCell, formatCost(run.usage.costUsd));
  setText(durationCell, formatDuration(runDuration(run)));
  setText(startedCell, formatStarted(run.startedAt));
  startedCell.title = isoTime(run.startedAt);
  entry.row.classList.toggle('is-selected', state.timeline?.runId === run.runId);
  if (state.timeline?.runId === run.runId) entry.row.setAttribute('aria-current', 'true');
  else entry.row.removeAttribute('aria-current');
}

/**
 * @param {HTMLElement} element
 * @param {string} text
 */
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function renderAgentOptions() {
  const names = new Set(state.agents.map((agent) => agent.name));
  for (const run of state.runs.values()) names.add(run.agent);
  const sorted = [...names].sort();
  const current = [...ui.filterAgent.options].slice(1).map((option) => option.value);
  if (current.join('\n') === sorted.join('\n')) return;
  const selected = ui.filterAgent.value;
  ui.filterAgent.replaceChildren(el('option', undefined, 'All agents'));
  /** @type {HTMLOptionElement} */ (ui.filterAgent.options[0]).value = '';
  for (const name of sorted) {
    const option = /** @type {HTMLOptionElement} */ (el('option', undefined, name));
    option.value = name;
    ui.filterAgent.append(option);
  }
  ui.filterAgent.value = selected;
}

function renderStartAgents() {
  const selected = ui.startAgent.value;
  ui.startAgent.replaceChildren();
  for (const agent of state.agents) {
    const option = /** @type {HTMLOptionElement} */ (el('option', undefined, agent.name));
    option.value = agent.name;
    ui.startAgent.append(option);
  }
  if (state.agents.some((agent) => agent.name === selected)) ui.startAgent.value = selected;
  ui.startSubmit.disabled = state.agents.length === 0;
  renderAgentDescription();
}

function renderAgentDescription() {
  const agent = state.agents.find((candidate) => candidate.name === ui.startAgent.value);
  if (state.agents.length === 0)
    ui.startAgentDescription.textContent = 'No agents are configured on this server.';
  else if (agent) {
    const tools =
      Array.isArray(agent.tools) && agent.tools.length > 0 ? ` Tools: ${agent.tools.join(', ')}.` : '';
    const model = agent.model ? ` Model: ${agent.model.provider}/${agent.model.model}.` : '';
    ui.startAgentDescription.textContent = `${agent.description ?? ''}${model}${tools}`.trim();
  }
}

// ---------------------------------------------------------------------------------------------
// Timeline of one run

/**
 * @typedef {{
 *   runId: string,
 *   controller: AbortController,
 *   lastSeq: number,
 *   count: number,
 *   startedAt: number | undefined,
 *   ended: boolean,
 *   replay: boolean,
 *   models: Map<number, EventItem>,
 *   tools: Map<string, EventItem>,
 *   planSteps: Map<number, EventItem>,
 * }} Timeline
 * @typedef {{ li: HTMLLIElement, meta: HTMLElement, body: HTMLElement, text?: HTMLElement }} EventItem
 */

/** @param {string} runId */
function openRun(runId) {
  closeTimeline({ keepHash: true });
  /** @type {Timeline} */
  const timeline = {
    runId,
    controller: new AbortController(),
    lastSeq: -1,
    count: 0,
    startedAt: state.runs.get(runId)?.startedAt,
    ended: false,
    replay: state.runs.get(runId)?.status !== 'running' && state.runs.has(runId),
    models: new Map(),
    tools: new Map(),
    planSteps: new Map(),
  };
  state.timeline = timeline;
  ui.timelinePlaceholder.hidden = true;
  ui.timelineContent.hidden = false;
  ui.timelineClose.hidden = false;
  ui.timelineEvents.replaceChildren();
  ui.timelineStatus.textContent = timeline.replay ? 'Replaying the stored events…' : 'Streaming live…';
  if (location.hash !== `#run=${encodeURIComponent(runId)}`) {
    history.replaceState(null, '', `#run=${encodeURIComponent(runId)}`);
  }
  scheduleRender();
  if (!state.runs.has(runId)) void refreshRun(runId);

  let notFound = 0;
  void followStream(`/runs/${encodeURIComponent(runId)}/events`, {
    signal: timeline.controller.signal,
    lastEventId: () => (timeline.lastSeq >= 0 ? String(timeline.lastSeq) : undefined),
    onOpen: () => {
      if (state.timeline !== timeline) return;
      ui.timelineStatus.textContent = timeline.replay ? 'Replaying the stored events…' : 'Streaming live…';
    },
    onMessage: (message) => {
      const event = parseEvent(message);
      if (event && state.timeline === timeline) addTimelineEvent(timeline, event);
    },
    onEnd: () => {
      if (state.timeline !== timeline) return;
      timeline.ended = true;
      const run = state.runs.get(runId);
      const status = run && run.status !== 'running' ? `Run ${run.status}` : 'Stream ended';
      const verb = timeline.replay ? 'replayed' : 'received';
      ui.timelineStatus.textContent = `${status} · ${formatInt(timeline.count)} events ${verb}.`;
      void refreshRun(runId);
    },
    onDrop: () => {
      if (state.timeline === timeline) ui.timelineStatus.textContent = 'Connection lost; reconnecting…';
    },
    onRefused: (error) => {
      if (state.timeline !== timeline) return false;
      // A run started a moment ago may not be stored yet: retry a few times before giving up.
      if (error.status === 404 && notFound < 5) {
        notFound += 1;
        return true;
      }
      ui.timelineStatus.textContent = `Cannot show this run: ${error.message}`;
      return false;
    },
  });
}

/** @param {{ keepHash?: boolean }} [options] */
function closeTimeline({ keepHash = false } = {}) {
  state.timeline?.controller.abort();
  state.timeline = undefined;
  ui.timelinePlaceholder.hidden = false;
  ui.timelineContent.hidden = true;
  ui.timelineClose.hidden = true;
  ui.timelineCancel.hidden = true;
  ui.timelineEvents.replaceChildren();
  ui.timelineSummary.replaceChildren();
  if (!keepHash && location.hash !== '') history.replaceState(null, '', location.pathname + location.search);
  scheduleRender();
}

/** @param {string} runId */
async function refreshRun(runId) {
  const session = state.session;
  try {
    const record = await api(`/runs/${encodeURIComponent(runId)}`);
    if (session === state.session) mergeRecord(record);
  } catch (error) {
    if (
      session === state.session &&
      state.timeline?.runId === runId &&
      error instanceof ApiError &&
      error.status === 404
    ) {
      ui.timelineStatus.textContent = 'This run does not exist (or belongs to another tenant).';
    }
  }
  scheduleRender();
}

/**
 * Asks the server to cancel the run; the timeline then shows `run.cancelled` as it arrives.
 * @param {string} runId
 */
async function cancelRun(runId) {
  ui.timelineCancel.disabled = true;
  try {
    await api(`/runs/${encodeURIComponent(runId)}/cancel`, { method: 'POST' });
    if (state.timeline?.runId === runId) ui.timelineStatus.textContent = 'Cancelling…';
  } catch (error) {
    if (state.timeline?.runId === runId) {
      ui.timelineStatus.textContent = `Cannot cancel this run: ${error instanceof Error ? error.message : String(error)}`;
    }
  } finally {
    ui.timelineCancel.disabled = false;
  }
}

function renderSummary() {
  const timeline = state.timeline;
  if (!timeline) return;
  const run = state.runs.get(timeline.runId);
  // Only a running run can be cancelled; the server refuses the rest anyway (409).
  ui.timelineCancel.hidden = run?.status !== 'running';
  /** @type {[string, string | HTMLElement][]} */
  const entries = [['Run', timeline.runId]];
  if (run) {
    const status = el(
      'span',
      `badge status-${STATUSES.has(run.status) ? run.status : 'unknown'}`,
      run.status,
    );
    entries.push(
      ['Agent', run.agent],
      ['Status', status],
      ['Started', `${formatStarted(run.startedAt)} (${isoTime(run.startedAt)})`],
      ['Duration', formatDuration(runDuration(run))],
      ['Tokens', usageText(run.usage)],
    );
    if (run.tenant !== undefined) entries.push(['Tenant', run.tenant]);
    if (run.input !== undefined) entries.push(['Input', run.input]);
    if (run.status === 'failed' && (run.error || run.errorCode)) {
      const error = el('span', 'error-text', run.error ? errorText(run.error) : String(run.errorCode));
      entries.push(['Error', error]);
    }
    if (run.missingEvents)
      entries.push(['Missing', `${formatInt(run.missingEvents)} events never reached the store`]);
  }
  const key = JSON.stringify(
    entries.map(([name, value]) => [name, typeof value === 'string' ? value : value.textContent]),
  );
  if (ui.timelineSummary.dataset.key === key) return;
  ui.timelineSummary.dataset.key = key;
  const nodes = [];
  for (const [name, value] of entries) {
    const dd = el('dd');
    dd.append(value);
    nodes.push(el('dt', undefined, name), dd);
  }
  ui.timelineSummary.replaceChildren(...nodes);
}

/**
 * @param {Timeline} timeline
 * @param {number} timestamp
 */
function offset(timeline, timestamp) {
  if (timeline.startedAt === undefined || !Number.isFinite(timestamp)) return '';
  return `+${((timestamp - timeline.startedAt) / 1_000).toFixed(2)} s`;
}

/**
 * @param {Timeline} timeline
 * @param {AgentEvent} event
 * @param {{ kind: string, label: string, title: string, meta?: string, tone?: 'error' | 'warning' }} spec
 * @returns {EventItem}
 */
function addItem(timeline, event, spec) {
  const li = /** @type {HTMLLIElement} */ (el('li', `event event-${spec.kind}`));
  li.dataset.type = event.type;
  li.dataset.kind = spec.kind;
  if (Number.isFinite(event.seq)) li.dataset.seq = String(event.seq);
  if (spec.tone) li.classList.add(`is-${spec.tone}`);
  const head = el('div', 'event-head');
  const time = el('span', 'event-time', offset(timeline, event.timestamp));
  time.title = isoTime(event.timestamp);
  const meta = el('span', 'event-meta', spec.meta ?? '');
  head.append(time);
  if (spec.label) head.append(el('span', 'event-kind', spec.label));
  head.append(el('span', 'event-title', spec.title), meta);
  const body = el('div', 'event-body');
  li.append(head, body);
  ui.timelineEvents.append(li);
  return { li, meta, body };
}

/**
 * A labelled value: JSON compacted, strings as they are.
 * @param {EventItem} item
 * @param {string} name
 * @param {unknown} value
 * @param {string} [className]
 */
function addField(item, name, value, className = 'json') {
  const row = el('div', 'event-field');
  row.dataset.field = name.toLowerCase();
  const content = el('pre', className, compact(value));
  row.append(el('span', undefined, name), content);
  item.body.append(row);
  return content;
}

/**
 * @param {EventItem} item
 * @param {unknown} error
 */
function addError(item, error) {
  const content = addField(item, 'Error', errorText(error), 'json error-text');
  const details =
    error && typeof error === 'object' ? /** @type {{ details?: unknown }} */ (error).details : undefined;
  if (details !== undefined) addField(item, 'Details', details);
  return content;
}

/** @param {Partial<Usage> | undefined} usage */
function usageText(usage) {
  if (!usage) return '';
  const cost = typeof usage.costUsd === 'number' ? ` · ${formatCost(usage.costUsd)}` : '';
  return `${formatInt(usage.inputTokens)} in / ${formatInt(usage.outputTokens)} out tokens${cost}`;
}

/**
 * @param {Timeline} timeline
 * @param {AgentEvent} event
 */
function addTimelineEvent(timeline, event) {
  if (Number.isFinite(event.seq)) {
    if (event.seq <= timeline.lastSeq) return;
    const gap = event.seq - timeline.lastSeq - 1;
    if (gap > 0) {
      addItem(timeline, event, {
        kind: 'note',
        label: '',
        title: `${plural(gap, 'event')} missing here`,
        tone: 'warning',
      });
    }
    timeline.lastSeq = event.seq;
  }
  timeline.count += 1;
  if (event.type === 'run.started' || timeline.startedAt === undefined) timeline.startedAt = event.timestamp;
  const list = ui.timelineEvents;
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  renderEvent(timeline, event);
  if (atBottom) list.scrollTop = list.scrollHeight;
  // The run's record follows the timeline too, so its summary is live even before /v1/events.
  applyEvent(event, { create: false });
  if (TERMINAL.has(event.type)) scheduleRender();
}

/**
 * @param {Timeline} timeline
 * @param {AgentEvent & Record<string, any>} event
 */
function renderEvent(timeline, event) {
  switch (event.type) {
    case 'run.started': {
      const item = addItem(timeline, event, { kind: 'run', label: 'run', title: 'Run started' });
      addField(item, 'Input', event.input);
      if (event.conversationId !== undefined) addField(item, 'Conversation', event.conversationId);
      if (event.metadata !== undefined) addField(item, 'Metadata', event.metadata);
      break;
    }
    case 'step.started':
      addItem(timeline, event, { kind: 'step', label: '', title: `Step ${event.step}` });
      break;
    case 'model.requested': {
      const item = addItem(timeline, event, {
        kind: 'model',
        label: 'model',
        title: `${event.provider}/${event.model}`,
        meta: `${plural(event.messageCount, 'message')} · ${plural(event.toolCount, 'tool')} · waiting`,
      });
      item.li.classList.add('is-pending');
      item.li.dataset.state = 'pending';
      timeline.models.set(event.step, item);
      break;
    }
    case 'model.text-delta': {
      const item = timeline.models.get(event.step);
      if (!item) break;
      if (!item.text) item.text = addField(item, 'Text', '');
      item.text.textContent += String(event.delta ?? '');
      break;
    }
    case 'model.responded': {
      const pending = timeline.models.get(event.step);
      timeline.models.delete(event.step);
      const item =
        pending ??
        addItem(timeline, event, {
          kind: 'model',
          label: 'model',
          title: `${event.provider}/${event.model}`,
        });
      item.li.classList.remove('is-pending');
      item.li.dataset.state = 'done';
      item.meta.textContent = `${formatDuration(event.durationMs)} · ${usageText(event.usage)} · ${event.finishReason}`;
      const message = event.message ?? {};
      if (typeof message.content === 'string' && message.content !== '') {
        if (item.text) item.text.textContent = compact(message.content);
        else item.text = addField(item, 'Text', message.content);
      } else if (item.text) {
        item.text.parentElement?.remove();
      }
      if (Array.isArray(message.toolCalls) && message.toolCalls.length > 0) {
        addField(item, 'Calls', message.toolCalls.map((call) => call.name).join(', '));
      }
      break;
    }
    case 'model.failed': {
      const pending = timeline.models.get(event.step);
      timeline.models.delete(event.step);
      const item =
        pending ??
        addItem(timeline, event, {
          kind: 'model',
          label: 'model',
          title: `${event.provider}/${event.model}`,
        });
      item.li.classList.remove('is-pending');
      item.li.classList.add('is-error');
      item.li.dataset.state = 'failed';
      item.meta.textContent = `failed after ${formatDuration(event.durationMs)}`;
      addError(item, event.error);
      break;
    }
    case 'tool.called': {
      const call = event.toolCall ?? {};
      const item = addItem(timeline, event, {
        kind: 'tool',
        label: 'tool',
        title: String(call.name),
        meta: 'running',
      });
      item.li.classList.add('is-pending');
      item.li.dataset.state = 'pending';
      addField(item, 'Input', call.arguments);
      timeline.tools.set(String(call.id), item);
      break;
    }
    case 'tool.succeeded':
    case 'tool.failed': {
      const failed = event.type === 'tool.failed';
      const pending = timeline.tools.get(String(event.toolCallId));
      timeline.tools.delete(String(event.toolCallId));
      const item =
        pending ?? addItem(timeline, event, { kind: 'tool', label: 'tool', title: String(event.toolName) });
      item.li.classList.remove('is-pending');
      item.li.dataset.state = failed ? 'failed' : 'done';
      item.meta.textContent = `${failed ? 'failed after ' : ''}${formatDuration(event.durationMs)}`;
      if (failed) {
        item.li.classList.add('is-error');
        addError(item, event.error);
      } else {
        addField(item, 'Output', event.output);
      }
      break;
    }
    case 'ratelimit.limited':
      addItem(timeline, event, {
        kind: 'limit',
        label: 'limit',
        title: `Rate limited by ${event.rule}`,
        meta: `${event.kind} · retry in ${formatDuration(event.retryAfterMs)} · ${event.action}`,
        tone: event.action === 'fail' ? 'error' : 'warning',
      });
      break;
    case 'step.completed':
      addItem(timeline, event, {
        kind: 'note',
        label: '',
        title: `Step ${event.step} done`,
        meta: `${usageText(event.usage)} · ${event.finishReason} · ${plural(event.toolCalls, 'tool call')}`,
      });
      break;
    case 'output.repaired': {
      const item = addItem(timeline, event, {
        kind: 'note',
        label: 'output',
        title: 'Output repaired',
        tone: 'warning',
      });
      addField(item, 'Problem', event.error);
      break;
    }
    case 'plan.created': {
      const plan = event.plan ?? {};
      const item = addItem(timeline, event, {
        kind: 'plan',
        label: 'plan',
        title: `Plan, attempt ${event.attempt}`,
        meta: plural(plan.steps?.length, 'step'),
      });
      addField(item, 'Goal', plan.goal);
      const steps = (plan.steps ?? []).map(
        (step, index) => `${index + 1}. ${step.description}${step.tool ? ` [${step.tool}]` : ''}`,
      );
      addField(item, 'Steps', steps.join('\n'));
      break;
    }
    case 'plan.step.started': {
      const item = addItem(timeline, event, {
        kind: 'plan',
        label: 'plan step',
        title: `${event.index + 1}. ${event.description}`,
        meta: event.tool ? `tool ${event.tool}` : '',
      });
      item.li.classList.add('is-pending');
      timeline.planSteps.set(event.index, item);
      break;
    }
    case 'plan.step.completed':
    case 'plan.step.failed': {
      const failed = event.type === 'plan.step.failed';
      const item =
        timeline.planSteps.get(event.index) ??
        addItem(timeline, event, { kind: 'plan', label: 'plan step', title: `Step ${event.index + 1}` });
      timeline.planSteps.delete(event.index);
      item.li.classList.remove('is-pending');
      if (failed) {
        item.li.classList.add('is-error');
        addError(item, event.error);
      } else {
        addField(item, 'Output', event.output);
      }
      break;
    }
    case 'plan.replanned': {
      const item = addItem(timeline, event, {
        kind: 'plan',
        label: 'plan',
        title: `Replanning (attempt ${event.attempt})`,
        tone: 'warning',
      });
      addField(item, 'Reason', event.reason);
      break;
    }
    case 'run.completed': {
      const item = addItem(timeline, event, {
        kind: 'run',
        label: 'run',
        title: 'Run completed',
        meta: `${plural(event.steps, 'step')} · ${formatDuration(event.durationMs)} · ${usageText(event.usage)}`,
      });
      addField(item, 'Output', event.output);
      break;
    }
    case 'run.failed': {
      const item = addItem(timeline, event, {
        kind: 'run',
        label: 'run',
        title: 'Run failed',
        meta: `${plural(event.steps, 'step')} · ${formatDuration(event.durationMs)} · ${usageText(event.usage)}`,
        tone: 'error',
      });
      addError(item, event.error);
      break;
    }
    case 'run.cancelled': {
      const item = addItem(timeline, event, {
        kind: 'run',
        label: 'run',
        title: 'Run cancelled',
        meta: `${plural(event.steps, 'step')} · ${formatDuration(event.durationMs)} · ${usageText(event.usage)}`,
        tone: 'warning',
      });
      addField(item, 'Reason', event.reason);
      break;
    }
    default: {
      const {
        runId: _runId,
        seq: _seq,
        timestamp: _timestamp,
        agent: _agent,
        tenant: _tenant,
        type,
        ...rest
      } = event;
      const item = addItem(timeline, event, { kind: 'note', label: 'event', title: String(type) });
      addField(item, 'Payload', rest);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Session

/** @param {string} [message] */
async function showSignIn(message = '') {
  ui.app.hidden = true;
  ui.signOut.hidden = true;
  ui.identity.hidden = true;
  ui.signIn.hidden = false;
  setMessage(ui.signInMessage, message, message !== '');
  ui.signInAnonymous.hidden = true;
  ui.apiKey.focus();
  const session = state.session;
  if (state.anonymousAllowed === undefined) {
    try {
      // Without auth configured the server answers without a key: offer to go on without one.
      const response = await fetch(`${API}/agents`, {
        headers: { accept: 'application/json' },
        cache: 'no-store',
      });
      state.anonymousAllowed = response.ok;
    } catch {
      // Unreachable server: the key form stays; signing in will report it. Ask again next time.
    }
  }
  if (session === state.session) ui.signInAnonymous.hidden = state.anonymousAllowed !== true;
}

/** @param {string} key '' for no key */
async function signIn(key) {
  state.session += 1;
  const session = state.session;
  state.key = key;
  setMessage(ui.signInMessage, 'Checking…');
  let agents;
  try {
    agents = await api('/agents');
  } catch (error) {
    if (session !== state.session) return;
    state.key = undefined;
    const refused = error instanceof ApiError && error.status === 401;
    const text = refused
      ? 'The server refused this key.'
      : error instanceof ApiError && error.status === 403
        ? `This key may not read runs and agents (${error.message}).`
        : `Could not reach the server: ${errorText(error)}`;
    void showSignIn(text);
    return;
  }
  if (session !== state.session) return;
  if (key === '') {
    sessionStorage.removeItem(KEY_STORAGE);
    sessionStorage.setItem(ANONYMOUS_STORAGE, '1');
  } else {
    sessionStorage.setItem(KEY_STORAGE, key);
    sessionStorage.removeItem(ANONYMOUS_STORAGE);
  }
  state.agents = Array.isArray(agents?.agents) ? agents.agents : [];
  ui.apiKey.value = '';
  setMessage(ui.signInMessage, '');
  ui.signIn.hidden = true;
  ui.app.hidden = false;
  ui.signOut.hidden = false;
  ui.identity.hidden = false;
  ui.identity.textContent = key === '' ? 'No key (auth off)' : 'Signed in with an API key';
  renderStartAgents();
  startLiveStream();
  void loadRuns();
  const match = /^#run=(.+)$/.exec(location.hash);
  if (match) openRun(decodeURIComponent(match[1]));
}

/** @param {string} [message] */
function signOut(message = '') {
  state.session += 1;
  state.key = undefined;
  sessionStorage.removeItem(KEY_STORAGE);
  sessionStorage.removeItem(ANONYMOUS_STORAGE);
  state.live?.abort();
  state.live = undefined;
  closeTimeline();
  state.runs.clear();
  state.agents = [];
  state.pending = [];
  state.fetching.clear();
  state.nextCursor = undefined;
  state.listLoaded = false;
  for (const { row } of rows.values()) row.remove();
  rows.clear();
  setMessage(ui.startMessage, '');
  setMessage(ui.runsMessage, '');
  setLiveStatus('off', 'Not connected');
  void showSignIn(message);
}

// ---------------------------------------------------------------------------------------------
// Wiring

ui.signInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = ui.apiKey.value.trim();
  if (key !== '') void signIn(key);
});

ui.anonymous.addEventListener('click', () => void signIn(''));
ui.signOut.addEventListener('click', () => signOut());

ui.filters.addEventListener('submit', (event) => event.preventDefault());
ui.filters.addEventListener('change', () => {
  state.filters = { agent: ui.filterAgent.value, status: ui.filterStatus.value };
  state.nextCursor = undefined;
  scheduleRender();
  void loadRuns();
});

ui.loadMore.addEventListener('click', async () => {
  ui.loadMore.disabled = true;
  try {
    await loadRuns({ append: true });
  } finally {
    ui.loadMore.disabled = false;
  }
});

ui.runsBody.addEventListener('click', (event) => {
  const target = /** @type {HTMLElement} */ (event.target);
  const row = target.closest('tr[data-run-id]');
  if (!(row instanceof HTMLTableRowElement) || !row.dataset.runId) return;
  // Let people select text in a row without opening it.
  if (!target.closest('button') && String(getSelection() ?? '') !== '') return;
  openRun(row.dataset.runId);
});

ui.timelineClose.addEventListener('click', () => closeTimeline());
ui.timelineCancel.addEventListener('click', () => {
  const runId = state.timeline?.runId;
  if (runId !== undefined) void cancelRun(runId);
});

ui.startAgent.addEventListener('change', renderAgentDescription);

ui.startForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const agent = ui.startAgent.value;
  const input = ui.startInput.value;
  if (agent === '' || input.trim() === '') return;
  ui.startSubmit.disabled = true;
  setMessage(ui.startMessage, `Starting a run of ${agent}…`);
  try {
    const started = await api(`/agents/${encodeURIComponent(agent)}/runs`, {
      method: 'POST',
      body: JSON.stringify({ input, mode: 'async' }),
    });
    const runId = started?.runId;
    setMessage(ui.startMessage, typeof runId === 'string' ? `Started run ${runId}.` : 'Started.');
    if (typeof runId === 'string') openRun(runId);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      setMessage(ui.startMessage, `Could not start the run: ${errorText(error)}`, true);
    }
  } finally {
    ui.startSubmit.disabled = state.agents.length === 0;
  }
});

// Durations of running runs tick.
setInterval(() => {
  if (ui.app.hidden) return;
  const timelineRun = state.timeline ? state.runs.get(state.timeline.runId) : undefined;
  if (timelineRun?.status === 'running' || listedRuns().some((run) => run.status === 'running'))
    scheduleRender();
}, 1_000);

const storedKey = sessionStorage.getItem(KEY_STORAGE);
if (storedKey) void signIn(storedKey);
else if (sessionStorage.getItem(ANONYMOUS_STORAGE) === '1') void signIn('');
else void showSignIn();
