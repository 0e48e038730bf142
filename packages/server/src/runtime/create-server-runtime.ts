import { join } from 'node:path';
import {
  type AgentConfig,
  type AnyTool,
  type Clock,
  EventBus,
  type EventStore,
  type IdGenerator,
  type LanguageModel,
} from '@agent/core';
import {
  type AgentLogger,
  type AgentMetrics,
  createAgentMetrics,
  createLogger,
  instrument,
  LiveEvents,
} from '@agent/observability';
import type { Redis } from 'ioredis';
import type { ReadinessReport, ServerRuntime } from '../contract.js';
import { createRunManager } from '../runs/run-manager.js';
import { buildAgents } from './build-agents.js';
import { type BuiltLimiter, buildLimiter } from './build-limiter.js';
import { buildModels } from './build-models.js';
import { buildStore } from './build-store.js';
import { buildTools } from './build-tools.js';

/** Options of {@link createServerRuntime}. */
export interface ServerRuntimeOptions {
  /** Relative paths of the config (the SQLite file) resolve against it. */
  cwd: string;
  /** The config file, named in errors about plugins and MCP servers. @default `<cwd>/agent.config.yaml` */
  configFile?: string;
  /** Where API keys are read from. @default process.env */
  env?: Record<string, string | undefined>;
  /** Use this logger instead of one built from the config; it stays open on `close()`. */
  logger?: AgentLogger;
  /** Models by config name that replace the configured ones, used as given (tests, embedding). */
  models?: Record<string, LanguageModel>;
  /** Extra tools, available to agents by name next to the built-in ones. */
  tools?: readonly AnyTool[];
  /** @default systemClock */
  clock?: Clock;
  /** Run ids. @default random UUIDs */
  idGenerator?: IdGenerator;
  /** Latency of the built-in demo model per call, in ms. @default 150 */
  demoLatencyMs?: number;
  /** Longest wait of a readiness check (ms). @default 2000 */
  readinessTimeoutMs?: number;
}

/**
 * Builds everything the server serves from a validated config: logger, models (the demo model
 * where no API key is set), tools, the limiter, the event store, telemetry, the agents and the
 * run manager.
 *
 * @example
 * ```ts
 * const { config } = await loadConfig('agent.config.yaml');
 * const runtime = await createServerRuntime(config, { cwd: process.cwd() });
 * const { runId, done } = await runtime.runs.start({ agent: 'assistant', input: 'Hi', principal });
 * await runtime.close();
 * ```
 */
export async function createServerRuntime(
  config: AgentConfig,
  options: ServerRuntimeOptions,
): Promise<ServerRuntime> {
  const observability = config.observability;
  const ownsLogger = options.logger === undefined;
  const logger =
    options.logger ??
    createLogger({
      level: observability.logLevel,
      format: observability.logFormat,
      redact: observability.redact,
      fields: { service: 'agent-server' },
    });
  const env = options.env ?? process.env;
  const closers: { name: string; close: () => Promise<void> | void }[] = [];
  const closeAll = async (): Promise<void> => {
    for (const { name, close } of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        logger.error('closing a part of the server runtime failed', { part: name, error: String(error) });
      }
    }
  };

  try {
    const models = buildModels(config, {
      env,
      logger,
      ...(options.models !== undefined ? { overrides: options.models } : {}),
      ...(options.demoLatencyMs !== undefined ? { demoLatencyMs: options.demoLatencyMs } : {}),
    });
    const tools = await buildTools(config, {
      cwd: options.cwd,
      configFile: options.configFile ?? join(options.cwd, 'agent.config.yaml'),
      env,
      logger,
      extra: options.tools ?? [],
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
    });
    closers.push({ name: 'tools', close: () => tools.close() });
    const limiter: BuiltLimiter = buildLimiter(config, logger);
    closers.push({ name: 'limiter', close: () => limiter.close() });
    const store: EventStore = await buildStore(config, options.cwd);
    closers.push({ name: 'store', close: () => store.close() });
    const metrics: AgentMetrics | undefined = observability.metrics.enabled
      ? createAgentMetrics()
      : undefined;
    const live = new LiveEvents({
      ...(metrics !== undefined
        ? { onDrop: (count: number) => metrics.recordDroppedEvents('sse', count) }
        : {}),
    });
    closers.push({ name: 'live events', close: () => live.close() });
    const telemetry = instrument({
      bus: new EventBus(),
      logger,
      ...(metrics !== undefined ? { metrics } : {}),
      ...(observability.tracing.enabled ? { tracer: true as const } : {}),
      tracing: { captureContent: observability.tracing.captureContent },
      store,
      live,
      redact: observability.redact,
    });
    closers.push({ name: 'telemetry', close: () => telemetry.close() });

    const { agents, infos } = buildAgents(config, {
      models,
      toolsByAgent: tools.byAgent,
      limiter: limiter.limiter,
      telemetry,
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
    });
    const runs = createRunManager({
      agents,
      store,
      live,
      flush: () => telemetry.flush(),
      redact: (event) => telemetry.redactor.redact(event),
      logger,
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
      ...(options.idGenerator !== undefined ? { idGenerator: options.idGenerator } : {}),
    });
    const demoModel = [...models.values()].some((model) => model.demo);
    const readinessTimeoutMs = options.readinessTimeoutMs ?? 2000;

    let closing: Promise<void> | undefined;
    const runtime: ServerRuntime = {
      config,
      logger,
      metrics,
      store,
      live,
      limiter: limiter.limiter,
      limiterFor: (rules, purpose) => limiter.limiterFor(rules, purpose),
      runs,
      tools: tools.registry,
      toolCatalog: tools.catalog,
      agents: infos,
      demoModel,

      async ready(): Promise<ReadinessReport> {
        const checks: ReadinessReport['checks'] = { config: { ok: true } };
        const [storeCheck, redisCheck] = await Promise.all([
          check(() => store.listRuns({ limit: 1 }), readinessTimeoutMs),
          limiter.redis === undefined
            ? undefined
            : check(() => pingRedis(limiter.redis as Redis), readinessTimeoutMs),
        ]);
        checks.store = storeCheck;
        if (redisCheck !== undefined) checks.redis = redisCheck;
        checks.draining = runs.draining ? { ok: false, detail: 'the server is shutting down' } : { ok: true };
        return { ready: Object.values(checks).every((entry) => entry.ok), checks };
      },

      close(closeOptions = {}) {
        closing ??= (async () => {
          const graceMs = closeOptions.graceMs ?? config.server.shutdownGraceMs;
          try {
            const drained = await runs.drain(graceMs);
            logger.info('runs drained', drained);
          } catch (error) {
            logger.error('draining runs failed', { error: String(error) });
          }
          await closeAll();
          if (ownsLogger) await logger.close();
        })();
        return closing;
      },
    };
    if (demoModel) {
      // Info, not warn: the warning per model above already says what to set; one-shot CLI
      // commands (which log warnings only) would otherwise print it twice.
      logger.info(
        'The built-in demo model is answering for models without an API key; see the warnings above for what to set.',
      );
    }
    logger.info('server runtime ready', {
      agents: infos.map((info) => info.name),
      tools: tools.registry.list().map((tool) => tool.name),
      store: observability.events.store,
      rateLimitBackend: config.rateLimits.backend,
    });
    return runtime;
  } catch (error) {
    await closeAll();
    if (ownsLogger) await logger.close();
    throw error;
  }
}

// Right after start (or a reconnect) the connection is still opening: wait for it, not fail at once.
async function pingRedis(redis: Redis): Promise<void> {
  if (
    redis.status === 'connecting' ||
    redis.status === 'connect' ||
    redis.status === 'reconnecting' ||
    redis.status === 'wait'
  ) {
    await new Promise<void>((resolve) => {
      const settle = (): void => {
        redis.off('ready', settle);
        redis.off('error', settle);
        resolve();
      };
      redis.once('ready', settle);
      redis.once('error', settle);
    });
  }
  await redis.ping();
}

async function check(
  probe: () => Promise<unknown> | undefined,
  timeoutMs: number,
): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
