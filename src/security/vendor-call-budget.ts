import { VendorCallBudgetExceededError } from '../domain/errors.js';
import type { Vendor } from '../domain/model.js';

/**
 * Vendor calls one operation may start. Both vendors' rate limits are shared by every caller, so
 * one operation must not spend them for everyone: each call is counted before it is made, and the
 * call past the limit is refused (its field gets null and this error, the rest answers). Cache
 * hits and joining another request's call in flight cost nothing.
 */
export class VendorCallBudget {
  private spentCalls = 0;
  private limit: number;

  constructor(
    limit: number,
    /** Counts the call against the caller's share of the vendor (CALLER_VENDOR_BUDGET_PERCENT); throws past it. */
    private readonly chargeCaller: ((vendor: Vendor) => void | Promise<void>) | null = null,
  ) {
    this.limit = limit;
  }

  /** Lets this operation make `calls` more: `addBatchTargets` sends one per target, as the vendor takes them. */
  allow(calls: number): void {
    this.limit += calls;
  }

  get spent(): number {
    return this.spentCalls;
  }

  /**
   * Counts one vendor call, or throws when the operation has used its budget; a promise when the
   * caller's share is kept in Redis (it rejects past the share).
   */
  spend(vendor: Vendor): void | Promise<void> {
    if (this.spentCalls >= this.limit) throw new VendorCallBudgetExceededError(vendor, this.limit);
    this.spentCalls += 1;
    return this.chargeCaller?.(vendor);
  }
}
