import type { Context } from '../context.js';
import { BatchNotFoundError, InvalidInputError, NodeNotFoundError } from '../domain/errors.js';
import { batchGlobalId, parseBatchId, parseGlobalId, resultGlobalId, type BatchKey } from '../domain/ids.js';
import type { BatchRecord, BatchStatus, ResultRecord, ResultStatus, StatusCountRecord, Vendor } from '../domain/model.js';
import { decodeCursor, encodeCursor, type CursorScheme } from '../domain/pagination.js';
import { resultsKey } from '../loaders.js';

export function keyOf(batch: BatchRecord): BatchKey {
  return { vendor: batch.vendor, batchId: batch.vendorBatchId };
}

export function batchIdOf(batch: BatchRecord): string {
  return batchGlobalId(keyOf(batch));
}

export function resultIdOf(result: ResultRecord): string {
  return resultGlobalId({ vendor: result.vendor, batchId: result.vendorBatchId, referenceId: result.referenceId });
}

/** The loader key of a batch id of an enabled vendor; malformed ids and disabled vendors throw. */
function batchLoaderKey(ctx: Context, id: string): string {
  const key = parseBatchId(id);
  ctx.vendors.assertEnabled(key.vendor);
  return batchGlobalId(key);
}

/** A batch by global id, or null when the vendor does not know it. Malformed ids throw. */
export async function findBatch(ctx: Context, id: string): Promise<BatchRecord | null> {
  return ctx.loaders.batchById.load(batchLoaderKey(ctx, id));
}

export async function requireBatch(ctx: Context, id: string): Promise<BatchRecord> {
  const batch = await findBatch(ctx, id);
  if (!batch) throw new BatchNotFoundError(id);
  return batch;
}

export async function requireBatchDetail(ctx: Context, id: string): Promise<BatchRecord> {
  const batch = await ctx.loaders.batchDetailById.load(batchLoaderKey(ctx, id));
  if (!batch) throw new BatchNotFoundError(id);
  return batch;
}

/** A batch or a batch result by global id; unknown ids are NOT_FOUND, malformed ones INVALID_INPUT. */
export async function requireNode(ctx: Context, id: string): Promise<BatchRecord | ResultRecord> {
  const key = parseGlobalId(id);
  if (key.kind === 'Batch') return requireBatch(ctx, id);
  return requireResult(ctx, id);
}

export async function requireResult(ctx: Context, id: string): Promise<ResultRecord> {
  const key = parseGlobalId(id);
  if (key.kind !== 'BatchResult') throw new NodeNotFoundError(id, `Id "${id}" names a batch, not a batch result.`);
  ctx.vendors.assertEnabled(key.vendor);
  const result = await ctx.loaders.resultById.load(resultGlobalId(key));
  if (!result) throw new NodeNotFoundError(id);
  return result;
}

/** The per-status counts, reading the batch in full only when the record at hand lacks them. */
export async function statusCountsOf(ctx: Context, batch: BatchRecord): Promise<readonly StatusCountRecord[]> {
  if (batch.statusCounts !== undefined) return batch.statusCounts;
  const detail = await ctx.loaders.batchDetailById.load(batchIdOf(batch));
  return detail?.statusCounts ?? [];
}

export async function totalCountOf(ctx: Context, batch: BatchRecord): Promise<number> {
  if (batch.declaredTotal !== null) return batch.declaredTotal;
  const counts = await statusCountsOf(ctx, batch);
  return counts.reduce((sum, count) => sum + count.count, 0);
}

/** Bolna reports a batch's agent only on its agent's list, so a batch read alone looks it up there. */
export async function agentIdOf(ctx: Context, batch: BatchRecord): Promise<string | null> {
  if (batch.agentId !== null || batch.vendor !== 'bolna') return batch.agentId;
  const listed = await ctx.loaders.batchListByVendor.load('bolna');
  return listed.find((other) => other.vendorBatchId === batch.vendorBatchId)?.agentId ?? null;
}

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

/**
 * All batches of the enabled (or chosen) vendors. One vendor failing does not hide the other's
 * batches: its failure is returned beside them. Only when every vendor fails does this throw.
 */
export async function listBatches(ctx: Context, filter: BatchFilter): Promise<BatchListing> {
  const vendors = filter.vendor ? [filter.vendor] : ctx.vendors.enabled;
  for (const vendor of vendors) ctx.vendors.assertEnabled(vendor);
  const settled = await Promise.allSettled(vendors.map((vendor) => ctx.loaders.batchListByVendor.load(vendor)));
  const failures = settled.flatMap((outcome, i) => (outcome.status === 'rejected' ? [{ vendor: vendors[i]!, error: outcome.reason as unknown }] : []));
  if (failures.length > 0 && failures.length === vendors.length) throw failures[0]!.error;
  const all = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? outcome.value : []));
  const batches = all.filter((batch) => !filter.status || batch.status === filter.status).sort((a, b) => compareBatchKeys(sortKey(a), sortKey(b)));
  return { batches, failures };
}

/** Newest first; batches without a creation time last; the global id breaks ties. */
type BatchSortKey = readonly [createdMs: number | null, id: string];

function sortKey(batch: BatchRecord): BatchSortKey {
  return [batch.createdAt?.date?.getTime() ?? null, batchIdOf(batch)];
}

function compareBatchKeys(a: BatchSortKey, b: BatchSortKey): number {
  if (a[0] !== b[0]) {
    if (a[0] === null) return 1;
    if (b[0] === null) return -1;
    return b[0] - a[0];
  }
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

function isBatchSortKey(value: unknown): value is BatchSortKey {
  return Array.isArray(value) && value.length === 2 && (value[0] === null || Number.isFinite(value[0])) && typeof value[1] === 'string';
}

/** Keyset cursors: the position of (created, id) in the merged order, valid across both vendors. */
export const batchCursors: CursorScheme<BatchRecord> = {
  cursorOf: (batch) => encodeCursor(sortKey(batch)),
  locate(cursor, items) {
    const key = decodeCursor(cursor, isBatchSortKey);
    const index = items.findIndex((item) => compareBatchKeys(sortKey(item), key) >= 0);
    if (index < 0) return { index: items.length, exact: false };
    const found = items[index];
    return { index, exact: found !== undefined && compareBatchKeys(sortKey(found), key) === 0 };
  },
};

export interface ResultQuery {
  readonly status?: ResultStatus | null;
  readonly referenceId?: string | null;
}

/** A batch's results in vendor order, filtered by normalised status and reference. */
export async function listResults(ctx: Context, batch: BatchRecord, query: ResultQuery): Promise<ResultRecord[]> {
  const referenceId = query.referenceId ?? undefined;
  if (referenceId !== undefined && referenceId.length === 0) throw new InvalidInputError('`referenceId` must not be empty.', 'referenceId');
  // A vendor that filters by reference is asked for that row; otherwise the full list is read once.
  const pushDown = ctx.vendors.get(batch.vendor).filtersResultsByReference ? referenceId : undefined;
  const results = (await ctx.loaders.resultsByBatch.load(resultsKey(keyOf(batch), pushDown))) ?? [];
  return results.filter(
    (result) => (!query.status || result.status === query.status) && (referenceId === undefined || result.referenceId === referenceId),
  );
}

interface ResultCursor {
  readonly ref: string;
  readonly at: number;
}

function isResultCursor(value: unknown): value is ResultCursor {
  const v = value as Partial<ResultCursor> | null;
  return typeof v === 'object' && v !== null && typeof v.ref === 'string' && Number.isInteger(v.at) && (v.at ?? -1) >= 0;
}

/** Vendors return results unpaged and unsorted: a cursor names its row and remembers where it was. */
export const resultCursors: CursorScheme<ResultRecord> = {
  cursorOf: (result, index) => encodeCursor({ ref: result.referenceId, at: index } satisfies ResultCursor),
  locate(cursor, items) {
    const { ref, at } = decodeCursor(cursor, isResultCursor);
    if (items[at]?.referenceId === ref) return { index: at, exact: true };
    const index = items.findIndex((item) => item.referenceId === ref);
    return index >= 0 ? { index, exact: true } : { index: Math.min(at, items.length), exact: false };
  },
};
