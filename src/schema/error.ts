import { BatchIncompleteError, BatchNotFoundError, InvalidInputError, UnsupportedOperationError, VendorError, WriteOutcomeUnknownError, type OutboundGraphError } from '../domain/errors.js';
import { batchGlobalId } from '../domain/ids.js';
import type { TargetListRefusedError } from '../domain/targets.js';
import { BatchRef } from './batch.js';
import { builder } from './builder.js';
import { TargetValidationRef } from './target-validation.js';
import { VendorEnum } from './vendor.js';

/** The `Error` interface every expected failure implements, in mutation results. */
export const ErrorInterface = builder.interfaceRef<OutboundGraphError>('Error').implement({
  description: 'A failure the client can act on, returned as data by mutations.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What went wrong, for people.' }),
    code: t.exposeString('code', { description: 'Stable machine-readable code, the same as `extensions.code` on query errors.' }),
  }),
});

builder.objectType(BatchNotFoundError, {
  name: 'BatchNotFoundError',
  description: 'No batch has this id at its vendor.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The id that was not found.' }),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  description: 'An argument is malformed or not allowed (a malformed id, an expiry in the past), or the vendor rejected the request as invalid. Nothing was changed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString('field', { nullable: true, description: 'The argument at fault, when one is.' }),
    validation: t.field({
      type: TargetValidationRef,
      nullable: true,
      description: 'With a refused target list (`createBatch`, `addBatchTargets`): the whole check, its counts and first issues. Null otherwise.',
      // Read as a field, not by class: the errors plugin hands the error in a proxy that answers `instanceof` for InvalidInputError only.
      resolve: (error) => (error as Partial<TargetListRefusedError>).validation ?? null,
    }),
  }),
});

builder.objectType(UnsupportedOperationError, {
  name: 'UnsupportedOperationError',
  description: 'The vendor, or the batch in its current state, does not support this operation (pausing a Bolna batch, resuming a canceled one).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    operation: t.exposeString('operation', { description: 'The operation that was refused.' }),
    vendor: t.field({ type: VendorEnum, description: 'The vendor of the batch.', resolve: (error) => error.vendor }),
  }),
});

builder.objectType(VendorError, {
  name: 'VendorError',
  description: 'The vendor failed or refused the call. Credentials are never included.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    vendor: t.field({ type: VendorEnum, description: 'The vendor that failed.', resolve: (error) => error.vendor }),
    statusCode: t.exposeInt('statusCode', { nullable: true, description: 'HTTP status the vendor answered with; null when it did not answer.' }),
    retryAfter: t.exposeInt('retryAfterSeconds', {
      nullable: true,
      description: 'With code RATE_LIMITED or VENDOR_UNAVAILABLE: seconds until the vendor may be called again. Null otherwise.',
    }),
  }),
});

builder.objectType(WriteOutcomeUnknownError, {
  name: 'WriteOutcomeUnknownError',
  description:
    "The vendor's answer to the write was lost (a timeout, or the connection dropped after it was sent), and the batch read back just after does not show the change: the vendor may still apply it. It is never sent again by itself; check `readBack` (or read the batch again) before you retry.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    operation: t.exposeString('operation', { description: 'The mutation whose outcome is unknown.' }),
    vendor: t.field({ type: VendorEnum, description: 'The vendor of the batch.', resolve: (error) => error.vendor }),
    readBack: t.field({
      type: BatchRef,
      nullable: true,
      description: 'The batch as read back just after the lost answer (not named `batch`, which is never null on success); null when it could not be read.',
      resolve: (error) => error.batch,
    }),
  }),
});

builder.objectType(BatchIncompleteError, {
  name: 'BatchIncompleteError',
  description:
    '`createBatch` made the batch at its vendor but did not finish: its targets are not loaded, or it is not started as asked. Call `createBatch` again with the same `idempotencyKey` to finish it; no second batch is made.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    vendor: t.field({ type: VendorEnum, description: 'The vendor of the batch.', resolve: (error) => error.vendor }),
    batchId: t.id({ description: 'Global id of the batch that was made.', resolve: (error) => batchGlobalId({ vendor: error.vendor, batchId: error.vendorBatchId }) }),
    step: t.exposeString('step', { description: 'What is left: `load` (its targets) or `start` (unpause, or schedule).' }),
    readBack: t.field({ type: BatchRef, nullable: true, description: 'The batch as read back; null when it could not be read.', resolve: (error) => error.batch }),
  }),
});

/** Error types every batch mutation can return. */
export const BATCH_MUTATION_ERRORS = [BatchNotFoundError, InvalidInputError, UnsupportedOperationError, VendorError, WriteOutcomeUnknownError] as const;

/**
 * The errors option of the mutations answering `BatchMutationResult`: the batch, or why nothing
 * changed. `createBatch` answers it too, so the union also holds BatchIncompleteError (only
 * `createBatch` gives it).
 */
export const batchMutationErrors = {
  types: [...BATCH_MUTATION_ERRORS, BatchIncompleteError],
  union: { name: 'BatchMutationResult', description: 'The changed batch, or why nothing changed.' },
  result: { name: 'BatchMutationSuccess', description: 'The change was applied (or was already in effect); `batch` shows the new state.' },
  dataField: { name: 'batch', description: 'The batch after the change.' },
};
