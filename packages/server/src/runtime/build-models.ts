import {
  type AgentConfig,
  ConfigError,
  type LanguageModel,
  type Logger,
  type ModelConfig,
  withFallback,
  withRetry,
  withTimeout,
} from '@agent/core';
import { createAnthropic } from '@agent/llm-anthropic';
import { createOpenAI } from '@agent/llm-openai';
import { createDemoModel } from './demo-model.js';

/** A configured model, resolved. */
export interface BuiltModel {
  name: string;
  /** The model agents call: wrapped with timeout and retry, and its fallbacks chained. */
  model: LanguageModel;
  /** The provider named in the config (`demo` when the demo model stands in). */
  provider: string;
  /** The model id named in the config (`demo` when the demo model stands in). */
  modelId: string;
  demo: boolean;
}

/** Options of {@link buildModels}. */
export interface BuildModelsOptions {
  env: Record<string, string | undefined>;
  logger: Logger;
  /** Models by config name that replace the configured ones, as given (tests, embedding). */
  overrides?: Record<string, LanguageModel>;
  /** Latency of the demo model per call. @default 150 */
  demoLatencyMs?: number;
}

interface ProviderFactory {
  envVar: string;
  create(config: ModelConfig, apiKey: string): LanguageModel;
}

const PROVIDERS: Record<string, ProviderFactory> = {
  openai: {
    envVar: 'OPENAI_API_KEY',
    create: (config, apiKey) =>
      createOpenAI({
        apiKey,
        ...(config.baseURL !== undefined ? { baseURL: config.baseURL } : {}),
        ...(config.organization !== undefined ? { organization: config.organization } : {}),
        ...(config.headers !== undefined ? { headers: config.headers } : {}),
      })(config.model),
  },
  anthropic: {
    envVar: 'ANTHROPIC_API_KEY',
    create: (config, apiKey) =>
      createAnthropic({
        apiKey,
        ...(config.baseURL !== undefined ? { baseURL: config.baseURL } : {}),
        ...(config.headers !== undefined ? { headers: config.headers } : {}),
      })(config.model),
  },
};

/** The provider names the server knows. */
export const KNOWN_PROVIDERS: readonly string[] = Object.keys(PROVIDERS);

/**
 * Builds every `models.<name>`: the provider's adapter with the API key from the config or the
 * environment, wrapped with `withTimeout` and `withRetry`, then chained with its fallbacks. A model
 * without a key gets the built-in demo model instead (with a warning), so the server still starts.
 */
export function buildModels(config: AgentConfig, options: BuildModelsOptions): Map<string, BuiltModel> {
  const base = new Map<string, BuiltModel>();
  for (const [name, modelConfig] of Object.entries(config.models)) {
    base.set(name, buildBaseModel(name, modelConfig, options));
  }
  const built = new Map<string, BuiltModel>();
  for (const [name, model] of base) {
    const fallbacks = (config.models[name]?.fallback ?? [])
      .map((fallbackName) => base.get(fallbackName)?.model)
      .filter((fallback): fallback is LanguageModel => fallback !== undefined);
    if (fallbacks.length === 0 || options.overrides?.[name] !== undefined) {
      built.set(name, model);
      continue;
    }
    built.set(name, {
      ...model,
      model: withFallback([model.model, ...fallbacks], {
        onFallback: (info) =>
          options.logger.warn('model failed; trying its fallback', {
            model: name,
            from: `${info.from.provider}/${info.from.modelId}`,
            to: `${info.to.provider}/${info.to.modelId}`,
            error: info.error instanceof Error ? info.error.message : String(info.error),
          }),
      }),
    });
  }
  return built;
}

function buildBaseModel(name: string, config: ModelConfig, options: BuildModelsOptions): BuiltModel {
  const override = options.overrides?.[name];
  if (override !== undefined) {
    return { name, model: override, provider: override.provider, modelId: override.modelId, demo: false };
  }
  const factory = Object.hasOwn(PROVIDERS, config.provider) ? PROVIDERS[config.provider] : undefined;
  if (factory === undefined) {
    throw new ConfigError(
      `Model "${name}" uses the unknown provider "${config.provider}". Available providers: ${KNOWN_PROVIDERS.join(', ')}. Fix models.${name}.provider.`,
    );
  }
  const apiKey = config.apiKey ?? nonEmpty(options.env[factory.envVar]);
  if (apiKey === undefined) {
    options.logger.warn(
      `No API key for model "${name}" (${config.provider}/${config.model}): the built-in demo model answers instead. Set ${factory.envVar}, or models.${name}.apiKey in agent.config.yaml, and restart.`,
      { model: name, provider: config.provider, envVar: factory.envVar },
    );
    return {
      name,
      model: createDemoModel({
        ...(options.demoLatencyMs !== undefined ? { latencyMs: options.demoLatencyMs } : {}),
        configureHint: `set ${factory.envVar} (or models.${name}.apiKey in agent.config.yaml) and restart`,
      }),
      provider: 'demo',
      modelId: 'demo',
      demo: true,
    };
  }
  let model = factory.create(config, apiKey);
  if (config.timeoutMs !== undefined) model = withTimeout(model, config.timeoutMs);
  const retry = config.retry;
  model = withRetry(model, {
    ...(retry?.maxRetries !== undefined ? { maxRetries: retry.maxRetries } : {}),
    ...(retry?.initialDelayMs !== undefined ? { initialDelayMs: retry.initialDelayMs } : {}),
    ...(retry?.maxDelayMs !== undefined ? { maxDelayMs: retry.maxDelayMs } : {}),
    ...(retry?.deadlineMs !== undefined ? { deadlineMs: retry.deadlineMs } : {}),
    onRetry: (info) =>
      options.logger.warn('model call failed; retrying', {
        model: name,
        attempt: info.attempt,
        delayMs: info.delayMs,
        error: info.error.message,
      }),
  });
  return { name, model, provider: config.provider, modelId: config.model, demo: false };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
