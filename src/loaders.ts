import DataLoader from 'dataloader';
import { batchGlobalId, parseGlobalId, resultGlobalId, type BatchKey } from './domain/ids.js';
import type { BatchRecord, ResultRecord, Vendor } from './domain/model.js';
import type { CallContext } from './http/vendor-http-client.js';
import type { VendorRegistry } from './vendors/vendor-registry.js';

/**
 * Per-request loaders, keyed by global id: within one GraphQL request no vendor resource is
 * fetched twice. Created in the context for every request, never shared between requests.
 */
export interface Loaders {
  /** Every batch of one vendor; loading it primes the per-batch loaders. */
  readonly batchListByVendor: DataLoader<Vendor, BatchRecord[]>;
  /** A batch as any response described it (list items included). */
  readonly batchById: DataLoader<string, BatchRecord | null>;
  /** A batch with its per-status counts (one detail read). */
  readonly batchDetailById: DataLoader<string, BatchRecord | null>;
  /** All results of a batch, keyed by `resultsKey`. */
  readonly resultsByBatch: DataLoader<string, ResultRecord[] | null>;
  readonly resultById: DataLoader<string, ResultRecord | null>;
}

/** Results are cached per batch and, where the vendor filters by reference, per reference. */
export function resultsKey(batch: BatchKey, referenceId?: string): string {
  return referenceId === undefined ? batchGlobalId(batch) : `${batchGlobalId(batch)}\u0000${referenceId}`;
}

function splitResultsKey(key: string): { id: string; referenceId?: string } {
  const at = key.indexOf('\u0000');
  return at < 0 ? { id: key } : { id: key.slice(0, at), referenceId: key.slice(at + 1) };
}

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
function perKey<V>(load: (key: string) => Promise<V>) {
  return (keys: readonly string[]) => Promise.all(keys.map((key) => load(key).catch((error: unknown) => toError(error))));
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function batchKeyOf(id: string): BatchKey {
  const key = parseGlobalId(id);
  return { vendor: key.vendor, batchId: key.batchId };
}

export function createLoaders(vendors: VendorRegistry, call: CallContext): Loaders {
  const batchDetailById = new DataLoader<string, BatchRecord | null>(
    perKey(async (id) => {
      const { vendor, batchId } = batchKeyOf(id);
      return vendors.get(vendor).getBatch(batchId, call);
    }),
  );

  /** Vendors whose list this request asked for, so single reads can wait for it instead of racing it. */
  const listsRequested = new Set<Vendor>();

  const batchById = new DataLoader<string, BatchRecord | null>(async (ids) => {
    // Root fields resolve concurrently: a batch that a list of this request holds is taken from
    // that list rather than read again. A batch not on any list is read in full.
    const listed = new Map<string, BatchRecord>();
    const vendorsAsked = new Set(ids.map((id) => batchKeyOf(id).vendor));
    await Promise.all(
      [...listsRequested]
        .filter((vendor) => vendorsAsked.has(vendor))
        .map(async (vendor) => {
          const records = await batchListByVendor.load(vendor).catch(() => []);
          for (const record of records) listed.set(batchGlobalId({ vendor, batchId: record.vendorBatchId }), record);
        }),
    );
    const details = await batchDetailById.loadMany(ids.filter((id) => !listed.has(id)));
    let next = 0;
    return ids.map((id) => listed.get(id) ?? details[next++] ?? null);
  });

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

  const resultsByBatch = new DataLoader<string, ResultRecord[] | null>(
    perKey(async (key) => {
      const { id, referenceId } = splitResultsKey(key);
      const { vendor, batchId } = batchKeyOf(id);
      const results = await vendors.get(vendor).listResults(batchId, { referenceId }, call);
      for (const result of results ?? []) resultById.prime(resultGlobalId({ vendor, batchId, referenceId: result.referenceId }), result);
      return results;
    }),
  );

  const resultById = new DataLoader<string, ResultRecord | null>(
    perKey(async (id) => {
      const key = parseGlobalId(id);
      if (key.kind !== 'BatchResult') return null;
      return vendors.get(key.vendor).getResult(key.batchId, key.referenceId, call);
    }),
  );

  return { batchListByVendor, batchById, batchDetailById, resultsByBatch, resultById };
}

/** Primes both batch loaders with what a response held; a record without counts is not a detail. */
function primeBatch(loaders: Pick<Loaders, 'batchById' | 'batchDetailById'>, record: BatchRecord): void {
  const id = batchGlobalId({ vendor: record.vendor, batchId: record.vendorBatchId });
  loaders.batchById.prime(id, record);
  if (record.statusCounts !== undefined) loaders.batchDetailById.prime(id, record);
}

/** After a write: the vendor's answer replaces what this request had cached for the batch. */
export function replaceBatch(loaders: Loaders, record: BatchRecord): void {
  const id = batchGlobalId({ vendor: record.vendor, batchId: record.vendorBatchId });
  loaders.batchById.clear(id);
  loaders.batchDetailById.clear(id);
  primeBatch(loaders, record);
}
