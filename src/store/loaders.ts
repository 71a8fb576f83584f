import DataLoader from 'dataloader';
import { batchGlobalId, resultFilterKey, resultGlobalId, type BatchKey, type ResultKey } from '../domain/ids.js';
import type { BatchRecord, ResultFilter, ResultRecord, ResultSet, Vendor } from '../domain/model.js';
import type { CallContext } from '../http/vendor-http-client.js';
import type { VendorRegistry } from '../vendors/vendor-registry.js';

/**
 * Per-request loaders, keyed by structured keys (DataLoader `cacheKeyFn` makes the map key):
 * within one GraphQL request no vendor resource is asked for twice, and what one field read is
 * what every other field of the request sees. Created for every request, never shared; sharing
 * across requests is the job of the read layer below (src/cache).
 */
export interface Loaders {
  /** Every batch of one vendor; loading it primes the per-batch loaders. */
  readonly batchListByVendor: DataLoader<Vendor, BatchRecord[]>;
  /** A batch as any response described it (list items included). */
  readonly batchById: DataLoader<BatchKey, BatchRecord | null, string>;
  /** A batch with its per-status counts (one detail read). */
  readonly batchDetailById: DataLoader<BatchKey, BatchRecord | null, string>;
  /** The results of a batch with the filters the vendor applies itself. */
  readonly resultsByBatch: DataLoader<ResultsKey, ResultSet | null, string>;
  readonly resultById: DataLoader<ResultKey, ResultRecord | null, string>;
}

export interface ResultsKey extends BatchKey {
  readonly filter: ResultFilter;
}

const resultsCacheKey = (key: ResultsKey) => `${batchGlobalId(key)}\u0000${resultFilterKey(key.filter)}`;

/** A loader that records which keys were asked for, before its batch runs. */
class TrackingLoader<K, V> extends DataLoader<K, V> {
  constructor(
    private readonly requested: Set<K>,
    batch: DataLoader.BatchLoadFn<K, V>,
  ) {
    super(batch);
  }
  override load(key: K): Promise<V> {
    this.requested.add(key);
    return super.load(key);
  }
}

/** Runs one lookup per key at once; a failed key gets its Error, the others their values. */
function perKey<K, V>(load: (key: K) => Promise<V>) {
  return (keys: readonly K[]) => Promise.all(keys.map((key) => load(key).catch((error: unknown) => toError(error))));
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export function createLoaders(vendors: VendorRegistry, call: CallContext): Loaders {
  const batchDetailById = new DataLoader<BatchKey, BatchRecord | null, string>(
    perKey((key) => vendors.get(key.vendor).getBatch(key.batchId, call)),
    { cacheKeyFn: batchGlobalId },
  );

  /** Vendors whose list this request asked for, so single reads can wait for it instead of racing it. */
  const listsRequested = new Set<Vendor>();

  const batchById = new DataLoader<BatchKey, BatchRecord | null, string>(
    async (keys) => {
      // Root fields resolve concurrently: a batch that a list of this request holds is taken from
      // that list rather than read again. A batch not on any list is read in full.
      const listed = new Map<string, BatchRecord>();
      const vendorsAsked = new Set(keys.map((key) => key.vendor));
      await Promise.all(
        [...listsRequested]
          .filter((vendor) => vendorsAsked.has(vendor))
          .map(async (vendor) => {
            const records = await batchListByVendor.load(vendor).catch(() => []);
            for (const record of records) listed.set(batchGlobalId(keyOf(record)), record);
          }),
      );
      const unlisted = keys.filter((key) => !listed.has(batchGlobalId(key)));
      const details = await batchDetailById.loadMany(unlisted);
      let next = 0;
      return keys.map((key) => listed.get(batchGlobalId(key)) ?? details[next++] ?? null);
    },
    { cacheKeyFn: batchGlobalId },
  );

  const batchListByVendor = new TrackingLoader<Vendor, BatchRecord[]>(
    listsRequested,
    (requested) =>
      Promise.all(
        requested.map(async (vendor) => {
          try {
            const records = await vendors.get(vendor).listBatches(call);
            for (const record of records) primeBatch({ batchById, batchDetailById }, record);
            return records;
          } catch (error) {
            return toError(error);
          }
        }),
      ),
  );

  const resultsByBatch = new DataLoader<ResultsKey, ResultSet | null, string>(
    // Rows are not primed into resultById one by one: a batch may hold 100,000 of them. A result
    // read by id finds them through the read layer, which keeps the batch's rows.
    perKey((key) => vendors.get(key.vendor).listResults(key.batchId, key.filter, call)),
    { cacheKeyFn: resultsCacheKey },
  );

  const resultById = new DataLoader<ResultKey, ResultRecord | null, string>(
    perKey((key) => vendors.get(key.vendor).getResult(key.batchId, key.referenceId, call)),
    { cacheKeyFn: resultGlobalId },
  );

  return { batchListByVendor, batchById, batchDetailById, resultsByBatch, resultById };
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

/** A newer answer (a fresh read, a write) replaces what this request had for the batch. */
export function replaceBatch(loaders: Loaders, record: BatchRecord): void {
  const key = keyOf(record);
  loaders.batchById.clear(key);
  loaders.batchDetailById.clear(key);
  primeBatch(loaders, record);
}
