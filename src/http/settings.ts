import type { CallGate, GateLimits } from './call-gate.js';
import type { Vendor } from '../domain/model.js';
import type { BreakerSettings, BreakerState } from './circuit-breaker.js';
import type { RetrySettings } from './retry-policy.js';

/** Where a vendor is and how to authenticate; the key never leaves the HTTP client. */
export interface VendorSettings {
  readonly baseUrl: string;
  readonly apiKey: string;
}

/** Limits and policy for every HTTP call to one vendor. */
export interface HttpSettings {
  /** @default 3000 */
  readonly connectTimeoutMs: number;
  /** @default 10000 */
  readonly headersTimeoutMs: number;
  /** @default 10000 */
  readonly bodyTimeoutMs: number;
  /** Responses larger than this are refused (results bodies excepted). @default 10 MiB */
  readonly maxResponseBytes: number;
  /** Results bodies (unpaged arrays of every target) larger than this are refused. @default 256 MiB */
  readonly maxResultsBytes: number;
  /** Vendor calls in flight at once per vendor, across all requests. @default 32 */
  readonly maxConcurrency: number;
  /** Calls per minute for this vendor's credential, retries included; 0 = no limit. @default Bolna 900, Syllable 0 */
  readonly rateLimitPerMinute: number;
  /** Calls that may wait for a rate-limit slot; more are refused at once. @default 100 */
  readonly rateLimitQueue: number;
  readonly retry: RetrySettings;
  readonly breaker: BreakerSettings;
  /** Told of every exchange and retry (metrics); not a setting, attached when the server starts. */
  readonly observer?: VendorCallObserver;
  /** Where the call gates come from in a fleet (shared through Redis); each client keeps its own otherwise. */
  readonly gates?: CallGates;
}

/** Makes the gate of one vendor credential. */
export interface CallGates {
  gateFor(credentialScope: string, limits: GateLimits): CallGate;
}

/** What the HTTP client tells about its calls, for metrics. */
export interface VendorCallObserver {
  /** One HTTP exchange ended: the vendor's status, or `error` when no answer came. */
  exchanged(vendor: Vendor, method: string, outcome: number | 'error', seconds: number): void;
  /** A failed attempt is tried again. */
  retried(vendor: Vendor): void;
}

/** The state of a vendor's client, for readiness and metrics. */
export interface VendorHealth {
  readonly vendor: Vendor;
  readonly breaker: BreakerState;
  /** Calls waiting for a rate-limit slot. */
  readonly rateLimitWaiting: number;
}
