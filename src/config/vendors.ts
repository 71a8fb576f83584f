import { z } from 'zod';
import type { ListWaitSettings } from '../cache/patience.js';
import type { Vendor } from '../domain/model.js';
import { integer, optionalString } from '../env.js';
import type { HttpSettings, VendorSettings } from '../http/settings.js';
import type { BolnaSettings } from '../vendors/bolna/bolna-adapter.js';
import { commaList, httpUrl } from './fields.js';

/** The vendors: where they are, their keys, and the policy of every call to them. */

export const DEFAULT_BASE_URLS: Record<Vendor, string> = {
  syllable: 'https://api.syllable.cloud',
  bolna: 'https://api.bolna.ai',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const vendorsEnv = z.object({
  SYLLABLE_API_KEY: optionalString,
  SYLLABLE_BASE_URL: httpUrl('SYLLABLE_BASE_URL'),
  BOLNA_API_KEY: optionalString,
  BOLNA_BASE_URL: httpUrl('BOLNA_BASE_URL'),
  BOLNA_AGENT_IDS: commaList.refine((ids) => ids.every((id) => UUID.test(id)), 'BOLNA_AGENT_IDS must be a comma-separated list of agent UUIDs'),
  SYLLABLE_MAX_CONCURRENCY: integer('SYLLABLE_MAX_CONCURRENCY', 32, 1, 256),
  BOLNA_MAX_CONCURRENCY: integer('BOLNA_MAX_CONCURRENCY', 32, 1, 256),
  VENDOR_CONNECT_TIMEOUT_MS: integer('VENDOR_CONNECT_TIMEOUT_MS', 3000, 1, 600_000),
  VENDOR_HEADERS_TIMEOUT_MS: integer('VENDOR_HEADERS_TIMEOUT_MS', 10_000, 1, 600_000),
  VENDOR_BODY_TIMEOUT_MS: integer('VENDOR_BODY_TIMEOUT_MS', 10_000, 1, 600_000),
  VENDOR_MAX_RESPONSE_BYTES: integer('VENDOR_MAX_RESPONSE_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  VENDOR_MAX_RESULTS_BYTES: integer('VENDOR_MAX_RESULTS_BYTES', 256 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
  REQUEST_DEADLINE_MS: integer('REQUEST_DEADLINE_MS', 25_000, 100, 600_000),
  VENDOR_LIST_WAIT_MS: integer('VENDOR_LIST_WAIT_MS', 2_000, 1, 600_000),
  VENDOR_LIST_WAIT_PERCENT: integer('VENDOR_LIST_WAIT_PERCENT', 20, 0, 10_000),
  VENDOR_LIST_WAIT_MIN_MS: integer('VENDOR_LIST_WAIT_MIN_MS', 100, 0, 600_000),
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

export interface VendorConfig {
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
}

export function vendorConfig(e: z.output<typeof vendorsEnv>, warnings: string[]): VendorConfig {
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
    demo,
    syllable: e.SYLLABLE_API_KEY ? { apiKey: e.SYLLABLE_API_KEY, baseUrl: e.SYLLABLE_BASE_URL ?? DEFAULT_BASE_URLS.syllable } : null,
    bolna: e.BOLNA_API_KEY ? { apiKey: e.BOLNA_API_KEY, baseUrl: e.BOLNA_BASE_URL ?? DEFAULT_BASE_URLS.bolna, agentIds: e.BOLNA_AGENT_IDS } : null,
    http: {
      syllable: httpFor(e.SYLLABLE_MAX_CONCURRENCY, e.SYLLABLE_RATE_LIMIT_PER_MINUTE),
      bolna: httpFor(e.BOLNA_MAX_CONCURRENCY, e.BOLNA_RATE_LIMIT_PER_MINUTE),
    },
    requestDeadlineMs: e.REQUEST_DEADLINE_MS,
    listWait: { capMs: e.VENDOR_LIST_WAIT_MS, percent: e.VENDOR_LIST_WAIT_PERCENT, minMs: e.VENDOR_LIST_WAIT_MIN_MS },
  };
}
