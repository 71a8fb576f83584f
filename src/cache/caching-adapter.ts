import { VendorError } from '../domain/errors.js';
import { givesAny, listFilterKey, matchesListFilter, resultFilterKey, rowsMatching } from '../domain/filters.js';
import type { LaunchOptions } from '../domain/launch.js';
import type { AgentRecord, BatchList, BatchListFilter, BatchRecord, CampaignRecord, ResultFilter, ResultRecord, ResultSet } from '../domain/model.js';
import type { CallOptions } from '../http/call-options.js';
import type { VendorHealth } from '../http/settings.js';
import type { ControlInput, VendorAdapter, VendorReads, VendorRules } from '../vendors/vendor-adapter.js';
import type { ReadOptions } from './read-options.js';
import type { SharedReads } from './shared-reads.js';

/** Rough bytes of a batch record, for the cache's size bound (its JSON is ~1 KB). */
const BATCH_RECORD_BYTES = 1_024;
const RESULT_RECORD_BYTES = 512;
/** Campaigns and agents are small records of their own. */
const PARENT_RECORD_BYTES = 1_024;

/** Failures after which a write may or may not have been applied: evict as if it was. */
const OUTCOME_UNKNOWN = new Set(['VENDOR_TIMEOUT', 'VENDOR_UNAVAILABLE']);

/**
 * A vendor as the request store sees it: its rules, its reads through the shared read layer (with
 * the cache's read options), and one way to write, so a new write of an adapter needs nothing here.
 */
export interface SharedVendor extends VendorRules, VendorReads<ReadOptions> {
  /**
   * A write, made by `act` on the vendor's own adapter: paid from the request's budget; once
   * applied (or perhaps applied: its answer was lost), everything cached of the batch is evicted.
   */
  write<T>(batchId: string, call: ReadOptions, act: (vendor: VendorAdapter, call: CallOptions) => Promise<T>): Promise<T>;
  /** A read past the cache, made by `act` on the vendor's adapter (what a create whose answer was lost made): paid from the request's budget. */
  uncached<T>(call: ReadOptions, act: (vendor: VendorAdapter, call: CallOptions) => Promise<T>): Promise<T>;
  health(): VendorHealth;
  close(): Promise<void>;
}

/**
 * A vendor adapter whose reads go through the shared read layer: one vendor call however many
 * requests ask at once, and one per TTL while the answer is fresh. Writes go straight to the
 * vendor and, once applied, evict everything cached about the batch (its detail, its results,
 * the vendor's list) before they answer. Its rules and reads are the adapter's (the reads with the
 * cache's options), so the store above and the HTTP policy below do not know it is there.
 */
export class CachingVendorAdapter implements SharedVendor {
  readonly vendor: VendorAdapter['vendor'];
  readonly credentialScope: string;
  readonly controls: VendorAdapter['controls'];
  readonly resultFilters: VendorAdapter['resultFilters'];
  readonly listFilters: VendorAdapter['listFilters'];
  readonly agentOnList: boolean;
  readonly targetRules: VendorAdapter['targetRules'];
  readonly targetsAtCreate: boolean;

  constructor(
    private readonly inner: VendorAdapter,
    private readonly reads: SharedReads,
    /** Told of every batch a vendor answer describes (progress history). */
    private readonly onAnswer: (batch: BatchRecord) => void = () => {},
  ) {
    this.vendor = inner.vendor;
    this.credentialScope = inner.credentialScope;
    this.controls = inner.controls;
    this.resultFilters = inner.resultFilters;
    this.listFilters = inner.listFilters;
    this.agentOnList = inner.agentOnList;
    this.targetRules = inner.targetRules;
    this.targetsAtCreate = inner.targetsAtCreate;
  }

  launchProblem(options: LaunchOptions, now: number) {
    return this.inner.launchProblem(options, now);
  }

  loadState(batch: BatchRecord) {
    return this.inner.loadState(batch);
  }

  retryTarget(result: ResultRecord) {
    return this.inner.retryTarget(result);
  }

  unsupported(control: Parameters<VendorAdapter['unsupported']>[0]): string {
    return this.inner.unsupported(control);
  }

  listFilterProblem(filter: BatchListFilter) {
    return this.inner.listFilterProblem(filter);
  }

  controlInputProblem(input: ControlInput, now: number) {
    return this.inner.controlInputProblem(input, now);
  }

  async listBatches(filter: BatchListFilter, call: ReadOptions): Promise<BatchList> {
    const filtered = filter.campaignId !== undefined || filter.agentId !== undefined;
    if (filtered) {
      // The whole list is at hand and fresh: narrow it here rather than ask again. (An agent
      // that is not configured is not in it: its batches are read from the vendor.)
      const all = await this.reads.peek<BatchList>(this.listKey({}));
      if (all !== null && (filter.agentId === undefined || all.records.some((record) => matchesListFilter(record, { agentId: filter.agentId })))) {
        return { ...all, records: all.records.filter((record) => matchesListFilter(record, filter)) };
      }
    }
    return this.reads.read(
      {
        key: this.listKey(filter),
        tag: this.listTag(),
        vendor: this.vendor,
        size: (list) => Math.max(1, list.records.length) * BATCH_RECORD_BYTES,
        answeredAt: (list) => list.records[0]?.fetchedAt,
        fetch: async (shared) => {
          const list = await this.inner.listBatches(filter, shared);
          for (const record of list.records) this.onAnswer(record);
          return list;
        },
      },
      call,
    );
  }

  getBatch(batchId: string, call: ReadOptions): Promise<BatchRecord | null> {
    return this.reads.read(
      {
        key: `${this.credentialScope}:batch:${batchId}`,
        tag: this.batchTag(batchId),
        vendor: this.vendor,
        size: () => BATCH_RECORD_BYTES,
        answeredAt: (record) => record?.fetchedAt,
        fetch: async (shared) => {
          const record = await this.inner.getBatch(batchId, shared);
          if (record) this.onAnswer(record);
          return record;
        },
      },
      call,
    );
  }

  async listResults(batchId: string, filter: ResultFilter, call: ReadOptions): Promise<ResultSet | null> {
    const filtered = givesAny(filter);
    if (filtered) {
      // All rows of the batch are at hand and fresh: filter them here rather than ask again.
      const all = await this.reads.peek<ResultSet | null>(this.resultsKey(batchId, {}));
      if (all !== null) return { ...all, rows: rowsMatching(all.rows, filter) };
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

  async getResult(batchId: string, referenceId: string, call: ReadOptions): Promise<ResultRecord | null> {
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

  getCampaign(campaignId: string, call: ReadOptions): Promise<CampaignRecord | null> {
    return this.readParent('campaign', campaignId, call, (shared) => this.inner.getCampaign(campaignId, shared));
  }

  getAgent(agentId: string, call: ReadOptions): Promise<AgentRecord | null> {
    return this.readParent('agent', agentId, call, (shared) => this.inner.getAgent(agentId, shared));
  }

  /** Campaigns and agents to create batches in: read once per TTL. */
  listCampaigns(call: ReadOptions): Promise<readonly CampaignRecord[]> {
    return this.readParent('campaign', '*', call, (shared) => this.inner.listCampaigns(shared));
  }

  listAgents(call: ReadOptions): Promise<readonly AgentRecord[]> {
    return this.readParent('agent', '*', call, (shared) => this.inner.listAgents(shared));
  }

  capabilities(batch: BatchRecord) {
    return this.inner.capabilities(batch);
  }

  health(): VendorHealth {
    return this.inner.health();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  async write<T>(batchId: string, call: ReadOptions, act: (vendor: VendorAdapter, call: CallOptions) => Promise<T>): Promise<T> {
    await call.budget?.spend(this.vendor);
    let answer: T;
    try {
      answer = await act(this.inner, call);
    } catch (error) {
      // A refused write changed nothing; one whose answer was lost may have been applied.
      if (error instanceof VendorError && OUTCOME_UNKNOWN.has(error.code)) await this.evictBatch(batchId);
      throw error;
    }
    await this.evictBatch(batchId);
    return answer;
  }

  async uncached<T>(call: ReadOptions, act: (vendor: VendorAdapter, call: CallOptions) => Promise<T>): Promise<T> {
    await call.budget?.spend(this.vendor);
    return act(this.inner, call);
  }

  /** Campaigns and agents: read once per TTL however many batches name them. */
  private readParent<T>(kind: 'campaign' | 'agent', id: string, call: ReadOptions, fetch: (shared: ReadOptions) => Promise<T>): Promise<T> {
    const key = `${this.credentialScope}:${kind}:${id}`;
    return this.reads.read({ key, tag: key, vendor: this.vendor, size: () => PARENT_RECORD_BYTES, fetch }, call);
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

  private listKey(filter: BatchListFilter): string {
    const filterKey = listFilterKey(filter);
    return filterKey === '' ? `${this.credentialScope}:list` : `${this.credentialScope}:list:${filterKey}`;
  }

  private resultsKey(batchId: string, filter: ResultFilter): string {
    return `${this.credentialScope}:results:${batchId}:${resultFilterKey(filter)}`;
  }
}

