import { LRUCache } from 'lru-cache';
import { VendorError, vendorLabel } from '../domain/errors.js';
import type { Vendor } from '../domain/model.js';
import { RATE_WINDOW_MS } from '../http/call-gate.js';
import { SlidingWindowLimiter } from '../http/rate-limiter.js';

/**
 * Where per-caller windows are kept: in this process, or in Redis for the whole fleet
 * (src/fleet/fleet-caller-windows.ts). `admit` answers 0 when the call fits the caller's window,
 * else the milliseconds until it would.
 */
export interface CallerWindows {
  admit(key: string, perMinute: number): number | Promise<number>;
}

/** Callers whose windows one process keeps at most (least recently seen forgotten). */
const MAX_CALLERS = 50_000;

export class LocalCallerWindows implements CallerWindows {
  private readonly windows = new LRUCache<string, SlidingWindowLimiter>({ max: MAX_CALLERS, ttl: RATE_WINDOW_MS, updateAgeOnGet: true });

  admit(key: string, perMinute: number): number {
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = new SlidingWindowLimiter(perMinute, RATE_WINDOW_MS, 0)));
    const now = Date.now();
    const slot = window.reserve(now, now);
    return 'at' in slot ? 0 : Math.max(1, slot.refusedForMs);
  }
}

/**
 * Each vendor's budget is the organisation's, shared by every caller: one caller may cause at
 * most CALLER_VENDOR_BUDGET_PERCENT of a vendor's calls a minute, so a single client cannot
 * spend it for everyone. Only the vendor calls a caller causes count (cache hits and joining
 * another request's call are free), so many dashboards behind one address that read through the
 * cache are not held back. A caller is its token's subject, or its address without a token.
 */
export class CallerVendorBudgets {
  /** Calls a minute one caller may cause, per vendor; 0 = no bound (a vendor without a limit). */
  readonly perCaller: Readonly<Record<Vendor, number>>;

  constructor(
    vendorLimits: Readonly<Record<Vendor, number>>,
    percent: number,
    private readonly windows: CallerWindows = new LocalCallerWindows(),
  ) {
    const share = (limit: number) => (limit > 0 ? Math.max(1, Math.floor((limit * percent) / 100)) : 0);
    this.perCaller = { syllable: share(vendorLimits.syllable), bolna: share(vendorLimits.bolna) };
  }

  /** Counts one call of `caller` to `vendor`, or throws RATE_LIMITED when its share of the minute is spent. */
  charge(caller: string, vendor: Vendor): void | Promise<void> {
    const limit = this.perCaller[vendor];
    if (limit === 0) return;
    const waitMs = this.windows.admit(`${vendor}:${caller}`, limit);
    if (typeof waitMs === 'number') return refuseIfOver(waitMs, vendor, limit);
    return waitMs.then((ms) => refuseIfOver(ms, vendor, limit));
  }
}

function refuseIfOver(waitMs: number, vendor: Vendor, limit: number): void {
  if (waitMs <= 0) return;
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  throw new VendorError(
    vendor,
    'RATE_LIMITED',
    `You have used your share of ${vendorLabel(vendor)}'s calls for this minute (${limit}, CALLER_VENDOR_BUDGET_PERCENT of its limit, shared by every caller); retry in ${seconds} s. Reads served from the cache do not count.`,
    429,
    { retryAfterSeconds: seconds },
  );
}
