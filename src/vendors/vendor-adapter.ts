import type { VendorHealth } from '../http/settings.js';
import type { CallContext } from '../http/vendor-http-client.js';
import type { BatchCapabilities, BatchChange, BatchRecord, ResultFilter, ResultRecord, ResultSet, Vendor } from '../domain/model.js';

/**
 * What the API needs from a vendor. Each adapter turns its vendor's JSON into domain records;
 * `null` means "the vendor does not know this id", failures are thrown as typed errors. The
 * shared read layer (src/cache) implements the same interface around each adapter.
 */
export interface VendorAdapter {
  readonly vendor: Vendor;
  /** Names the vendor account (base URL and credential, hashed) for cache keys. */
  readonly credentialScope: string;
  /** Whether the vendor can pause, resume or set an expiry at all, whatever a batch's state. */
  readonly changesBatches: boolean;
  /** The result filters the vendor applies itself; the rest are applied here. */
  readonly resultFilters: ReadonlySet<keyof ResultFilter>;
  /** Every batch the configured credentials can see, in vendor order. */
  listBatches(call: CallContext): Promise<BatchRecord[]>;
  /** One batch with its per-status counts. */
  getBatch(batchId: string, call: CallContext): Promise<BatchRecord | null>;
  /** Per-target results of a batch, filtered as far as `resultFilters` go; `null` when the batch is unknown. */
  listResults(batchId: string, filter: ResultFilter, call: CallContext): Promise<ResultSet | null>;
  getResult(batchId: string, referenceId: string, call: CallContext): Promise<ResultRecord | null>;
  /** What this vendor allows for the batch in its current state. */
  capabilities(batch: BatchRecord): BatchCapabilities;
  /**
   * Applies a change the capabilities allow. Returns the updated batch as the vendor answered
   * (its counts may be missing), or `null` when the batch is unknown.
   */
  updateBatch(batchId: string, change: BatchChange, call: CallContext): Promise<BatchRecord | null>;
  /** Breaker and rate-limit state of the vendor's client (readiness, metrics). */
  health(): VendorHealth;
  close(): Promise<void>;
}

export const NO_CAPABILITIES: BatchCapabilities = { canPause: false, canResume: false, canUpdateExpiry: false };
