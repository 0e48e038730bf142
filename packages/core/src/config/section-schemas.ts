// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are config text, not templates.
import { z } from 'zod';
import {
  addIssue,
  booleanField,
  httpURL,
  integerBetween,
  nonEmpty,
  patternField,
  positiveInteger,
  reportDuplicates,
} from './config-fields.js';

// The operational sections of agent.config.yaml (rate limits, server, observability). Models,
// agents and the cross-references between them are in config-schema.ts.

const dimension = z.enum(['agent', 'model', 'tenant']);

const rateLimitScope = z.union(
  [
    z.literal('global'),
    dimension,
    z
      .array(dimension)
      .min(1)
      .refine((dimensions) => new Set(dimensions).size === dimensions.length, {
        message: 'a dimension is listed twice',
        params: { fix: 'list each of agent, model and tenant at most once' },
      }),
  ],
  { error: 'invalid scope' },
);

const rateLimitRuleSchema = z
  .object({
    name: nonEmpty(),
    scope: rateLimitScope,
    maxCalls: positiveInteger().optional(),
    maxTokens: positiveInteger().optional(),
    windowMs: positiveInteger(),
  })
  .strict()
  .refine((rule) => rule.maxCalls !== undefined || rule.maxTokens !== undefined, {
    message: 'the rule limits nothing',
    params: { fix: 'set maxCalls, maxTokens or both' },
  });

const redisSchema = z
  .object({
    url: patternField(
      /^rediss?:\/\/\S+$/,
      'not a Redis URL',
      'use redis://host:6379, or rediss://host:6380 for TLS',
    ),
    keyPrefix: nonEmpty().optional(),
    commandTimeoutMs: positiveInteger().optional(),
    failurePolicy: z.enum(['open', 'closed', 'memory']).default('memory'),
  })
  .strict();

/** zod schema of the `rateLimits` section; its rules have the shape of `RateLimitRule`. */
export const rateLimitsSchema = z
  .object({
    backend: z.enum(['memory', 'redis']).default('memory'),
    redis: redisSchema.optional(),
    onLimit: z.enum(['wait', 'fail']).default('wait'),
    maxWaitMs: positiveInteger().optional(),
    rules: z.array(rateLimitRuleSchema).default([]),
  })
  .strict()
  .superRefine((limits, context) => {
    if (limits.backend === 'redis' && limits.redis === undefined) {
      addIssue(
        context,
        ['redis', 'url'],
        'backend is redis but no Redis URL is set',
        'add rateLimits.redis.url, e.g. url: ${REDIS_URL}',
      );
    }
    reportDuplicates(
      limits.rules.map((rule) => rule.name),
      ['rules'],
      'rule',
      context,
    );
  })
  .prefault({});

const apiKeySchema = z
  .object({
    name: nonEmpty(),
    hash: nonEmpty().optional(),
    key: nonEmpty().optional(),
    tenant: nonEmpty(),
    scopes: z.array(z.enum(['runs:write', 'runs:read', 'tools:call', 'admin'])).min(1),
    // A revoked key stays listed (so its name shows in audit logs) and is refused.
    revoked: booleanField(false),
  })
  .strict()
  .superRefine((apiKey, context) => {
    if (apiKey.hash !== undefined && apiKey.key !== undefined) {
      addIssue(context, ['key'], 'both hash and key are set', 'keep hash and remove key');
    }
    if (apiKey.hash === undefined && apiKey.key === undefined) {
      addIssue(context, [], 'neither hash nor key is set', 'set hash (recommended) or key: ${MY_API_KEY}');
    }
  });

const jwtSchema = z
  .object({
    secret: nonEmpty().optional(),
    jwksUrl: httpURL().optional(),
    issuer: nonEmpty().optional(),
    audience: z.union([nonEmpty(), z.array(nonEmpty()).min(1)]).optional(),
    tenantClaim: nonEmpty().optional(),
    scopesClaim: nonEmpty().optional(),
    // Accepted signature algorithms; the verifier never takes the token's word for it.
    algorithms: z
      .array(
        z.enum([
          'HS256',
          'HS384',
          'HS512',
          'RS256',
          'RS384',
          'RS512',
          'PS256',
          'PS384',
          'PS512',
          'ES256',
          'ES384',
          'ES512',
          'EdDSA',
        ]),
      )
      .min(1)
      .optional(),
    clockToleranceSeconds: integerBetween(0, 300).default(5),
  })
  .strict()
  .superRefine((jwt, context) => {
    // Exactly one way to verify signatures, so a token is never checked against the wrong key.
    if ((jwt.secret === undefined) === (jwt.jwksUrl === undefined)) {
      addIssue(
        context,
        [],
        'set exactly one of secret and jwksUrl',
        'use secret for HS256 tokens, or jwksUrl for a key set',
      );
    }
  });

/** zod schema of the `server` section: listen address, auth, CORS and request limits. */
export const serverSchema = z
  .object({
    host: nonEmpty().default('127.0.0.1'),
    port: integerBetween(0, 65535).default(3000),
    auth: z
      .object({
        apiKeys: z
          .array(apiKeySchema)
          .superRefine((keys, context) =>
            reportDuplicates(
              keys.map((key) => key.name),
              [],
              'API key',
              context,
            ),
          )
          .optional(),
        jwt: jwtSchema.optional(),
      })
      .strict()
      .optional(),
    cors: z
      .object({ origins: z.array(nonEmpty()).min(1) })
      .strict()
      .optional(),
    bodyLimitBytes: positiveInteger().optional(),
    requestTimeoutMs: positiveInteger().optional(),
    // HTTP requests per window, per API key (or JWT subject) and per tenant, through the
    // configured limiter (Redis when rateLimits.backend is redis).
    rateLimit: z
      .object({
        perKey: z.object({ maxRequests: positiveInteger(), windowMs: positiveInteger() }).strict().optional(),
        perTenant: z
          .object({ maxRequests: positiveInteger(), windowMs: positiveInteger() })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    // How long in-flight runs may take to finish after SIGTERM before they are cancelled.
    shutdownGraceMs: positiveInteger().default(30_000),
    dashboard: z
      .object({ enabled: booleanField(true) })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

const eventsSchema = z
  .object({
    store: z.enum(['memory', 'sqlite', 'postgres']).default('sqlite'),
    path: nonEmpty().optional(),
    url: nonEmpty().optional(),
    retention: z
      .object({ maxAgeMs: positiveInteger().optional(), maxRuns: positiveInteger().optional() })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((events, context) => {
    if (events.store === 'postgres' && !/^postgres(?:ql)?:\/\/\S+$/.test(events.url ?? '')) {
      addIssue(
        context,
        ['url'],
        'the postgres store needs a postgres:// URL',
        'set url, e.g. url: ${DATABASE_URL}',
      );
    }
  })
  .prefault({});

/** zod schema of the `observability` section: logs, event store, metrics and tracing. */
export const observabilitySchema = z
  .object({
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    logFormat: z.enum(['json', 'pretty']).default('json'),
    redact: booleanField(true),
    events: eventsSchema,
    metrics: z
      .object({ enabled: booleanField(true), requireAuth: booleanField(false) })
      .strict()
      .prefault({}),
    // Content capture is off by default: prompts and outputs may hold personal data.
    tracing: z
      .object({ enabled: booleanField(false), captureContent: booleanField(false) })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});
