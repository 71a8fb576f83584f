import type { Context } from '../context.js';
import { BatchNotFoundError, NodeNotFoundError } from '../domain/errors.js';
import { batchGlobalId, parseBatchId, parseGlobalId, resultGlobalId } from '../domain/ids.js';
import type { BatchRecord, ResultRecord } from '../domain/model.js';
import { BatchRef } from './batch.js';
import { BatchResultRef } from './batch-result.js';
import { builder } from './builder.js';

/**
 * Apollo Federation 2 entities. A router resolves `Batch` and `BatchResult` references by id
 * through `_entities`; each goes through the request's loaders, so a hundred representations cost
 * one vendor read per distinct batch, made at once. An unknown or malformed id rejects its own
 * entry only: it comes back as null with an error, the others are unaffected.
 */

async function batchReference({ id }: { id: string }, ctx: Context): Promise<BatchRecord> {
  const key = parseBatchId(id);
  ctx.vendors.assertEnabled(key.vendor);
  const batch = await ctx.loaders.batchById.load(batchGlobalId(key));
  if (!batch) throw new BatchNotFoundError(id);
  return batch;
}

async function resultReference({ id }: { id: string }, ctx: Context): Promise<ResultRecord> {
  const key = parseGlobalId(id);
  if (key.kind !== 'BatchResult') throw new NodeNotFoundError(id, `Id "${id}" names a batch, not a batch result.`);
  ctx.vendors.assertEnabled(key.vendor);
  const result = await ctx.loaders.resultById.load(resultGlobalId(key));
  if (!result) throw new NodeNotFoundError(id);
  return result;
}

builder.asEntity(BatchRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (reference, ctx) => batchReference(reference, ctx),
});

builder.asEntity(BatchResultRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (reference, ctx) => resultReference(reference, ctx),
});
