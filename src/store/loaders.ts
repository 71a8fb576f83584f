import DataLoader from 'dataloader';
import { listFilterKey, resultFilterKey } from '../domain/filters.js';
import { batchGlobalId, resultGlobalId, type BatchKey, type ResultKey } from '../domain/ids.js';
import type { AgentRecord, BatchList, BatchListFilter, BatchRecord, CampaignRecord, ResultFilter, ResultRecord, ResultSet, Vendor } from '../domain/model.js';
import { ListPatience, type ListWaitSettings } from '../cache/patience.js';
import type { SharedVendor } from '../cache/caching-adapter.js';
import { readWith, type ReadOptions } from '../cache/read-options.js';
import type { VendorRegistry } from '../vendors/vendor-registry.js';

/**
 * Per-request loaders, keyed by structured keys (DataLoader `cacheKeyFn` makes the map key):
 * within one GraphQL request no vendor resource is asked for twice, and what one field read is
 * what every other field of the request sees. Created for every request, never shared; sharing
 * across requests is the job of the read layer below (src/cache).
 */
export interface Loaders {
  /** The batches of one vendor (narrowed by the filters it applies itself); loading primes the per-batch loaders. */
  readonly batchLists: DataLoader<ListKey, BatchList, string>;
  /** A batch as any response described it (list items included). */
  readonly batchById: DataLoader<BatchKey, BatchRecord | null, string>;
  /** A batch with its per-status counts (one detail read). */
  readonly batchDetailById: DataLoader<BatchKey, BatchRecord | null, string>;
  /** The results of a batch with the filters the vendor applies itself. */
  readonly resultsByBatch: DataLoader<ResultsKey, ResultSet | null, string>;
  readonly resultById: DataLoader<ResultKey, ResultRecord | null, string>;
  /** Syllable campaigns and Bolna agents, by vendor and id: one read per distinct parent. */
  readonly campaignById: DataLoader<ParentKey, CampaignRecord | null, string>;
  readonly agentById: DataLoader<ParentKey, AgentRecord | null, string>;
}

export interface ResultsKey extends BatchKey {
  readonly filter: ResultFilter;
}

export interface ListKey {
  readonly vendor: Vendor;
  /** Only filters the vendor applies itself. */
  readonly filter: BatchListFilter;
  /** Part of a read over several vendors, which waits for this one only as long as `listWait` allows. */
  readonly patient: boolean;
}

export interface ParentKey {
  readonly vendor: Vendor;
  readonly id: string;
}

export interface LoaderOptions {
  /** How long a read over several vendors waits for each of them (VENDOR_LIST_WAIT_*). */
  readonly listWait: ListWaitSettings;
}

const listCacheKey = (key: ListKey) => `${key.vendor}\u0000${listFilterKey(key.filter)}\u0000${key.patient}`;
const parentCacheKey = (key: ParentKey) => `${key.vendor}:${key.id}`;

/** The vendor list of `vendor` as a plain read (no filter, full patience): what single reads wait for. */
export function fullListKey(vendor: Vendor): ListKey {
  return { vendor, filter: {}, patient: false };
}

const resultsCacheKey = (key: ResultsKey) => `${batchGlobalId(key)}\u0000${resultFilterKey(key.filter)}`;

/** A loader that records which keys were asked for, before its batch runs. */
class TrackingLoader<K, V> extends DataLoader<K, V, string> {
  constructor(
    /** Keys asked for, by cache key. */
    private readonly requested: Map<string, K>,
    batch: DataLoader.BatchLoadFn<K, V>,
    private readonly keyOf: (key: K) => string,
  ) {
    super(batch, { cacheKeyFn: keyOf });
  }
  override load(key: K): Promise<V> {
    this.requested.set(this.keyOf(key), key);
    return super.load(key);
  }
}

/** Runs one lookup per key at once; a failed key gets its Error, the others their values. */
function perKey<K, V>(load: (key: K) => Promise<V>) {
  return (keys: readonly K[]) => Promise.all(keys.map((key) => load(key).catch((error: unknown) => toError(error))));
}

/** A loader whose keys are each read on their own (the vendor reads them one at a time). */
function perKeyLoader<K, V>(read: (key: K) => Promise<V>, cacheKeyFn: (key: K) => string): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(perKey(read), { cacheKeyFn });
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export function createLoaders(vendors: VendorRegistry<SharedVendor>, call: ReadOptions, options: LoaderOptions): Loaders {
  return new RequestLoaders(vendors, call, options);
}

/**
 * The loaders of one request, each made when first used: a request reads one or two kinds of
 * thing, and making all seven for every request was a percent of a cached read's CPU (issue 25).
 */
class RequestLoaders implements Loaders {
  /** Lists this request asked for, so single reads can wait for them instead of racing them. */
  private readonly listsRequested = new Map<string, ListKey>();
  private readonly made: { -readonly [K in keyof Loaders]?: Loaders[K] } = {};
  private patient: ReadOptions | undefined;

  constructor(
    private readonly vendors: VendorRegistry<SharedVendor>,
    private readonly call: ReadOptions,
    private readonly options: LoaderOptions,
  ) {}

  get batchDetailById(): Loaders['batchDetailById'] {
    return (this.made.batchDetailById ??= perKeyLoader((key: BatchKey) => this.vendors.get(key.vendor).getBatch(key.batchId, this.call), batchGlobalId));
  }

  get batchById(): Loaders['batchById'] {
    return (this.made.batchById ??= new DataLoader<BatchKey, BatchRecord | null, string>(
      async (keys) => {
        // Root fields resolve concurrently: a batch that a list of this request holds is taken from
        // that list rather than read again. A batch not on any list is read in full.
        const listed = new Map<string, BatchRecord>();
        const vendorsAsked = new Set(keys.map((key) => key.vendor));
        await Promise.all(
          [...this.listsRequested.values()]
            .filter((list) => vendorsAsked.has(list.vendor))
            .map(async (list) => {
              const { records } = await this.batchLists.load(list).catch(() => ({ records: [] }));
              for (const record of records) listed.set(batchGlobalId(keyOf(record)), record);
            }),
        );
        const unlisted = keys.filter((key) => !listed.has(batchGlobalId(key)));
        const details = await this.batchDetailById.loadMany(unlisted);
        let next = 0;
        return keys.map((key) => listed.get(batchGlobalId(key)) ?? details[next++] ?? null);
      },
      { cacheKeyFn: batchGlobalId },
    ));
  }

  /** One patience for the request's reads over several vendors: the first vendor to answer sets how much longer the others are waited for. */
  private get patientCall(): ReadOptions {
    return (this.patient ??= readWith(this.call, { patience: new ListPatience(this.options.listWait) }));
  }

  get batchLists(): Loaders['batchLists'] {
    return (this.made.batchLists ??= new TrackingLoader<ListKey, BatchList>(
      this.listsRequested,
      (requested) =>
        Promise.all(
          requested.map(async (key) => {
            try {
              const list = await this.vendors.get(key.vendor).listBatches(key.filter, key.patient ? this.patientCall : this.call);
              for (const record of list.records) primeBatch(this, record);
              return list;
            } catch (error) {
              return toError(error);
            }
          }),
        ),
      listCacheKey,
    ));
  }

  get resultsByBatch(): Loaders['resultsByBatch'] {
    // Rows are not primed into resultById one by one: a batch may hold 100,000 of them. A result
    // read by id finds them through the read layer, which keeps the batch's rows.
    return (this.made.resultsByBatch ??= perKeyLoader((key: ResultsKey) => this.vendors.get(key.vendor).listResults(key.batchId, key.filter, this.call), resultsCacheKey));
  }

  get resultById(): Loaders['resultById'] {
    return (this.made.resultById ??= perKeyLoader((key: ResultKey) => this.vendors.get(key.vendor).getResult(key.batchId, key.referenceId, this.call), resultGlobalId));
  }

  get campaignById(): Loaders['campaignById'] {
    return (this.made.campaignById ??= perKeyLoader((key: ParentKey) => this.vendors.get(key.vendor).getCampaign(key.id, this.call), parentCacheKey));
  }

  get agentById(): Loaders['agentById'] {
    return (this.made.agentById ??= perKeyLoader((key: ParentKey) => this.vendors.get(key.vendor).getAgent(key.id, this.call), parentCacheKey));
  }
}

export function keyOf(batch: Pick<BatchRecord, 'vendor' | 'vendorBatchId'>): BatchKey {
  return { vendor: batch.vendor, batchId: batch.vendorBatchId };
}

/** Primes both batch loaders with what a response held; a record without counts is not a detail. */
function primeBatch(loaders: Pick<Loaders, 'batchById' | 'batchDetailById'>, record: BatchRecord): void {
  const key = keyOf(record);
  loaders.batchById.prime(key, record);
  if (record.statusCounts !== undefined) loaders.batchDetailById.prime(key, record);
}

/** A deleted batch: whatever this request read of it is forgotten, so a later read asks again. */
export function forgetBatch(loaders: Loaders, key: BatchKey): void {
  loaders.batchById.clear(key);
  loaders.batchDetailById.clear(key);
}

/** A newer answer (a fresh read, a write) replaces what this request had for the batch. */
export function replaceBatch(loaders: Loaders, record: BatchRecord): void {
  forgetBatch(loaders, keyOf(record));
  primeBatch(loaders, record);
}
