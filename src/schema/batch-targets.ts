import type { TargetNotAdded, TargetNotRemoved, TargetsAdded, TargetsRemoved } from '../store/batch-commands.js';
import { MAX_TARGETS_PER_EDIT } from '../store/batch-commands.js';
import { BatchRef } from './batch.js';
import { builder } from './builder.js';
import { BATCH_MUTATION_ERRORS } from './error.js';
import { targetRows, TargetInput } from './launch.js';
import { TargetValidationRef } from './target-validation.js';

/** The targets of an existing batch: added and removed (Syllable; Bolna takes its targets only at create). */

const TargetNotAddedRef = builder.objectRef<TargetNotAdded>('TargetNotAdded').implement({
  description: 'A target that was checked and sent but that the batch does not hold.',
  fields: (t) => ({
    row: t.exposeInt('row', { description: 'Its row in the list, from 1.' }),
    referenceId: t.exposeString('referenceId', { nullable: true, description: 'Its reference id (given, or made).' }),
    phoneNumber: t.exposeString('phoneNumber', { description: 'Its number in E.164.' }),
    code: t.exposeString('code', { description: '`REJECTED` (the vendor refused it) or `NOT_SENT` (time, budget or the connection ran out before it was sent).' }),
    message: t.exposeString('message', { description: 'Why, in words.' }),
  }),
});

const TargetsAddedRef = builder.objectRef<TargetsAdded>('BatchTargetsAdded').implement({
  description: 'Targets added to a batch.',
  fields: (t) => ({
    batch: t.field({ type: BatchRef, description: 'The batch afterwards.', resolve: (result) => result.batch }),
    added: t.exposeInt('added', { description: 'Targets the batch holds now that it did not before.' }),
    validation: t.field({ type: TargetValidationRef, description: "The list's check, against itself and the batch's own targets.", resolve: (result) => result.validation }),
    notAdded: t.field({ type: [TargetNotAddedRef], description: 'Valid targets the batch does not hold, in row order.', resolve: (result) => result.notAdded }),
  }),
});

const TargetNotRemovedRef = builder.objectRef<TargetNotRemoved>('TargetNotRemoved').implement({
  description: 'A target that was asked to be removed but is still in the batch.',
  fields: (t) => ({
    referenceId: t.exposeString('referenceId', { description: 'Its reference id.' }),
    code: t.exposeString('code', { description: '`NOT_PENDING` (already called or under way: only waiting targets can be removed) or `KEPT` (the vendor kept it).' }),
    message: t.exposeString('message', { description: 'Why, in words.' }),
  }),
});

const TargetsRemovedRef = builder.objectRef<TargetsRemoved>('BatchTargetsRemoved').implement({
  description: 'Targets removed from a batch.',
  fields: (t) => ({
    batch: t.field({ type: BatchRef, description: 'The batch afterwards.', resolve: (result) => result.batch }),
    removed: t.exposeInt('removed', { description: 'Targets the batch no longer holds.' }),
    notRemoved: t.field({ type: [TargetNotRemovedRef], description: 'Reference ids the batch still holds, with why.', resolve: (result) => result.notRemoved }),
  }),
});

builder.mutationFields((t) => ({
  addBatchTargets: t.field({
    type: TargetsAddedRef,
    description: `Adds targets to a batch (Syllable: one vendor call per target, a few at once; at most ${MAX_TARGETS_PER_EDIT.toLocaleString('en-US')} a call). The list is checked against itself and the batch's targets first; any invalid row refuses it (an InvalidInputError with \`validation\`) unless \`skipInvalidTargets\`. Bolna takes targets only at create: an UnsupportedOperationError, with no vendor call.`,
    errors: {
      types: [...BATCH_MUTATION_ERRORS],
      directResult: true,
      union: { name: 'AddBatchTargetsResult', description: 'The targets added, or why none were.' },
    },
    args: {
      id: t.arg.id({ required: true, description: 'Global batch id.' }),
      targets: t.arg({ type: [TargetInput], required: true, description: `The targets, at most ${MAX_TARGETS_PER_EDIT.toLocaleString('en-US')}; for a list without reference ids, ids are made (\`add-<time>-<row>\`).` }),
      defaultCountry: t.arg.string({ required: false, defaultValue: 'US', description: 'Country of numbers written without a +country code (ISO 3166, two letters).' }),
      skipInvalidTargets: t.arg.boolean({ required: false, defaultValue: false, description: 'True: add the valid rows and leave out the rest.' }),
    },
    resolve: (_root, args, ctx) => ctx.store.commands.addTargets(args.id, targetRows(args.targets), args.defaultCountry ?? 'US', args.skipInvalidTargets ?? false),
  }),
  removeBatchTargets: t.field({
    type: TargetsRemovedRef,
    description: `Removes targets still waiting from a batch (Syllable), by reference id, at most ${MAX_TARGETS_PER_EDIT.toLocaleString('en-US')} a call. An id the batch does not have refuses the call (nothing is removed); a target already called is reported in \`notRemoved\`. Bolna cannot remove targets: an UnsupportedOperationError, with no vendor call.`,
    errors: {
      types: [...BATCH_MUTATION_ERRORS],
      directResult: true,
      union: { name: 'RemoveBatchTargetsResult', description: 'The targets removed, or why none were.' },
    },
    args: {
      id: t.arg.id({ required: true, description: 'Global batch id.' }),
      referenceIds: t.arg.stringList({ required: true, description: 'Reference ids of the targets to remove.' }),
    },
    resolve: (_root, args, ctx) => ctx.store.commands.removeTargets(args.id, args.referenceIds),
  }),
}));
