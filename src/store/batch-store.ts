import { BatchNotFoundError, InvalidInputError, NodeNotFoundError, UnsupportedOperationError, vendorLabel } from '../domain/errors.js';
import { compareBatches } from '../domain/cursors.js';
import { batchGlobalId, parseBatchId, parseGlobalId, type BatchKey, type ResultKey } from '../domain/ids.js';
import type { BatchCapabilities, BatchChange, BatchRecord, BatchStatus, ResultFilter, ResultRecord, ResultStatus, StatusCountRecord, Vendor } from '../domain/model.js';
import { exactVendorResultStatus, progressTotals, type ProgressTotals } from '../domain/status.js';
import type { CallContext } from '../http/vendor-http-client.js';
import type { VendorRegistry } from '../vendors/vendor-registry.js';
import { createLoaders, keyOf, replaceBatch, type Loaders } from './loaders.js';

export interface BatchFilter {
  readonly vendor?: Vendor | null;
  readonly status?: BatchStatus | null;
}

export interface BatchListing {
  /** Newest first, over one sort order across vendors. */
  readonly batches: BatchRecord[];
  /** Vendors whose list could not be read, with why. */
  readonly failures: ReadonlyArray<{ vendor: Vendor; error: unknown }>;
}

export interface ResultQuery {
  readonly status?: ResultStatus | null;
  readonly referenceId?: string | null;
  readonly insightsStatus?: string | null;
}

export interface ResultListing {
  readonly rows: readonly ResultRecord[];
  /** Epoch ms of the vendor answer the rows come from. */
  readonly fetchedAt: number;
}

/**
 * A batch known only by its key: what `batch(id)` gives when the query asks for nothing but its
 * results, so one results read both answers and proves the batch exists. Only `id`, `vendor`,
 * `vendorBatchId` and `results` are ever resolved on it (see `BatchStore.batchForResults`).
 */
export interface BatchByKey extends BatchRecord {
  readonly onlyKey: true;
}

/**
 * Everything the schema may ask about batches, for one request: reads through per-request
 * loaders (one vendor call per resource per request, on top of the shared read layer), writes,
 * and what each vendor allows. Ids are parsed once, here at the edge, into structured keys.
 */
export class BatchStore {
  private readonly loaders: Loaders;
  /** Batches (global ids) written in this request: their loader value is the vendor's answer to the write. */
  private readonly written = new Set<string>();

  constructor(
    private readonly vendors: VendorRegistry,
    private readonly call: CallContext,
  ) {
    this.loaders = createLoaders(vendors, call);
  }

  /** A batch id of an enabled vendor as a key; malformed ids and disabled vendors throw. */
  batchKey(id: string): BatchKey {
    const key = parseBatchId(id);
    this.vendors.assertEnabled(key.vendor);
    return key;
  }

  /** A batch by global id; NOT_FOUND when the vendor does not know it. */
  async batch(id: string): Promise<BatchRecord> {
    const batch = await this.loaders.batchById.load(this.batchKey(id));
    if (!batch) throw new BatchNotFoundError(id);
    return batch;
  }

  /** For a query that reads only a batch's results: no batch read; the results read tells whether it exists. */
  batchForResults(id: string): BatchByKey {
    const key = this.batchKey(id);
    return { ...UNREAD_BATCH, vendor: key.vendor, vendorBatchId: key.batchId, onlyKey: true };
  }

  /** A batch or a batch result by global id; unknown ids are NOT_FOUND, malformed ones INVALID_INPUT. */
  async node(id: string): Promise<BatchRecord | ResultRecord> {
    return parseGlobalId(id).kind === 'Batch' ? this.batch(id) : this.result(id);
  }

  async result(id: string): Promise<ResultRecord> {
    const key = parseGlobalId(id);
    if (key.kind !== 'BatchResult') throw new NodeNotFoundError(id, `Id "${id}" names a batch, not a batch result.`);
    this.vendors.assertEnabled(key.vendor);
    const resultKey: ResultKey = { vendor: key.vendor, batchId: key.batchId, referenceId: key.referenceId };
    const result = await this.loaders.resultById.load(resultKey);
    if (!result) throw new NodeNotFoundError(id);
    return result;
  }

  /**
   * All batches of the enabled (or chosen) vendors. One vendor failing does not hide the other's
   * batches: its failure is returned beside them. Only when every vendor fails does this throw.
   */
  async list(filter: BatchFilter): Promise<BatchListing> {
    const vendors = filter.vendor ? [filter.vendor] : this.vendors.enabled;
    for (const vendor of vendors) this.vendors.assertEnabled(vendor);
    const settled = await Promise.allSettled(vendors.map((vendor) => this.loaders.batchListByVendor.load(vendor)));
    const failures = settled.flatMap((outcome, i) => (outcome.status === 'rejected' ? [{ vendor: vendors[i]!, error: outcome.reason as unknown }] : []));
    if (failures.length > 0 && failures.length === vendors.length) throw failures[0]!.error;
    const all = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? outcome.value : []));
    const batches = all.filter((batch) => !filter.status || batch.status === filter.status).sort(compareBatches);
    return { batches, failures };
  }

  // These answer synchronously when the record at hand holds the answer: a promise per field
  // and alias is what GraphQL execution spends most of its time on (microtasks, GC).

  /** The per-status counts, reading the batch in full only when the record at hand lacks them. */
  statusCounts(batch: BatchRecord): MaybePromise<readonly StatusCountRecord[]> {
    if (batch.statusCounts !== undefined) return batch.statusCounts;
    return this.loaders.batchDetailById.load(keyOf(batch)).then((detail) => detail?.statusCounts ?? []);
  }

  totalCount(batch: BatchRecord): MaybePromise<number> {
    if (batch.declaredTotal !== null) return batch.declaredTotal;
    return then(this.statusCounts(batch), (counts) => counts.reduce((sum, count) => sum + count.count, 0));
  }

  /** Targets per normalised status, computed once per set of counts. */
  progress(batch: BatchRecord): MaybePromise<ProgressTotals> {
    return then(this.statusCounts(batch), progressOf);
  }

  /** Bolna reports a batch's agent only on its agent's list, so a batch read alone looks it up there. */
  agentId(batch: BatchRecord): MaybePromise<string | null> {
    if (batch.agentId !== null || batch.vendor !== 'bolna') return batch.agentId;
    return this.loaders.batchListByVendor.load('bolna').then((listed) => listed.find((other) => other.vendorBatchId === batch.vendorBatchId)?.agentId ?? null);
  }

  capabilities(batch: BatchRecord): BatchCapabilities {
    return this.vendors.get(batch.vendor).capabilities(batch);
  }

  /**
   * A batch's results in vendor order, filtered. Filters the vendor applies exactly are sent to
   * it (Syllable: reference id, insights status, and PENDING as request status); the rest are
   * applied here, to the rows of one read.
   */
  async results(batch: BatchRecord, query: ResultQuery): Promise<ResultListing> {
    const referenceId = nonEmpty(query.referenceId, 'referenceId');
    const insightsStatus = nonEmpty(query.insightsStatus, 'insightsStatus');
    const adapter = this.vendors.get(batch.vendor);
    const pushed = adapter.resultFilters;
    const vendorStatus = query.status ? exactVendorResultStatus(batch.vendor, query.status) : null;
    const filter: ResultFilter = {
      ...(referenceId !== undefined && pushed.has('referenceId') ? { referenceId } : {}),
      ...(vendorStatus !== null && pushed.has('vendorStatus') ? { vendorStatus } : {}),
      ...(insightsStatus !== undefined && pushed.has('insightsStatus') ? { insightsStatus } : {}),
    };
    const set = await this.loaders.resultsByBatch.load({ ...keyOf(batch), filter });
    if (!set) {
      // Read only for its results, the batch is proven unknown by this answer.
      if ('onlyKey' in batch) throw new BatchNotFoundError(batchGlobalId(keyOf(batch)));
      return { rows: [], fetchedAt: Date.now() };
    }
    const needsFiltering = query.status || referenceId !== undefined || insightsStatus !== undefined;
    const rows = needsFiltering
      ? set.rows.filter(
          (row) =>
            (!query.status || row.status === query.status) &&
            (referenceId === undefined || row.referenceId === referenceId) &&
            (insightsStatus === undefined || row.insightsStatus === insightsStatus),
        )
      : set.rows;
    return { rows, fetchedAt: set.fetchedAt };
  }

  pause(id: string): Promise<BatchRecord> {
    return this.change(id, {
      operation: 'pauseBatch',
      allowed: 'canPause',
      alreadyDone: (batch) => batch.paused,
      change: { paused: true },
      refusal: 'cannot be paused',
    });
  }

  resume(id: string): Promise<BatchRecord> {
    return this.change(id, {
      operation: 'resumeBatch',
      allowed: 'canResume',
      alreadyDone: (batch) => !batch.paused && batch.status !== 'PAUSED',
      change: { paused: false },
      refusal: 'cannot be resumed',
    });
  }

  /** `expiresOn` null clears the expiry; undefined (left out) is refused, so it never clears by accident. */
  updateExpiry(id: string, expiresOn: Date | null | undefined, now = new Date()): Promise<BatchRecord> {
    // A malformed id is reported before a problem with the expiry.
    this.batchKey(id);
    if (expiresOn === undefined) {
      throw new InvalidInputError('Pass `expiresOn`: an instant in the future, or null to clear the expiry.', 'expiresOn');
    }
    if (expiresOn !== null && expiresOn.getTime() <= now.getTime()) {
      throw new InvalidInputError(`\`expiresOn\` must be in the future (got ${expiresOn.toISOString()}).`, 'expiresOn');
    }
    return this.change(id, {
      operation: 'updateBatchExpiry',
      allowed: 'canUpdateExpiry',
      alreadyDone: (batch) => (batch.expiresOn?.date?.getTime() ?? null) === (expiresOn?.getTime() ?? null),
      change: { expiresOn },
      refusal: 'cannot have its expiry changed',
    });
  }

  /**
   * Check the id, read the batch from the vendor (never a cached answer: a decision to write, or
   * not, is made on the vendor's state), check what its vendor and state allow, then send only
   * the change. A change that is already in effect succeeds without a vendor write.
   */
  private async change(id: string, command: Command): Promise<BatchRecord> {
    const key = this.batchKey(id);
    const before = await this.currentState(key, id);
    const adapter = this.vendors.get(before.vendor);
    const refuse = () =>
      new UnsupportedOperationError(
        `${vendorLabel(before.vendor)} batch "${before.vendorBatchId}" ${command.refusal} (status ${before.status}, vendor status ${before.vendorStatus}).`,
        command.operation,
        before.vendor,
      );
    // "Already done" only means something for a vendor that can make the change at all.
    if (!adapter.changesBatches) throw refuse();
    if (command.alreadyDone(before)) return before;
    if (!adapter.capabilities(before)[command.allowed]) throw refuse();
    const updated = await adapter.updateBatch(before.vendorBatchId, command.change, this.call);
    if (!updated) throw new BatchNotFoundError(id);
    // The write answer carries no counts; a pause or an expiry does not change them, so the
    // counts read a moment ago in this request stay valid and spare a second read.
    const merged: BatchRecord = {
      ...updated,
      statusCounts: updated.statusCounts ?? before.statusCounts,
      declaredTotal: updated.declaredTotal ?? before.declaredTotal,
      agentId: updated.agentId ?? before.agentId,
    };
    replaceBatch(this.loaders, merged);
    this.written.add(batchGlobalId(key));
    return merged;
  }

  private async currentState(key: BatchKey, id: string): Promise<BatchRecord> {
    if (this.written.has(batchGlobalId(key))) {
      const known = await this.loaders.batchDetailById.load(key);
      if (known) return known;
    }
    const fresh = await this.vendors.get(key.vendor).getBatch(key.batchId, { ...this.call, fresh: true });
    if (!fresh) throw new BatchNotFoundError(id);
    replaceBatch(this.loaders, fresh);
    return fresh;
  }
}

type MaybePromise<T> = T | Promise<T>;

function then<T, R>(value: MaybePromise<T>, map: (value: T) => R): MaybePromise<R> {
  return value instanceof Promise ? value.then(map) : map(value);
}

/** Counts arrays are shared by every request while cached: their totals are computed once. */
const progressByCounts = new WeakMap<readonly StatusCountRecord[], ProgressTotals>();

function progressOf(counts: readonly StatusCountRecord[]): ProgressTotals {
  let totals = progressByCounts.get(counts);
  if (!totals) progressByCounts.set(counts, (totals = progressTotals(counts)));
  return totals;
}

interface Command {
  readonly operation: string;
  readonly allowed: keyof BatchCapabilities;
  /** True when the batch already is as the command would leave it. */
  readonly alreadyDone: (batch: BatchRecord) => boolean;
  readonly change: BatchChange;
  readonly refusal: string;
}

function nonEmpty(value: string | null | undefined, field: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value.length === 0) throw new InvalidInputError(`\`${field}\` must not be empty.`, field);
  return value;
}

/** The fields of a batch known only by key; never resolved (see BatchByKey). */
const UNREAD_BATCH: Omit<BatchRecord, 'vendor' | 'vendorBatchId'> = {
  status: 'UNKNOWN',
  vendorStatus: '',
  paused: false,
  expiresOn: null,
  scheduledAt: null,
  createdAt: null,
  updatedAt: null,
  lastUpdatedBy: null,
  fileName: null,
  errorMessage: null,
  campaignId: null,
  agentId: null,
  statusCounts: undefined,
  declaredTotal: null,
  fetchedAt: 0,
};
