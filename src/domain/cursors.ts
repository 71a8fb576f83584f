import { batchGlobalId } from './ids.js';
import type { BatchRecord, ResultRecord } from './model.js';
import { decodeCursor, encodeCursor, type CursorScheme } from './pagination.js';

/** Newest first; batches without a creation time last; the global id breaks ties. */
type BatchSortKey = readonly [createdMs: number | null, id: string];

function sortKey(batch: BatchRecord): BatchSortKey {
  return [batch.createdAt?.date?.getTime() ?? null, batchGlobalId({ vendor: batch.vendor, batchId: batch.vendorBatchId })];
}

function compareBatchKeys(a: BatchSortKey, b: BatchSortKey): number {
  if (a[0] !== b[0]) {
    if (a[0] === null) return 1;
    if (b[0] === null) return -1;
    return b[0] - a[0];
  }
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** The merged order of batches over every vendor: newest first. */
export function compareBatches(a: BatchRecord, b: BatchRecord): number {
  return compareBatchKeys(sortKey(a), sortKey(b));
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
