import type { SharedVendor } from '../cache/caching-adapter.js';
import type { ListWaitSettings } from '../cache/patience.js';
import type { ReadOptions } from '../cache/read-options.js';
import { BatchNotFoundError, NodeNotFoundError, UnreadableItemsError } from '../domain/errors.js';
import { compareBatches } from '../domain/cursors.js';
import {
  checkListFilter,
  checkResultQuery,
  givesAny,
  hasListFilter,
  matchesBatch,
  rowsMatching,
  pushedListFilter,
  vendorListFilters,
  type BatchFilter,
  type ResultQuery,
} from '../domain/filters.js';
import { batchGlobalId, parseBatchId, parseGlobalId, type BatchKey, type ResultKey } from '../domain/ids.js';
import {
  batchRecord,
  type AgentRecord,
  type BatchCapabilities,
  type BatchRecord,
  type CampaignRecord,
  type ResultFilter,
  type ResultRecord,
  type ResultStatus,
  type StatusCountRecord,
  type Vendor,
} from '../domain/model.js';
import { launchDestination, type LaunchOptions } from '../domain/launch.js';
import { exactVendorResultStatus, progressTotals, withUncounted, type ProgressTotals } from '../domain/status.js';
import type { VendorRegistry } from '../vendors/vendor-registry.js';
import { createLoaders, fullListKey, keyOf, type Loaders } from './loaders.js';

export interface BatchListing {
  /** Newest first, over one sort order across vendors. */
  readonly batches: BatchRecord[];
  /** All that match, over all pages: `batches.length`, plus unreadable items when no filter could exclude them. */
  readonly totalCount: number;
  /** Vendors whose list could not be read (or not in time), with why; unreadable items too. */
  readonly failures: ReadonlyArray<{ vendor: Vendor; error: unknown }>;
  /** Vendors whose batches are missing from the list. */
  readonly incompleteVendors: readonly Vendor[];
}

export interface ResultListing {
  readonly rows: readonly ResultRecord[];
  /** Rows matching, over all pages: `rows.length`, plus unreadable rows when unfiltered. */
  readonly totalCount: number;
  /** Rows the vendor sent that could not be read, reported beside the rows. */
  readonly unreadable: UnreadableItemsError | null;
  /** Epoch ms of the vendor answer the rows come from. */
  readonly fetchedAt: number;
}

/** What a query selects of a batch, as far as it can be told before reading it. */
export interface BatchSelection {
  /** The fields selected on the batch; null when that cannot be told (a conditional selection). */
  readonly fields: ReadonlySet<string> | null;
  /** The arguments of its `results` field, when selected. */
  readonly results: ResultQuery | null;
}

/**
 * A batch known only by its key: what `batch(id)` gives when the query asks for nothing but its
 * results, so one results read both answers and proves the batch exists. Only `id`, `vendor`,
 * `vendorBatchId`, `results` and `resultsCsvUrl` are ever resolved on it.
 */
export interface BatchByKey extends BatchRecord {
  readonly onlyKey: true;
}

/** Fields of a batch that need no read of the batch itself (the results read proves it exists). */
const RESULTS_ONLY_FIELDS = new Set(['__typename', 'id', 'vendor', 'vendorBatchId', 'results', 'resultsCsvUrl']);

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

/**
 * Everything the schema may read about batches, for one operation (or one event of a
 * subscription): through per-operation loaders, one vendor call per resource on top of the
 * shared read layer. Ids are parsed once, here at the edge, into structured keys.
 */
export class BatchReads {
  readonly loaders: Loaders;

  constructor(
    readonly vendors: VendorRegistry<SharedVendor>,
    readonly call: ReadOptions,
    listWait: ListWaitSettings,
  ) {
    this.loaders = createLoaders(vendors, call, { listWait });
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

  /**
   * `batch(id)` for what the query selects of it: read the batch, unless the query wants nothing
   * of it but its results (one vendor call instead of two). Then the results read proves the
   * batch exists: an unknown batch is NOT_FOUND, as when it is read; any other failure of that
   * read is left to the `results` field.
   */
  async batchFor(id: string, selection: BatchSelection): Promise<BatchRecord> {
    const { fields } = selection;
    const resultsOnly = fields !== null && fields.has('results') && [...fields].every((name) => RESULTS_ONLY_FIELDS.has(name));
    if (!resultsOnly) return this.batch(id);
    const key = this.batchKey(id);
    const byKey: BatchByKey = { ...batchRecord({ vendor: key.vendor, vendorBatchId: key.batchId, status: 'UNKNOWN', vendorStatus: '', fetchedAt: 0 }), onlyKey: true };
    try {
      await this.resultsRead(byKey, selection.results ?? {});
    } catch (error) {
      if (error instanceof BatchNotFoundError) throw error;
    }
    return byKey;
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
   * All batches of the enabled (or chosen) vendors, filtered. One vendor failing, or not answering
   * as long as the list waits for it while others did, does not hide the other's batches: its
   * failure is returned beside them. Only when every vendor fails does this throw.
   */
  async list(filter: BatchFilter): Promise<BatchListing> {
    const check = checkListFilter(filter);
    const chosen = filter.vendor ? [filter.vendor] : this.vendors.enabled;
    for (const vendor of chosen) this.vendors.assertEnabled(vendor);
    // A campaign names Syllable batches, an agent Bolna ones: a vendor whose batches cannot match is not read.
    const given = vendorListFilters(check);
    const vendors = chosen.filter((vendor) => given.every((name) => this.vendors.get(vendor).listFilters.has(name)));
    for (const vendor of vendors) {
      const problem = this.vendors.get(vendor).listFilterProblem(check);
      if (problem) throw problem;
    }
    const patient = vendors.length > 1;
    const settled = await Promise.allSettled(
      vendors.map((vendor) => this.loaders.batchLists.load({ vendor, filter: pushedListFilter(this.vendors.get(vendor).listFilters, check), patient })),
    );
    const failures: Array<{ vendor: Vendor; error: unknown }> = [];
    settled.forEach((outcome, i) => {
      if (outcome.status === 'rejected') failures.push({ vendor: vendors[i]!, error: outcome.reason as unknown });
    });
    if (failures.length > 0 && failures.length === vendors.length) throw failures[0]!.error;
    const incompleteVendors = failures.map((failure) => failure.vendor);
    const narrowed = hasListFilter(filter);
    let unreadable = 0;
    const all: BatchRecord[] = [];
    settled.forEach((outcome, i) => {
      if (outcome.status !== 'fulfilled') return;
      all.push(...outcome.value.records);
      const missing = outcome.value.unreadable;
      if (missing === 0) return;
      unreadable += missing;
      failures.push({ vendor: vendors[i]!, error: new UnreadableItemsError(vendors[i]!, missing, 'batches', !narrowed) });
      incompleteVendors.push(vendors[i]!);
    });
    const batches = all.filter((batch) => matchesBatch(batch, filter, check)).sort(compareBatches);
    return { batches, totalCount: batches.length + (narrowed ? 0 : unreadable), failures, incompleteVendors };
  }

  /** The campaign of a Syllable batch, read once per request and TTL however many batches share it. */
  async campaign(batch: BatchRecord): Promise<CampaignRecord | null> {
    if (batch.campaignId === null) return null;
    return this.loaders.campaignById.load({ vendor: batch.vendor, id: batch.campaignId });
  }

  /** The agent of a batch: the vendor's record, or the id alone when the vendor does not describe it. */
  async agent(batch: BatchRecord): Promise<AgentRecord | null> {
    const agentId = await this.agentId(batch);
    if (agentId === null) return null;
    return (await this.loaders.agentById.load({ vendor: batch.vendor, id: agentId })) ?? idOnlyAgent(batch.vendor, agentId);
  }

  /** Where new batches can be created: every campaign (Syllable) and agent (Bolna) of the enabled vendors, in vendor order. */
  async campaigns(): Promise<readonly CampaignRecord[]> {
    const lists = await Promise.all(this.vendors.enabled.map((vendor) => this.vendors.get(vendor).listCampaigns(this.call)));
    return lists.flat();
  }

  async agents(): Promise<readonly AgentRecord[]> {
    const lists = await Promise.all(this.vendors.enabled.map((vendor) => this.vendors.get(vendor).listAgents(this.call)));
    return lists.flat();
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

  /**
   * Targets per normalised status, computed once per set of counts; targets the vendor states
   * but does not count yet (a Bolna batch just created) are pending.
   */
  progress(batch: BatchRecord): MaybePromise<ProgressTotals> {
    return then(this.statusCounts(batch), (counts) => withUncounted(progressOf(counts), batch.validContacts ?? batch.declaredTotal));
  }

  /** The agent of a batch; for a vendor that names it only on its lists, a batch read alone looks it up there. */
  agentId(batch: BatchRecord): MaybePromise<string | null> {
    if (batch.agentId !== null || !this.vendors.get(batch.vendor).agentOnList) return batch.agentId;
    return this.loaders.batchLists.load(fullListKey(batch.vendor)).then((list) => list.records.find((other) => other.vendorBatchId === batch.vendorBatchId)?.agentId ?? null);
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
    const { set, checked } = await this.resultsRead(batch, query);
    if (!set) return { rows: [], totalCount: 0, unreadable: null, fetchedAt: Date.now() };
    const filtered = givesAny(checked);
    const rows = rowsMatching(set.rows, checked);
    const unreadable = set.unreadable > 0 ? new UnreadableItemsError(batch.vendor, set.unreadable, `results of batch ${batch.vendorBatchId}`, !filtered) : null;
    return { rows, totalCount: rows.length + (filtered ? 0 : set.unreadable), unreadable, fetchedAt: set.fetchedAt };
  }

  /**
   * The results a retry of these statuses would take: rows in one of them that have a number to
   * call, in vendor order, from the same read as `results`.
   */
  async retryable(batch: BatchRecord, statuses: readonly ResultStatus[]): Promise<ResultRecord[]> {
    const wanted = new Set(statuses);
    const { rows } = await this.results(batch, {});
    return rows.filter((row) => wanted.has(row.status) && row.target);
  }

  /** Whether the vendor knows the campaign (Syllable) or agent (Bolna) a new batch names; a missing one is the launch check's to report. */
  async knowsDestination(vendor: Vendor, options: LaunchOptions): Promise<boolean> {
    const { kind, id } = launchDestination(vendor, options);
    if (!id) return true;
    const found = await (kind === 'campaign' ? this.loaders.campaignById : this.loaders.agentById).load({ vendor, id });
    return found !== null;
  }

  /** The vendor read behind `results`: the filters it applies itself are sent, the rest checked here. */
  private async resultsRead(batch: BatchRecord, query: ResultQuery) {
    const checked = checkResultQuery(query);
    const pushed = this.vendors.get(batch.vendor).resultFilters;
    const vendorStatus = checked.status ? exactVendorResultStatus(batch.vendor, checked.status) : null;
    const filter: ResultFilter = {
      ...(checked.referenceId !== undefined && pushed.has('referenceId') ? { referenceId: checked.referenceId } : {}),
      ...(vendorStatus !== null && pushed.has('vendorStatus') ? { vendorStatus } : {}),
      ...(checked.insightsStatus !== undefined && pushed.has('insightsStatus') ? { insightsStatus: checked.insightsStatus } : {}),
    };
    const set = await this.loaders.resultsByBatch.load({ ...keyOf(batch), filter });
    // Read only for its results, the batch is proven unknown by this answer.
    if (!set && 'onlyKey' in batch) throw new BatchNotFoundError(batchGlobalId(keyOf(batch)));
    return { set, checked };
  }
}

function idOnlyAgent(vendor: Vendor, id: string): AgentRecord {
  return { vendor, id, name: null, agentType: null, status: null, createdAt: null, updatedAt: null };
}
