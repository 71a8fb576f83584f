import { VendorError } from '../domain/errors.js';
import { resultFilterKey } from '../domain/ids.js';
import type { BatchChange, BatchRecord, ResultFilter, ResultRecord, ResultSet } from '../domain/model.js';
import type { CallContext } from '../http/vendor-http-client.js';
import type { VendorAdapter } from '../vendors/vendor-adapter.js';
import type { SharedReads } from './shared-reads.js';

/** Rough bytes of a batch record, for the cache's size bound (its JSON is ~1 KB). */
const BATCH_RECORD_BYTES = 1_024;
const RESULT_RECORD_BYTES = 512;

/** Failures after which a write may or may not have been applied: evict as if it was. */
const OUTCOME_UNKNOWN = new Set(['VENDOR_TIMEOUT', 'VENDOR_UNAVAILABLE']);

/**
 * A vendor adapter whose reads go through the shared read layer: one vendor call however many
 * requests ask at once, and one per TTL while the answer is fresh. Writes go straight to the
 * vendor and, once applied, evict everything cached about the batch (its detail, its results,
 * the vendor's list) before they answer. Same interface as the adapter it wraps, so the
 * per-request store above and the HTTP policy below do not change.
 */
export class CachingVendorAdapter implements VendorAdapter {
  readonly vendor: VendorAdapter['vendor'];
  readonly credentialScope: string;
  readonly changesBatches: boolean;
  readonly resultFilters: VendorAdapter['resultFilters'];

  constructor(
    private readonly inner: VendorAdapter,
    private readonly reads: SharedReads,
  ) {
    this.vendor = inner.vendor;
    this.credentialScope = inner.credentialScope;
    this.changesBatches = inner.changesBatches;
    this.resultFilters = inner.resultFilters;
  }

  listBatches(call: CallContext): Promise<BatchRecord[]> {
    return this.reads.read(
      {
        key: `${this.credentialScope}:list`,
        tag: this.listTag(),
        vendor: this.vendor,
        size: (records) => Math.max(1, records.length) * BATCH_RECORD_BYTES,
        answeredAt: (records) => records[0]?.fetchedAt,
        fetch: (shared) => this.inner.listBatches(shared),
      },
      call,
    );
  }

  getBatch(batchId: string, call: CallContext): Promise<BatchRecord | null> {
    return this.reads.read(
      {
        key: `${this.credentialScope}:batch:${batchId}`,
        tag: this.batchTag(batchId),
        vendor: this.vendor,
        size: () => BATCH_RECORD_BYTES,
        answeredAt: (record) => record?.fetchedAt,
        fetch: (shared) => this.inner.getBatch(batchId, shared),
      },
      call,
    );
  }

  async listResults(batchId: string, filter: ResultFilter, call: CallContext): Promise<ResultSet | null> {
    const filtered = hasFilter(filter);
    if (filtered) {
      // All rows of the batch are at hand and fresh: filter them here rather than ask again.
      const all = await this.reads.peek<ResultSet | null>(this.resultsKey(batchId, {}));
      if (all !== null) return { ...all, rows: all.rows.filter((row) => matches(row, filter)) };
    }
    return this.reads.read(
      {
        key: this.resultsKey(batchId, filter),
        tag: this.batchTag(batchId),
        vendor: this.vendor,
        size: (set) => Math.max(RESULT_RECORD_BYTES, set?.bytes ?? 0),
        answeredAt: (set) => set?.fetchedAt,
        fetch: (shared) => this.inner.listResults(batchId, filter, shared),
      },
      call,
    );
  }

  async getResult(batchId: string, referenceId: string, call: CallContext): Promise<ResultRecord | null> {
    const all = await this.reads.peek<ResultSet | null>(this.resultsKey(batchId, {}));
    if (all !== null) return all.rows.find((row) => row.referenceId === referenceId) ?? null;
    return this.reads.read(
      {
        key: `${this.credentialScope}:result:${batchId}:${referenceId}`,
        tag: this.batchTag(batchId),
        vendor: this.vendor,
        size: () => RESULT_RECORD_BYTES,
        fetch: (shared) => this.inner.getResult(batchId, referenceId, shared),
      },
      call,
    );
  }

  capabilities(batch: BatchRecord) {
    return this.inner.capabilities(batch);
  }

  async updateBatch(batchId: string, change: BatchChange, call: CallContext): Promise<BatchRecord | null> {
    let updated: BatchRecord | null;
    call.budget?.spend(this.vendor);
    try {
      updated = await this.inner.updateBatch(batchId, change, call);
    } catch (error) {
      // A refused write changed nothing; one whose answer was lost may have been applied.
      if (error instanceof VendorError && OUTCOME_UNKNOWN.has(error.code)) await this.evictBatch(batchId);
      throw error;
    }
    await this.evictBatch(batchId);
    return updated;
  }

  health() {
    return this.inner.health();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Everything cached about one batch: its detail, results and rows, and the list that holds it. */
  private evictBatch(batchId: string): Promise<void> {
    return this.reads.evict([this.batchTag(batchId), this.listTag()]);
  }

  private listTag(): string {
    return `${this.credentialScope}:list`;
  }

  private batchTag(batchId: string): string {
    return `${this.credentialScope}:batch:${batchId}`;
  }

  private resultsKey(batchId: string, filter: ResultFilter): string {
    return `${this.credentialScope}:results:${batchId}:${resultFilterKey(filter)}`;
  }
}

function hasFilter(filter: ResultFilter): boolean {
  return filter.referenceId !== undefined || filter.vendorStatus !== undefined || filter.insightsStatus !== undefined;
}

/** The vendor's own filters, applied to rows at hand: exact matches on the vendor's fields. */
function matches(row: ResultRecord, filter: ResultFilter): boolean {
  return (
    (filter.referenceId === undefined || row.referenceId === filter.referenceId) &&
    (filter.vendorStatus === undefined || row.vendorStatus === filter.vendorStatus) &&
    (filter.insightsStatus === undefined || row.insightsStatus === filter.insightsStatus)
  );
}
