import { batchGlobalId } from '../domain/ids.js';
import type { DeletedBatch } from '../store/batch-commands.js';
import { BatchRef } from './batch.js';
import { builder } from './builder.js';
import { BATCH_MUTATION_ERRORS, batchMutationErrors } from './error.js';
import { VendorEnum } from './vendor.js';

/**
 * The controls of a batch, one mutation each. Each answers with data, never a top-level error:
 * the changed batch, or the typed reason nothing changed. Arguments and the vendor's controls are
 * checked before any vendor call; the batch's state is read from the vendor before any write.
 */

const BatchDeletedRef = builder.objectRef<DeletedBatch>('BatchDeleted').implement({
  description: 'The batch is deleted. Syllable keeps it readable with `deletedAt` set; Bolna removes it, so `batch(id)` is null afterwards.',
  fields: (t) => ({
    id: t.id({ description: 'Global id of the deleted batch.', resolve: (d) => batchGlobalId({ vendor: d.vendor, batchId: d.vendorBatchId }) }),
    vendor: t.field({ type: VendorEnum, description: 'The vendor of the batch.', resolve: (d) => d.vendor }),
    deletedAt: t.field({
      type: 'DateTime',
      description: "When the batch was deleted: the vendor's time when it gives one, else when the vendor confirmed the deletion.",
      resolve: (d) => d.deletedAt,
    }),
  }),
});

builder.mutationFields((t) => ({
  pauseBatch: t.field({
    type: BatchRef,
    description: 'Puts a batch on hold: no new calls start until it is resumed (Syllable). Succeeds without a change when it is already paused.',
    errors: batchMutationErrors,
    args: { id: t.arg.id({ required: true, description: 'Global batch id.' }) },
    resolve: (_root, { id }, ctx) => ctx.store.commands.pause(id),
  }),
  resumeBatch: t.field({
    type: BatchRef,
    description: 'Lets a paused batch call again (Syllable). Succeeds without a change when it is not paused.',
    errors: batchMutationErrors,
    args: { id: t.arg.id({ required: true, description: 'Global batch id.' }) },
    resolve: (_root, { id }, ctx) => ctx.store.commands.resume(id),
  }),
  updateBatchExpiry: t.field({
    type: BatchRef,
    description: 'Sets the instant after which the batch places no calls; null clears it (Syllable). The instant must be in the future.',
    errors: batchMutationErrors,
    args: {
      id: t.arg.id({ required: true, description: 'Global batch id.' }),
      expiresOn: t.arg({ type: 'DateTime', required: false, description: 'The new expiry, or null to clear it. Must be given: leaving it out is an error, so an expiry is never cleared by accident.' }),
    },
    resolve: (_root, { id, expiresOn }, ctx) => ctx.store.commands.updateExpiry(id, expiresOn),
  }),
  updateBatchCallRate: t.field({
    type: BatchRef,
    description:
      "Sets the pace of a batch (Syllable): a fixed `callRate`, and/or `autoCallRate` to let Syllable pace it to finish by its expiry. Give at least one; what is left out stays as it is. Succeeds without a change when the pace already is so.",
    errors: batchMutationErrors,
    args: {
      id: t.arg.id({ required: true, description: 'Global batch id.' }),
      callRate: t.arg.int({
        required: false,
        description: "Calls an hour, 1 to 3600. Null clears it, so the campaign's `hourlyRate` applies; left out, it stays as it is.",
      }),
      autoCallRate: t.arg.boolean({
        required: false,
        description: 'True to let Syllable derive the pace from the expiry (the batch needs one: else an InvalidInputError naming `expiresOn`); false to stop. Left out or null, it stays as it is.',
      }),
    },
    resolve: (_root, { id, callRate, autoCallRate }, ctx) => ctx.store.commands.updateCallRate(id, callRate, autoCallRate),
  }),
  scheduleBatch: t.field({
    type: BatchRef,
    description:
      'Sets when a batch starts (Bolna), for a batch not yet running. Bolna rounds the start up to the next 10 minutes: `batch.scheduledAt` shows the start it keeps. Syllable batches start within their campaign hours and cannot be scheduled.',
    errors: batchMutationErrors,
    args: {
      id: t.arg.id({ required: true, description: 'Global batch id.' }),
      at: t.arg({ type: 'DateTime', required: true, description: 'The start, at least 2 minutes from now.' }),
      bypassCallGuardrails: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: "Let calls run outside the agent's calling hours (Bolna `bypass_call_guardrails`).",
      }),
    },
    resolve: (_root, { id, at, bypassCallGuardrails }, ctx) => ctx.store.commands.schedule(id, at, bypassCallGuardrails ?? false),
  }),
  stopBatch: t.field({
    type: BatchRef,
    description:
      'Stops a running batch for good (Bolna): calls not yet placed are not placed (their results become `stopped`). Never retried. A batch that is not queued or running is an UnsupportedOperationError; Syllable batches are paused instead (`pauseBatch`).',
    errors: batchMutationErrors,
    args: { id: t.arg.id({ required: true, description: 'Global batch id.' }) },
    resolve: (_root, { id }, ctx) => ctx.store.commands.stop(id),
  }),
  deleteBatch: t.field({
    type: BatchDeletedRef,
    description:
      'Deletes a batch. Syllable keeps it readable with `deletedAt` and the reason, and `batches` lists it only with `includeDeleted: true`; Bolna removes it. Succeeds without a change when Syllable already deleted it. Never retried.',
    errors: {
      types: [...BATCH_MUTATION_ERRORS],
      directResult: true,
      union: { name: 'BatchDeleteResult', description: 'The deletion, or why nothing was deleted.' },
    },
    args: {
      id: t.arg.id({ required: true, description: 'Global batch id.' }),
      reason: t.arg.string({ required: true, description: 'Why the batch is deleted; Syllable keeps it with the batch (`deletedReason`). Must not be empty.' }),
    },
    resolve: (_root, { id, reason }, ctx) => ctx.store.commands.delete(id, reason),
  }),
}));
