import { z } from 'zod';
import type { Vendor } from './domain/model.js';
import { integer, optionalString, parseEnv, type Env } from './env.js';
import type { HttpSettings, VendorSettings } from './http/settings.js';
import type { BolnaSettings } from './vendors/bolna/bolna-adapter.js';
import type { CacheSettings } from './cache/settings.js';

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
  /** On SIGTERM/SIGINT, requests in flight may finish for this long before connections are cut. @default 10000 */
  readonly shutdownGraceMs: number;
  /** The shared read cache (in process, and in Redis when REDIS_URL is set). */
  readonly cache: CacheSettings;
  readonly warnings: readonly string[];
}

export const DEFAULT_BASE_URLS: Record<Vendor, string> = {
  syllable: 'https://api.syllable.cloud',
  bolna: 'https://api.bolna.ai',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const baseUrl = (name: string) =>
  optionalString.refine((u) => u === undefined || isHttpUrl(u), `${name} must be an absolute http(s) URL such as https://api.example.com`);

const envSchema = z.object({
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
  REDIS_KEY_PREFIX: optionalString.transform((v) => v ?? 'outbound-graph'),
  REDIS_MAX_ENTRY_BYTES: integer('REDIS_MAX_ENTRY_BYTES', 8 * 1024 * 1024, 0, 512 * 1024 * 1024),
  REQUEST_DEADLINE_MS: integer('REQUEST_DEADLINE_MS', 25_000, 100, 600_000),
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
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
  };
}
