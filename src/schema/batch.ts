import type { PageLimit } from '../security/operation-plan.js';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import { batchCursors, resultCursors } from '../domain/cursors.js';
import { batchGlobalId } from '../domain/ids.js';
import { BATCH_STATUSES, type BatchRecord, type BatchStatus, type Vendor } from '../domain/model.js';
import { paginate } from '../domain/pagination.js';
import { BatchResultRef } from './batch-result.js';
import { reportPartialFailure } from './partial.js';
import { builder } from './builder.js';
import { BATCH_MUTATION_ERRORS } from './error.js';
import { ProgressRef, ResultStatusEnum, StatusCountRef } from './status-count.js';
import { selectedFieldNames } from './selection.js';
import { readTimestamp } from './timestamp.js';
import { VendorEnum } from './vendor.js';

const batchIdOf = (batch: BatchRecord): string => batchGlobalId({ vendor: batch.vendor, batchId: batch.vendorBatchId });

/** Fields of `Batch` that need no read of the batch itself (the results read proves it exists). */
const RESULTS_ONLY_FIELDS = new Set(['__typename', 'id', 'vendor', 'vendorBatchId', 'results']);

/** `batch(id)`: read the batch, unless the query wants nothing of it but its results (one vendor call instead of two). */
function batchForQuery(id: string, ctx: Context, info: GraphQLResolveInfo) {
  const names = selectedFieldNames(info);
  const resultsOnly = names !== null && names.has('results') && [...names].every((name) => RESULTS_ONLY_FIELDS.has(name));
  return resultsOnly ? ctx.batches.batchForResults(id) : ctx.batches.batch(id);
}

// Read by the operation plan too (`extensions.pageLimit`): a page over its cap is refused before it runs.
const BATCH_PAGE: PageLimit = { defaultSize: 25, maxSize: 100 };
const RESULT_PAGE: PageLimit = { defaultSize: 50, maxSize: 500 };

const BATCH_STATUS_DESCRIPTIONS: Record<BatchStatus, string> = {
  PENDING: 'Created, not started (Syllable PENDING, Bolna created).',
  SCHEDULED: 'Waiting for its scheduled start (Bolna scheduled).',
  ACTIVE: 'Calling (Syllable ACTIVE, Bolna queued).',
  PAUSED: 'On hold (Syllable PAUSED or `paused`).',
  COMPLETED: 'All calls made (Bolna executed).',
  FAILED: 'Could not run, e.g. the upload failed (Syllable FAILED).',
  CANCELED: 'Canceled or stopped before finishing.',
  EXPIRED: 'Its expiry passed before it finished (Syllable EXPIRED).',
  UNKNOWN: 'A vendor status this API does not know yet; see `vendorStatus`.',
};

export const BatchStatusEnum = builder.enumType('BatchStatus', {
  description: 'Normalised state of a batch, the same for every vendor.',
  values: Object.fromEntries(BATCH_STATUSES.map((status) => [status, { value: status, description: BATCH_STATUS_DESCRIPTIONS[status] }])),
});

export const BatchRef = builder.objectRef<BatchRecord>('Batch');

BatchRef.implement({
  description: 'A batch of outbound calls at one vendor: a Syllable communication batch or a Bolna batch.',
  interfaces: [builder.nodeInterfaceRef()],
  // On the type, so every way to a batch (root fields, `node`, `_entities`, mutations) is guarded.
  authScopes: { batchesRead: true },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'vendorBatchId' in value && !('referenceId' in value),
  fields: (t) => ({
    id: t.id({ description: 'Global id `<vendor>:<batch id>`, e.g. `syllable:20250117.9`.', resolve: batchIdOf }),
    vendor: t.field({ type: VendorEnum, description: 'The vendor that runs the batch.', resolve: (b) => b.vendor }),
    vendorBatchId: t.exposeString('vendorBatchId', { description: 'The batch id at the vendor.' }),
    status: t.field({ type: BatchStatusEnum, description: 'State of the batch, normalised.', resolve: (b) => b.status }),
    vendorStatus: t.exposeString('vendorStatus', { description: 'The status exactly as the vendor sent it.' }),
    paused: t.exposeBoolean('paused', { description: 'True while the batch is on hold. Always false for Bolna, which cannot pause.' }),
    expiresOn: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'No call is placed after this instant (Syllable). Null when unset.',
      resolve: (b) => readTimestamp(b.vendor, 'expiresOn', b.expiresOn),
    }),
    scheduledAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the batch is set to start (Bolna).',
      resolve: (b) => readTimestamp(b.vendor, 'scheduledAt', b.scheduledAt),
    }),
    createdAt: t.field({ type: 'DateTime', nullable: true, description: 'When the batch was created.', resolve: (b) => readTimestamp(b.vendor, 'createdAt', b.createdAt) }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the batch last changed.', resolve: (b) => readTimestamp(b.vendor, 'updatedAt', b.updatedAt) }),
    lastUpdatedBy: t.exposeString('lastUpdatedBy', { nullable: true, description: 'Who last changed the batch (Syllable user e-mail).' }),
    fileName: t.exposeString('fileName', { nullable: true, description: 'Name of the uploaded target file.' }),
    errorMessage: t.exposeString('errorMessage', { nullable: true, description: 'Why the batch failed, e.g. a rejected upload (Syllable).' }),
    campaignId: t.exposeID('campaignId', { nullable: true, description: 'Syllable campaign the batch belongs to.' }),
    fetchedAt: t.field({
      type: 'DateTime',
      description: 'When the vendor said what this batch shows. Answers are shared for a moment (CACHE_TTL_MS), and served older while a vendor fails (see `extensions.warnings`), so a dashboard can say "updated 3 s ago".',
      resolve: (b) => new Date(b.fetchedAt),
    }),
    agentId: t.id({
      nullable: true,
      description: 'Bolna agent that places the calls. Bolna names it only in per-agent lists: for a batch read alone it costs one list read per configured agent.',
      resolve: (b, _args, ctx) => ctx.batches.agentId(b),
    }),
    totalCount: t.int({
      description: 'Targets in the batch (Bolna `total_contacts`; for Syllable the sum of its status counts).',
      resolve: (b, _args, ctx) => ctx.batches.totalCount(b),
    }),
    statusCounts: t.field({
      type: [StatusCountRef],
      description: 'Targets per vendor status. For a Syllable batch from a list this costs one read of the batch, made only when asked.',
      resolve: (b, _args, ctx) => ctx.batches.statusCounts(b),
    }),
    progress: t.field({
      type: ProgressRef,
      description: 'Targets per normalised status and the share finished, for a progress bar.',
      resolve: (b, _args, ctx) => ctx.batches.progress(b),
    }),
    canPause: t.boolean({
      description: 'Whether `pauseBatch` would be accepted now (vendor and state allow it).',
      resolve: (b, _args, ctx) => ctx.batches.capabilities(b).canPause,
    }),
    canResume: t.boolean({
      description: 'Whether `resumeBatch` would be accepted now.',
      resolve: (b, _args, ctx) => ctx.batches.capabilities(b).canResume,
    }),
    canUpdateExpiry: t.boolean({
      description: 'Whether `updateBatchExpiry` would be accepted now.',
      resolve: (b, _args, ctx) => ctx.batches.capabilities(b).canUpdateExpiry,
    }),
    results: t.connection(
      {
        type: BatchResultRef,
        description: `Per-target results in vendor order. Vendors return results unpaged: one vendor read fetches every row of the batch, and later pages are served from it while it is fresh (CACHE_TTL_MS). At most ${RESULT_PAGE.maxSize} a page.`,
        args: {
          status: t.arg({ type: ResultStatusEnum, required: false, description: 'Only results in this normalised status (sent to Syllable where one request status means exactly this one).' }),
          referenceId: t.arg.string({ required: false, description: 'Only the result with this reference id (sent to Syllable as `reference_id`).' }),
          insightsStatus: t.arg.string({
            required: false,
            description: "Only results whose post-call analysis is in this state, as Syllable words it (its `insights_status`, e.g. PENDING). Bolna results have none, so they never match.",
          }),
        },
        extensions: { pageLimit: RESULT_PAGE },
        resolve: async (b, args, ctx) => {
          const { rows, fetchedAt } = await ctx.batches.results(b, args);
          return { ...paginate(rows, args, resultCursors, RESULT_PAGE), fetchedAt };
        },
      },
      {
        name: 'BatchResultConnection',
        description: 'A page of batch results.',
        fields: (c) => ({
          totalCount: c.exposeInt('totalCount', { description: 'Results matching the filters, over all pages.' }),
          fetchedAt: c.field({
            type: 'DateTime',
            description: 'When the vendor sent the rows of this page (all pages of one read share it).',
            resolve: (connection) => new Date((connection as { fetchedAt: number }).fetchedAt),
          }),
        }),
      },
      { name: 'BatchResultEdge', description: 'A batch result with its cursor.' },
    ),
  }),
});

builder.queryFields((t) => ({
  batch: t.field({
    type: BatchRef,
    nullable: true,
    description: 'One batch by global id. Null with a NOT_FOUND error when the vendor does not know it; an INVALID_INPUT error for a malformed id.',
    args: { id: t.arg.id({ required: true, description: 'Global batch id, e.g. `syllable:20250117.9`.' }) },
    authScopes: { batchesRead: true },
    resolve: (_root, { id }, ctx, info) => batchForQuery(id, ctx, info),
  }),
  batches: t.connection(
    {
      type: BatchRef,
      description: `Batches of every enabled vendor in one list, newest first. Cursors hold a position in that order, so pages stay consistent across both vendors. At most ${BATCH_PAGE.maxSize} a page.`,
      args: {
        vendor: t.arg({ type: VendorEnum, required: false, description: 'Only batches of this vendor.' }),
        status: t.arg({ type: BatchStatusEnum, required: false, description: 'Only batches in this normalised status.' }),
      },
      authScopes: { batchesRead: true },
      extensions: { pageLimit: BATCH_PAGE },
      resolve: async (_root, args, ctx, info) => {
        const { batches, failures } = await ctx.batches.list(args);
        for (const { error } of failures) reportPartialFailure(ctx, error, info.path);
        return { ...paginate(batches, args, batchCursors, BATCH_PAGE), incompleteVendors: failures.map((f) => f.vendor) };
      },
    },
    {
      name: 'BatchConnection',
      description: 'A page of batches.',
      fields: (c) => ({
        totalCount: c.exposeInt('totalCount', { description: 'Batches matching the filters, over all pages, of the vendors that answered.' }),
        incompleteVendors: c.field({
          type: [VendorEnum],
          description: 'Vendors whose batches are missing because they failed; each also has an error in `errors` at this path naming it. Empty when the list is complete.',
          resolve: (connection) => (connection as { incompleteVendors?: Vendor[] }).incompleteVendors ?? [],
        }),
      }),
    },
    { name: 'BatchEdge', description: 'A batch with its cursor.' },
  ),
}));

const batchMutationErrors = {
  types: [...BATCH_MUTATION_ERRORS],
  union: { name: 'BatchMutationResult', description: 'The changed batch, or why nothing changed.' },
  result: { name: 'BatchMutationSuccess', description: 'The change was applied (or was already in effect); `batch` shows the new state.' },
  dataField: { name: 'batch', description: 'The batch after the change.' },
};

builder.mutationFields((t) => ({
  pauseBatch: t.field({
    type: BatchRef,
    description: 'Puts a batch on hold: no new calls start until it is resumed. Succeeds without a change when it is already paused.',
    errors: batchMutationErrors,
    args: { id: t.arg.id({ required: true, description: 'Global batch id.' }) },
    resolve: (_root, { id }, ctx) => ctx.batches.pause(id),
  }),
  resumeBatch: t.field({
    type: BatchRef,
    description: 'Lets a paused batch call again. Succeeds without a change when it is not paused.',
    errors: batchMutationErrors,
    args: { id: t.arg.id({ required: true, description: 'Global batch id.' }) },
    resolve: (_root, { id }, ctx) => ctx.batches.resume(id),
  }),
  updateBatchExpiry: t.field({
    type: BatchRef,
    description: 'Sets the instant after which the batch places no calls; null clears it. The instant must be in the future.',
    errors: batchMutationErrors,
    args: {
      id: t.arg.id({ required: true, description: 'Global batch id.' }),
      expiresOn: t.arg({ type: 'DateTime', required: false, description: 'The new expiry, or null to clear it. Must be given: leaving it out is an error, so an expiry is never cleared by accident.' }),
    },
    resolve: (_root, { id, expiresOn }, ctx) => ctx.batches.updateExpiry(id, expiresOn),
  }),
}));
