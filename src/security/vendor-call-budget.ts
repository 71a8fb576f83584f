import { OutboundGraphError, vendorLabel } from '../domain/errors.js';
import type { Vendor } from '../domain/model.js';

/** The operation has started as many vendor calls as one operation may; this part is left out. */
export class VendorCallBudgetExceededError extends OutboundGraphError {
  readonly code = 'VENDOR_CALL_BUDGET_EXCEEDED';
  override readonly name = 'VendorCallBudgetExceededError';
  constructor(
    readonly vendor: Vendor,
    readonly limit: number,
  ) {
    super(`Left out: this operation already made ${limit} vendor calls, the most one operation may (MAX_VENDOR_CALLS_PER_OPERATION). Ask for fewer items at once or page through them; the ${vendorLabel(vendor)} data left out has not been read.`);
  }
  override extensions(): Record<string, unknown> {
    return { vendor: this.vendor, limit: this.limit };
  }
}

/**
 * Vendor calls one operation may start. Both vendors' rate limits are shared by every caller, so
 * one operation must not spend them for everyone: each call is counted before it is made, and the
 * call past the limit is refused (its field gets null and this error, the rest answers). Cache
 * hits and joining another request's call in flight cost nothing.
 */
export class VendorCallBudget {
  private spentCalls = 0;

  constructor(
    readonly limit: number,
    /** Counts the call against the caller's share of the vendor (CALLER_VENDOR_BUDGET_PERCENT); throws past it. */
    private readonly chargeCaller: ((vendor: Vendor) => void | Promise<void>) | null = null,
  ) {}

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
