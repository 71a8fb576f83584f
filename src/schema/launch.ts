import { launchOptionsOf } from '../domain/launch.js';
import type { TargetRow } from '../domain/targets.js';
import { MAX_IDEMPOTENCY_KEY_LENGTH, MAX_JSON_TARGETS } from '../store/batch-launches.js';
import { BatchRef } from './batch.js';
import { builder, type SchemaTypes } from './builder.js';
import { ResultStatusEnum } from './status-count.js';
import { batchMutationErrors } from './error.js';
import { TargetValidationRef } from './target-validation.js';
import { VendorEnum } from './vendor.js';

/**
 * Launching a batch: a target list checked before anything is sent (`validateTargets`), and
 * created at either vendor exactly once per idempotency key (`createBatch`).
 */

export const VariableInput = builder.inputType('VariableInput', {
  description: "A prompt variable of one target: the agent reads `{name}` as `value`.",
  fields: (t) => ({
    name: t.string({ required: true, description: 'Letters, digits and underscores, not starting with a digit (a column of the CSV the vendor gets).' }),
    value: t.string({ required: true, description: 'The value for this target; no line breaks or control characters.' }),
  }),
});

export const TargetInput = builder.inputType('TargetInput', {
  description: 'One person to call.',
  fields: (t) => ({
    phoneNumber: t.string({ required: true, description: 'The number, in any common format: `+15555550123`, `(555) 555-0123`. Without a +country code it is read as a number of `defaultCountry`; the vendor gets it in E.164.' }),
    referenceId: t.string({
      required: false,
      description: "Your id of this target, unique in the list (Syllable's `reference_id`). Give every row one, or none: for a Syllable list with none, `row-1`, `row-2`… are made.",
    }),
    variables: t.field({ type: [VariableInput], required: false, description: 'Prompt variables; every row should have the same names.' }),
  }),
});

/** The GraphQL rows as the domain's target rows. */
export function targetRows(targets: ReadonlyArray<{ phoneNumber: string; referenceId?: string | null; variables?: ReadonlyArray<{ name: string; value: string }> | null }>): TargetRow[] {
  return targets.map((target) => ({
    phoneNumber: target.phoneNumber,
    referenceId: target.referenceId ?? null,
    variables: target.variables?.map((variable) => [variable.name, variable.value] as const) ?? null,
  }));
}

const RetryInput = builder.inputType('RetryInput', {
  description: "Bolna's retries of a target not reached (`retry_config`).",
  fields: (t) => ({
    maxRetries: t.int({ required: true, description: 'Attempts after the first, 0 to 5.' }),
    intervalsMinutes: t.intList({ required: true, description: 'Minutes to wait before each retry: one per retry, 1 to 10,080 each.' }),
  }),
});

/** The settings of a new batch, per vendor: the fields `CreateBatchInput` and `RetryDestinationInput` share. */
function batchSettingFields(t: PothosSchemaTypes.InputFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<SchemaTypes>, 'InputObject'>) {
  return {
    campaignId: t.id({ required: false, description: 'Syllable: the campaign of the batch (see `campaigns`). Required for Syllable.' }),
    paused: t.boolean({ required: false, description: 'Syllable: true leaves the batch on hold once loaded (start it with `resumeBatch`); false or left out starts it.' }),
    expiresOn: t.field({ type: 'DateTime', required: false, description: 'Syllable: no calls after this instant; in the future.' }),
    callRate: t.int({ required: false, description: "Syllable: calls an hour, 1 to 3600; left out, the campaign's `hourlyRate` applies." }),
    agentId: t.id({ required: false, description: 'Bolna: the agent that calls (see `agents`). Required for Bolna.' }),
    fromPhoneNumbers: t.stringList({ required: false, description: 'Bolna: the numbers calls come from, in E.164.' }),
    scheduledAt: t.field({
      type: 'DateTime',
      required: false,
      description: 'Bolna: when the batch starts, at least 2 minutes ahead (Bolna rounds it up to the next 10 minutes). Left out, it waits, `created`, for `scheduleBatch`.',
    }),
    retry: t.field({ type: RetryInput, required: false, description: 'Bolna: retries of a target not reached.' }),
  };
}

const CreateBatchInput = builder.inputType('CreateBatchInput', {
  description: `A new batch. Give the targets as \`targets\` (at most ${MAX_JSON_TARGETS.toLocaleString('en-US')}) or as \`uploadId\` (a CSV sent to POST /uploads, up to 100,000 rows). Syllable takes \`campaignId\`, \`paused\`, \`expiresOn\`, \`callRate\`; Bolna takes \`agentId\`, \`fromPhoneNumbers\`, \`scheduledAt\`, \`retry\`; the other vendor's settings are refused.`,
  fields: (t) => ({
    vendor: t.field({ type: VendorEnum, required: true, description: 'Where to create the batch.' }),
    idempotencyKey: t.string({
      required: true,
      description: `Names this create (1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters; a uuid is a good one). The same key with the same input answers the same batch for 24 hours without creating another; with other input it is an InvalidInputError. Send the same key again after a lost answer or a BatchIncompleteError.`,
    }),
    fileName: t.string({ required: false, description: 'The name the vendor shows for the list (`.csv` is added). Default `targets-<date>.csv`; Bolna\'s carries a tag of the key (`name.og-<tag>.csv`).' }),
    targets: t.field({ type: [TargetInput], required: false, description: `The targets, at most ${MAX_JSON_TARGETS.toLocaleString('en-US')}.` }),
    uploadId: t.id({ required: false, description: 'An upload of yours from POST /uploads, kept an hour.' }),
    defaultCountry: t.string({ required: false, defaultValue: 'US', description: 'Country of numbers written without a +country code (ISO 3166, two letters).' }),
    skipInvalidTargets: t.boolean({
      required: false,
      defaultValue: false,
      description: 'False: any invalid row refuses the whole create (an InvalidInputError with `validation`), and nothing is sent. True: the batch is created with the valid rows.',
    }),
    ...batchSettingFields(t),
  }),
});

const RetryDestinationInput = builder.inputType('RetryDestinationInput', {
  description:
    "Where a retry's batch goes, and its settings (as in `CreateBatchInput`). At the source's own vendor, a campaign or agent left out is the source's (Bolna: its caller numbers too); at the other vendor, give it.",
  fields: (t) => ({
    vendor: t.field({ type: VendorEnum, required: true, description: 'Where to create the new batch: the source batch\'s vendor or the other one.' }),
    fileName: t.string({ required: false, description: 'The name the vendor shows for the list. Default `retry-of-<source batch id>.csv`.' }),
    ...batchSettingFields(t),
  }),
});

builder.queryFields((t) => ({
  validateTargets: t.field({
    type: TargetValidationRef,
    description: `Checks a target list as \`createBatch\` would, and calls no vendor: numbers parsed and normalised to E.164 (valid for their country, not only of a possible length), repeated numbers, missing or repeated reference ids, variables the rows do not all have, values that would break the vendor's CSV. Give \`targets\` (at most ${MAX_JSON_TARGETS.toLocaleString('en-US')}) or \`uploadId\`.`,
    authScopes: { batchesWrite: true },
    args: {
      vendor: t.arg({ type: VendorEnum, required: true, description: 'The vendor the list is for (their columns and reference id rules differ).' }),
      targets: t.arg({ type: [TargetInput], required: false, description: 'The list as JSON rows.' }),
      uploadId: t.arg.id({ required: false, description: 'An upload of yours from POST /uploads.' }),
      defaultCountry: t.arg.string({ required: false, defaultValue: 'US', description: 'Country of numbers written without a +country code (ISO 3166, two letters).' }),
    },
    resolve: (_root, args, ctx) =>
      ctx.store.launches.validate(args.vendor, { targets: args.targets ? targetRows(args.targets) : null, uploadId: args.uploadId ?? null }, args.defaultCountry ?? 'US'),
  }),
}));

builder.mutationFields((t) => ({
  createBatch: t.field({
    type: BatchRef,
    description:
      'Creates a batch at its vendor, exactly once per `idempotencyKey`. The list is checked first (as `validateTargets`), and the vendor gets E.164 numbers. Syllable: the batch is created paused, every target sent in one `upload_batch` CSV, then started unless `paused`; Bolna: one multipart create, then scheduled when `scheduledAt` is given. A create is never retried by itself: after a lost answer (WriteOutcomeUnknownError) or a BatchIncompleteError, call again with the same key; it asks the vendor what was made before sending anything.',
    errors: batchMutationErrors,
    args: { input: t.arg({ type: CreateBatchInput, required: true, description: 'The batch to create.' }) },
    resolve: (_root, { input }, ctx) => {
      return ctx.store.launches.create({
        ...launchOptionsOf(input),
        vendor: input.vendor,
        idempotencyKey: input.idempotencyKey,
        fileName: input.fileName,
        targets: input.targets ? targetRows(input.targets) : null,
        uploadId: input.uploadId,
        defaultCountry: input.defaultCountry ?? 'US',
        skipInvalidTargets: input.skipInvalidTargets ?? false,
      });
    },
  }),
  retryBatchTargets: t.field({
    type: BatchRef,
    description:
      'Calls again the targets of a batch whose normalised status is one of `statuses` (typically NOT_REACHED and FAILED): a new batch of them, with their reference ids and variables, at the same vendor or at the other (`into`), created exactly once per `idempotencyKey` as `createBatch` creates. The source batch gets nothing written. `Batch.retryableTargets` tells how many it would take. No matching target is an InvalidInputError; a source still running, or targets left out (repeated numbers, invalid rows), come as `extensions.warnings` beside the new batch.',
    errors: batchMutationErrors,
    args: {
      id: t.arg.id({ required: true, description: 'Global id of the batch whose targets are called again.' }),
      statuses: t.arg({ type: [ResultStatusEnum], required: true, description: 'The normalised statuses whose targets are taken: at least one.' }),
      idempotencyKey: t.arg.string({
        required: true,
        description: `Names this retry (1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters): the same key and arguments answer the same batch for 24 hours, as in \`createBatch\`.`,
      }),
      into: t.arg({ type: RetryDestinationInput, required: false, description: "Where the new batch goes; left out, the source's vendor and its campaign or agent." }),
      skipInvalidTargets: t.arg.boolean({
        required: false,
        defaultValue: true,
        description: 'True: targets the destination would refuse (an invalid number) are left out, with a warning. False: any such target refuses the retry (an InvalidInputError with `validation`).',
      }),
    },
    resolve: (_root, args, ctx) =>
      ctx.store.launches.retry({
        id: args.id,
        statuses: args.statuses,
        idempotencyKey: args.idempotencyKey,
        skipInvalidTargets: args.skipInvalidTargets ?? true,
        into: args.into ? { ...launchOptionsOf(args.into), vendor: args.into.vendor, fileName: args.into.fileName } : null,
      }),
  }),
}));
