import { BatchRef } from './batch.js';
import { BatchResultRef } from './batch-result.js';
import { builder } from './builder.js';

/**
 * Apollo Federation 2 entities. A router resolves `Batch` and `BatchResult` references by id
 * through `_entities`; each goes through the request's loaders, so a hundred representations cost
 * one vendor read per distinct batch, made at once. An unknown or malformed id rejects its own
 * entry only: it comes back as null with an error, the others are unaffected.
 */

builder.asEntity(BatchRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx) => ctx.batches.batch(id),
});

builder.asEntity(BatchResultRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx) => ctx.batches.result(id),
});
