import { z } from 'zod';
import type { Vendor } from './domain/model.js';
import { boolean, ConfigError, integer, optionalBoolean, optionalString, parseEnv, type Env } from './env.js';
import type { HttpSettings, VendorSettings } from './http/settings.js';
import type { BolnaSettings } from './vendors/bolna/bolna-adapter.js';
import type { CacheSettings } from './cache/settings.js';
import type { ListWaitSettings } from './cache/patience.js';
import type { AuthSettings, BrowserSettings, LimitSettings } from './security/settings.js';
import type { LogLevel } from './logger.js';

export { ConfigError } from './env.js';

export interface AppConfig {
  readonly host: string;
  readonly port: number;
  /** True when no vendor key is set: the API runs on the embedded simulators. */
  readonly demo: boolean;
  /** Null when the vendor is disabled (no key, outside demo mode). */
  readonly syllable: VendorSettings | null;
  readonly bolna: BolnaSettings | null;
  readonly http: Readonly<Record<Vendor, HttpSettings>>;
  /** All vendor work of one GraphQL request ends by then; below a federation router's 30 s. @default 25000 */
  readonly requestDeadlineMs: number;
  /** How long a read over several vendors (the combined `batches`) waits for each of them. */
  readonly listWait: ListWaitSettings;
  /** Live progress (subscriptions): poll intervals and limits. */
  readonly live: LiveSettings;
  /** Secret of `POST /webhooks/bolna`; null: webhooks are off. */
  readonly bolnaWebhookSecret: string | null;
  /** On SIGTERM/SIGINT, requests in flight may finish for this long before connections are cut. @default 10000 */
  readonly shutdownGraceMs: number;
  /** The shared read cache (in process, and in Redis when REDIS_URL is set). */
  readonly cache: CacheSettings;
  /** Replicas the fleet is sized for (FLEET_SIZE_HINT): with Redis lost, each keeps to 1/fleetSizeHint of every vendor budget. @default 1 */
  readonly fleetSizeHint: number;
  readonly auth: AuthSettings;
  readonly limits: LimitSettings;
  readonly browser: BrowserSettings;
  readonly server: ServerSettings;
  readonly observability: ObservabilitySettings;
  readonly warnings: readonly string[];
}

export interface LiveSettings {
  /** Poll interval of a watched batch while it changes. @default 5000 */
  readonly pollIntervalMs: number;
  /** A watched batch that does not change is polled ever less often, down to this. @default 60000 */
  readonly pollMaxIntervalMs: number;
  /** Subscriptions this process holds at most. @default 10000 */
  readonly maxSubscriptions: number;
  /** Subscriptions one WebSocket connection holds at most. @default 50 */
  readonly maxSubscriptionsPerConnection: number;
  /** Batches one caller (token subject, else client address) watches at most. @default 1000 */
  readonly maxSubscriptionsPerCaller: number;
  /** Share of a vendor's rate limit (`*_RATE_LIMIT_PER_MINUTE`) polls may use. @default 50 */
  readonly pollBudgetPercent: number;
  /** Progress snapshots kept per batch. @default 1000 */
  readonly historyPerBatch: number;
  /** Batches whose progress history is kept. @default 10000 */
  readonly historyBatches: number;
  /** Snapshots older than this are dropped; in Redis, a batch's history after this long unobserved. @default 7 days */
  readonly historyMaxAgeMs: number;
}

/** The HTTP server itself: what it exposes and how long it waits for slow clients. */
export interface ServerSettings {
  /** `__schema`/`__type` answered. @default true, false when NODE_ENV=production */
  readonly introspection: boolean;
  /** GraphiQL served to browsers at /graphql. @default true in demo mode without caller auth, else false */
  readonly graphiql: boolean;
  /** The live dashboard served to browsers at `/`. @default true, false when NODE_ENV=production */
  readonly dashboard: boolean;
  /** A client has this long to send its request headers. @default 10000 */
  readonly headersTimeoutMs: number;
  /** A client has this long to send its whole request. @default 30000 */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. @default 5000 */
  readonly keepAliveTimeoutMs: number;
}

export interface ObservabilitySettings {
  /** @default info */
  readonly logLevel: LogLevel;
  /** Serve /metrics on this port instead of the API's (bound to METRICS_HOST); null = the API's port. */
  readonly metricsPort: number | null;
  /** @default the API's HOST */
  readonly metricsHost: string;
  /** When set, /metrics wants `Authorization: Bearer <token>`. */
  readonly metricsToken: string | null;
  /**
   * Where /metrics answers: on its own listener (METRICS_PORT), on the API's port behind
   * METRICS_TOKEN, open on the API's port in demo mode without caller auth, or nowhere (vendor keys
   * or caller auth set and neither METRICS_PORT nor METRICS_TOKEN).
   */
  readonly metricsExposure: 'own-port' | 'token' | 'open' | 'off';
}

export const DEFAULT_BASE_URLS: Record<Vendor, string> = {
  syllable: 'https://api.syllable.cloud',
  bolna: 'https://api.bolna.ai',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return ['http:', 'https:'].includes(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const baseUrl = (name: string) =>
  optionalString.refine((u) => u === undefined || isHttpUrl(u), `${name} must be an absolute http(s) URL such as https://api.example.com`);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads a secret; short ones are refused, since HS256 with a guessable key is no protection. */
const secret = (name: string, minLength: number) =>
  optionalString.refine((v) => v === undefined || Buffer.byteLength(v) >= minLength, `${name} must be at least ${minLength} bytes long`);

const envSchema = z.object({
  NODE_ENV: optionalString,
  LOG_LEVEL: optionalString.transform((v) => v ?? 'info').pipe(z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })),
  AUTH_JWT_SECRET: secret('AUTH_JWT_SECRET', 32),
  AUTH_JWKS_URL: baseUrl('AUTH_JWKS_URL'),
  AUTH_ISSUER: optionalString,
  AUTH_AUDIENCE: optionalString,
  AUTH_CLOCK_TOLERANCE_SECONDS: integer('AUTH_CLOCK_TOLERANCE_SECONDS', 30, 0, 3600),
  AUTH_DISABLED: boolean('AUTH_DISABLED', false),
  ROUTER_SECRET: secret('ROUTER_SECRET', 16),
  CORS_ORIGINS: optionalString
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    )
    .refine((origins) => origins.every((o) => o === '*' || isHttpOrigin(o)), 'CORS_ORIGINS must be `*` or a comma-separated list of origins such as https://dashboard.example.com'),
  INTROSPECTION: optionalBoolean('INTROSPECTION'),
  GRAPHIQL: optionalBoolean('GRAPHIQL'),
  DASHBOARD: optionalBoolean('DASHBOARD'),
  MAX_REQUEST_BODY_BYTES: integer('MAX_REQUEST_BODY_BYTES', 2_000_000, 1024, 100_000_000),
  MAX_DEPTH: integer('MAX_DEPTH', 9, 2, 100),
  MAX_INTROSPECTION_DEPTH: integer('MAX_INTROSPECTION_DEPTH', 20, 2, 100),
  MAX_ALIASES: integer('MAX_ALIASES', 15, 1, 1000),
  MAX_DIRECTIVES: integer('MAX_DIRECTIVES', 50, 1, 1000),
  MAX_TOKENS: integer('MAX_TOKENS', 1000, 10, 100_000),
  MAX_CHARACTERS: integer('MAX_CHARACTERS', 15_000, 100, 1_000_000),
  MAX_COST: integer('MAX_COST', 5000, 1, 10_000_000),
  MAX_VENDOR_CALLS_PER_OPERATION: integer('MAX_VENDOR_CALLS_PER_OPERATION', 50, 1, 100_000),
  MAX_NODE_IDS: integer('MAX_NODE_IDS', 100, 1, 10_000),
  MAX_ENTITY_REPRESENTATIONS: integer('MAX_ENTITY_REPRESENTATIONS', 500, 1, 100_000),
  MAX_INFLIGHT_OPERATIONS: integer('MAX_INFLIGHT_OPERATIONS', 256, 1, 100_000),
  MAX_WS_CONNECTIONS: integer('MAX_WS_CONNECTIONS', 2_000, 1, 1_000_000),
  CALLER_VENDOR_BUDGET_PERCENT: integer('CALLER_VENDOR_BUDGET_PERCENT', 25, 1, 100),
  HTTP_HEADERS_TIMEOUT_MS: integer('HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
  HTTP_REQUEST_TIMEOUT_MS: integer('HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: integer('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
  METRICS_PORT: optionalString.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) <= 65535), 'METRICS_PORT must be a port number (0 picks a free one)'),
  METRICS_HOST: optionalString,
  METRICS_TOKEN: secret('METRICS_TOKEN', 16),
  HOST: optionalString.transform((v) => v ?? '127.0.0.1'),
  PORT: integer('PORT', 4000, 0, 65535),
  SYLLABLE_API_KEY: optionalString,
  SYLLABLE_BASE_URL: baseUrl('SYLLABLE_BASE_URL'),
  BOLNA_API_KEY: optionalString,
  BOLNA_BASE_URL: baseUrl('BOLNA_BASE_URL'),
  BOLNA_AGENT_IDS: optionalString
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((ids) => ids.every((id) => UUID.test(id)), 'BOLNA_AGENT_IDS must be a comma-separated list of agent UUIDs'),
  SYLLABLE_MAX_CONCURRENCY: integer('SYLLABLE_MAX_CONCURRENCY', 32, 1, 256),
  BOLNA_MAX_CONCURRENCY: integer('BOLNA_MAX_CONCURRENCY', 32, 1, 256),
  VENDOR_CONNECT_TIMEOUT_MS: integer('VENDOR_CONNECT_TIMEOUT_MS', 3000, 1, 600_000),
  VENDOR_HEADERS_TIMEOUT_MS: integer('VENDOR_HEADERS_TIMEOUT_MS', 10_000, 1, 600_000),
  VENDOR_BODY_TIMEOUT_MS: integer('VENDOR_BODY_TIMEOUT_MS', 10_000, 1, 600_000),
  VENDOR_MAX_RESPONSE_BYTES: integer('VENDOR_MAX_RESPONSE_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  VENDOR_MAX_RESULTS_BYTES: integer('VENDOR_MAX_RESULTS_BYTES', 256 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
  CACHE_TTL_MS: integer('CACHE_TTL_MS', 2_000, 0, 3_600_000),
  CACHE_MAX_BYTES: integer('CACHE_MAX_BYTES', 128 * 1024 * 1024, 0, 64 * 1024 * 1024 * 1024),
  CACHE_STALE_IF_ERROR_MS: integer('CACHE_STALE_IF_ERROR_MS', 60_000, 0, 86_400_000),
  REDIS_URL: optionalString.refine((u) => u === undefined || /^rediss?:\/\/.+/.test(u), 'REDIS_URL must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379'),
  REDIS_TIMEOUT_MS: integer('REDIS_TIMEOUT_MS', 250, 10, 60_000),
  FLEET_SIZE_HINT: integer('FLEET_SIZE_HINT', 1, 1, 1_000),
  REDIS_KEY_PREFIX: optionalString.transform((v) => v ?? 'outbound-graph'),
  REDIS_MAX_ENTRY_BYTES: integer('REDIS_MAX_ENTRY_BYTES', 8 * 1024 * 1024, 0, 512 * 1024 * 1024),
  REQUEST_DEADLINE_MS: integer('REQUEST_DEADLINE_MS', 25_000, 100, 600_000),
  VENDOR_LIST_WAIT_MS: integer('VENDOR_LIST_WAIT_MS', 2_000, 1, 600_000),
  VENDOR_LIST_WAIT_PERCENT: integer('VENDOR_LIST_WAIT_PERCENT', 20, 0, 10_000),
  VENDOR_LIST_WAIT_MIN_MS: integer('VENDOR_LIST_WAIT_MIN_MS', 100, 0, 600_000),
  POLL_INTERVAL_MS: integer('POLL_INTERVAL_MS', 5_000, 50, 3_600_000),
  POLL_MAX_INTERVAL_MS: integer('POLL_MAX_INTERVAL_MS', 60_000, 50, 86_400_000),
  MAX_SUBSCRIPTIONS: integer('MAX_SUBSCRIPTIONS', 10_000, 0, 10_000_000),
  MAX_SUBSCRIPTIONS_PER_CONNECTION: integer('MAX_SUBSCRIPTIONS_PER_CONNECTION', 50, 1, 100_000),
  MAX_SUBSCRIPTIONS_PER_CALLER: integer('MAX_SUBSCRIPTIONS_PER_CALLER', 1_000, 1, 10_000_000),
  POLL_BUDGET_PERCENT: integer('POLL_BUDGET_PERCENT', 50, 1, 100),
  BOLNA_WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || v.length >= 16, 'BOLNA_WEBHOOK_SECRET must be at least 16 characters'),
  HISTORY_PER_BATCH: integer('HISTORY_PER_BATCH', 1_000, 1, 1_000_000),
  HISTORY_BATCHES: integer('HISTORY_BATCHES', 10_000, 1, 10_000_000),
  HISTORY_MAX_AGE_MS: integer('HISTORY_MAX_AGE_MS', 7 * 86_400_000, 1_000, 365 * 86_400_000),
  SHUTDOWN_GRACE_MS: integer('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
  SYLLABLE_RATE_LIMIT_PER_MINUTE: integer('SYLLABLE_RATE_LIMIT_PER_MINUTE', 0, 0, 1_000_000),
  BOLNA_RATE_LIMIT_PER_MINUTE: integer('BOLNA_RATE_LIMIT_PER_MINUTE', 900, 0, 1_000_000),
  VENDOR_RATE_LIMIT_QUEUE: integer('VENDOR_RATE_LIMIT_QUEUE', 100, 0, 100_000),
  VENDOR_MAX_ATTEMPTS: integer('VENDOR_MAX_ATTEMPTS', 3, 1, 10),
  VENDOR_RETRY_BASE_MS: integer('VENDOR_RETRY_BASE_MS', 250, 1, 60_000),
  VENDOR_RETRY_CAP_MS: integer('VENDOR_RETRY_CAP_MS', 5_000, 1, 600_000),
  VENDOR_RETRY_BUDGET_PERCENT: integer('VENDOR_RETRY_BUDGET_PERCENT', 20, 0, 100),
  VENDOR_RETRY_BUDGET_FLOOR: integer('VENDOR_RETRY_BUDGET_FLOOR', 3, 0, 10_000),
  BREAKER_CONSECUTIVE_FAILURES: integer('BREAKER_CONSECUTIVE_FAILURES', 5, 1, 10_000),
  BREAKER_FAILURE_RATE_PERCENT: integer('BREAKER_FAILURE_RATE_PERCENT', 50, 1, 100),
  BREAKER_MIN_CALLS: integer('BREAKER_MIN_CALLS', 10, 1, 100_000),
  BREAKER_WINDOW_MS: integer('BREAKER_WINDOW_MS', 10_000, 100, 3_600_000),
  BREAKER_OPEN_MS: integer('BREAKER_OPEN_MS', 30_000, 10, 3_600_000),
});

/** Reads and validates the environment once; every problem is reported together. */
export function loadConfig(env: Env = process.env): AppConfig {
  const e = parseEnv(envSchema, env);
  const warnings: string[] = [];
  const httpFor = (maxConcurrency: number, rateLimitPerMinute: number): HttpSettings => ({
    connectTimeoutMs: e.VENDOR_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: e.VENDOR_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: e.VENDOR_BODY_TIMEOUT_MS,
    maxResponseBytes: e.VENDOR_MAX_RESPONSE_BYTES,
    maxResultsBytes: e.VENDOR_MAX_RESULTS_BYTES,
    maxConcurrency,
    rateLimitPerMinute,
    rateLimitQueue: e.VENDOR_RATE_LIMIT_QUEUE,
    retry: {
      maxAttempts: e.VENDOR_MAX_ATTEMPTS,
      baseDelayMs: e.VENDOR_RETRY_BASE_MS,
      maxDelayMs: e.VENDOR_RETRY_CAP_MS,
      budgetRatio: e.VENDOR_RETRY_BUDGET_PERCENT / 100,
      budgetFloor: e.VENDOR_RETRY_BUDGET_FLOOR,
      budgetWindowMs: 10_000,
    },
    breaker: {
      consecutiveFailures: e.BREAKER_CONSECUTIVE_FAILURES,
      failureRate: e.BREAKER_FAILURE_RATE_PERCENT / 100,
      minCalls: e.BREAKER_MIN_CALLS,
      windowMs: e.BREAKER_WINDOW_MS,
      openMs: e.BREAKER_OPEN_MS,
    },
  });
  const demo = !e.SYLLABLE_API_KEY && !e.BOLNA_API_KEY;

  if (!demo) {
    if (!e.SYLLABLE_API_KEY && e.SYLLABLE_BASE_URL) warnings.push('SYLLABLE_BASE_URL is set but SYLLABLE_API_KEY is not: Syllable stays disabled.');
    if (!e.BOLNA_API_KEY && (e.BOLNA_BASE_URL || e.BOLNA_AGENT_IDS.length > 0)) {
      warnings.push('BOLNA_BASE_URL or BOLNA_AGENT_IDS is set but BOLNA_API_KEY is not: Bolna stays disabled.');
    }
    if (e.BOLNA_API_KEY && e.BOLNA_AGENT_IDS.length === 0) {
      warnings.push('BOLNA_AGENT_IDS is empty: Bolna batches are reachable by id but `batches` lists none (Bolna lists batches per agent).');
    }
  }

  const production = e.NODE_ENV === 'production';
  const authConfigured = Boolean(e.AUTH_JWT_SECRET || e.AUTH_JWKS_URL);
  const problems: string[] = [];
  if (e.AUTH_JWT_SECRET && e.AUTH_JWKS_URL) problems.push('Set AUTH_JWT_SECRET or AUTH_JWKS_URL, not both.');
  if (!demo && !authConfigured && !e.AUTH_DISABLED) {
    problems.push(
      'Vendor credentials are set but caller authentication is not: set AUTH_JWT_SECRET or AUTH_JWKS_URL (see "Running in production" in the README), or AUTH_DISABLED=true to run without it.',
    );
  }
  if (e.CORS_ORIGINS.includes('*') && e.CORS_ORIGINS.length > 1) problems.push('CORS_ORIGINS is `*` or a list of origins, not both.');
  if (problems.length > 0) throw new ConfigError(problems);
  const authEnabled = authConfigured && !e.AUTH_DISABLED;
  if (e.AUTH_DISABLED) warnings.push('AUTH_DISABLED=true: anyone who can reach this server may read and change every batch.');

  return {
    host: e.HOST,
    port: e.PORT,
    demo,
    cache: {
      ttlMs: e.CACHE_TTL_MS,
      maxBytes: e.CACHE_MAX_BYTES,
      staleIfErrorMs: e.CACHE_STALE_IF_ERROR_MS,
      redis: e.REDIS_URL ? { url: e.REDIS_URL, timeoutMs: e.REDIS_TIMEOUT_MS, keyPrefix: e.REDIS_KEY_PREFIX, maxEntryBytes: e.REDIS_MAX_ENTRY_BYTES } : null,
    },
    fleetSizeHint: e.FLEET_SIZE_HINT,
    warnings,
    syllable: e.SYLLABLE_API_KEY
      ? {
          apiKey: e.SYLLABLE_API_KEY,
          baseUrl: e.SYLLABLE_BASE_URL ?? DEFAULT_BASE_URLS.syllable,
        }
      : null,
    bolna: e.BOLNA_API_KEY
      ? {
          apiKey: e.BOLNA_API_KEY,
          baseUrl: e.BOLNA_BASE_URL ?? DEFAULT_BASE_URLS.bolna,
          agentIds: e.BOLNA_AGENT_IDS,
        }
      : null,
    http: {
      syllable: httpFor(e.SYLLABLE_MAX_CONCURRENCY, e.SYLLABLE_RATE_LIMIT_PER_MINUTE),
      bolna: httpFor(e.BOLNA_MAX_CONCURRENCY, e.BOLNA_RATE_LIMIT_PER_MINUTE),
    },
    requestDeadlineMs: e.REQUEST_DEADLINE_MS,
    listWait: { capMs: e.VENDOR_LIST_WAIT_MS, percent: e.VENDOR_LIST_WAIT_PERCENT, minMs: e.VENDOR_LIST_WAIT_MIN_MS },
    bolnaWebhookSecret: e.BOLNA_WEBHOOK_SECRET ?? null,
    live: {
      pollIntervalMs: e.POLL_INTERVAL_MS,
      pollMaxIntervalMs: Math.max(e.POLL_INTERVAL_MS, e.POLL_MAX_INTERVAL_MS),
      maxSubscriptions: e.MAX_SUBSCRIPTIONS,
      maxSubscriptionsPerConnection: e.MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxSubscriptionsPerCaller: e.MAX_SUBSCRIPTIONS_PER_CALLER,
      pollBudgetPercent: e.POLL_BUDGET_PERCENT,
      historyPerBatch: e.HISTORY_PER_BATCH,
      historyBatches: e.HISTORY_BATCHES,
      historyMaxAgeMs: e.HISTORY_MAX_AGE_MS,
    },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    auth: {
      enabled: authEnabled,
      jwtSecret: e.AUTH_JWT_SECRET ?? null,
      jwksUrl: e.AUTH_JWKS_URL ?? null,
      issuer: e.AUTH_ISSUER ?? null,
      audience: e.AUTH_AUDIENCE ?? null,
      clockToleranceSeconds: e.AUTH_CLOCK_TOLERANCE_SECONDS,
      routerSecret: e.ROUTER_SECRET ?? null,
    },
    limits: {
      maxRequestBodyBytes: e.MAX_REQUEST_BODY_BYTES,
      maxDepth: e.MAX_DEPTH,
      maxIntrospectionDepth: e.MAX_INTROSPECTION_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxDirectives: e.MAX_DIRECTIVES,
      maxTokens: e.MAX_TOKENS,
      maxCharacters: e.MAX_CHARACTERS,
      maxCost: e.MAX_COST,
      maxVendorCallsPerOperation: e.MAX_VENDOR_CALLS_PER_OPERATION,
      maxNodeIds: e.MAX_NODE_IDS,
      maxEntityRepresentations: e.MAX_ENTITY_REPRESENTATIONS,
      maxInflightOperations: e.MAX_INFLIGHT_OPERATIONS,
      maxWsConnections: e.MAX_WS_CONNECTIONS,
      callerVendorBudgetPercent: e.CALLER_VENDOR_BUDGET_PERCENT,
    },
    browser: { corsOrigins: e.CORS_ORIGINS },
    server: {
      introspection: e.INTROSPECTION ?? !production,
      // Off wherever it would face real data or real callers: the page is 9 MB a load.
      graphiql: e.GRAPHIQL ?? (!production && demo && !authConfigured),
      dashboard: e.DASHBOARD ?? !production,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    observability: {
      logLevel: e.LOG_LEVEL,
      metricsPort: e.METRICS_PORT === undefined ? null : Number(e.METRICS_PORT),
      metricsHost: e.METRICS_HOST ?? e.HOST,
      metricsToken: e.METRICS_TOKEN ?? null,
      metricsExposure: e.METRICS_PORT !== undefined ? 'own-port' : e.METRICS_TOKEN ? 'token' : demo && !authConfigured ? 'open' : 'off',
    },
  };
}
