import { SlidingWindowLimiter } from './rate-limiter.js';

/**
 * What a vendor call passes before it is sent: the vendor's own "wait" (`Retry-After`) and our
 * rate limit for its credential. In one process it is kept here; in a fleet, in Redis, so every
 * replica spends one budget (src/fleet/fleet-call-gate.ts).
 */
export interface CallGate {
  /**
   * A slot for one call, waiting at most `maxWaitMs`: go after `waitMs` (0 = now), or refused
   * with how long until a slot (or the vendor's wait) would end. `release` returns a slot whose
   * caller gave up before using it.
   */
  admit(maxWaitMs: number): Promise<Admission>;
  /** The vendor asked for no calls for `ms` (Retry-After): every call of this credential waits. */
  holdOff(ms: number): void;
  /** Calls holding a slot they wait for. */
  waiting(): number;
}

export type Admission =
  | { readonly waitMs: number; release(): void }
  /** `vendor`: the vendor's Retry-After; `limit`: our rate limit. */
  | { readonly refusedForMs: number; readonly cause: 'vendor' | 'limit' };

/**
 * A call counts against the minute for a second longer than the minute: it reaches the vendor a
 * little after it was admitted, by a delay that varies, and the vendor counts arrivals. Without
 * the margin a call admitted as the oldest one left the window could arrive while the vendor
 * still counts that one.
 */
export const RATE_WINDOW_MS = 61_000;

export interface GateLimits {
  /** Calls a minute; 0 = no limit. */
  readonly perMinute: number;
  /** Calls that may wait for a slot at once. */
  readonly queue: number;
}

/** The gate of one process: a sliding window and the vendor's latest Retry-After. */
export class LocalCallGate implements CallGate {
  private readonly limiter: SlidingWindowLimiter | null;
  private blockedUntil = 0;

  constructor(limits: GateLimits) {
    this.limiter = limits.perMinute > 0 ? new SlidingWindowLimiter(limits.perMinute, RATE_WINDOW_MS, limits.queue) : null;
  }

  admit(maxWaitMs: number): Promise<Admission> {
    const now = Date.now();
    const blockedFor = this.blockedUntil - now;
    if (blockedFor > maxWaitMs) return Promise.resolve({ refusedForMs: blockedFor, cause: 'vendor' });
    // Past the vendor's wait, the call takes its rate-limit slot (and waits for the later of both).
    const start = Math.max(now, this.blockedUntil);
    if (!this.limiter) return Promise.resolve({ waitMs: start - now, release: () => {} });
    const slot = this.limiter.reserve(now + maxWaitMs, start);
    if ('refusedForMs' in slot) return Promise.resolve({ refusedForMs: slot.refusedForMs + (start - now), cause: 'limit' });
    return Promise.resolve({ waitMs: slot.at - now, release: () => this.limiter?.release(slot.at) });
  }

  holdOff(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, Date.now() + ms);
  }

  waiting(): number {
    return this.limiter?.waiting() ?? 0;
  }
}
