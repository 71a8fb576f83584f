import type { PageLimit } from '../security/operation-plan.js';
import { batchCursors, resultCursors } from '../domain/cursors.js';
import { batchGlobalId } from '../domain/ids.js';
import { BATCH_STATUSES, type BatchControl, type BatchRecord, type BatchStatus, type Vendor } from '../domain/model.js';
import { paginate } from '../domain/pagination.js';
import { resultsCsvUrl } from '../domain/results-csv.js';
import { BatchResultRef } from './batch-result.js';
import { reportPartialFailure } from './partial.js';
import { builder } from './builder.js';
import { readGuard } from './read-guard.js';
import { AgentRef, CampaignRef } from './parents.js';
import { ProgressRef, ResultStatusEnum, StatusCountRef } from './status-count.js';
import { firstFieldArguments, selectedFieldNames } from './selection.js';
import { readTimestamp } from './timestamp.js';
import { VendorEnum } from './vendor.js';

const batchIdOf = (batch: BatchRecord): string => batchGlobalId({ vendor: batch.vendor, batchId: batch.vendorBatchId });

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

type BatchFieldBuilder = Parameters<NonNullable<Parameters<typeof BatchRef.implement>[0]['fields']>>[0];

/** One `can…` flag per control: true exactly when that mutation would be attempted now. */
function capabilityFields(t: BatchFieldBuilder) {
  const flag = (control: BatchControl, mutation: string, extra = '') =>
    t.boolean({
      description: `Whether \`${mutation}\` would be attempted now: the vendor offers it and the batch's state allows it.${extra}`,
      resolve: (b, _args, ctx) => ctx.store.reads.capabilities(b)[control],
    });
  return {
    canPause: flag('pause', 'pauseBatch'),
    canResume: flag('resume', 'resumeBatch'),
    canUpdateExpiry: flag('updateExpiry', 'updateBatchExpiry'),
    canUpdateCallRate: flag('updateCallRate', 'updateBatchCallRate', ' Syllable only.'),
    canSchedule: flag('schedule', 'scheduleBatch', ' Bolna only, before the batch starts.'),
    canStop: flag('stop', 'stopBatch', ' Bolna only, while the batch runs.'),
    canDelete: flag('delete', 'deleteBatch'),
    canAddTargets: flag('addTargets', 'addBatchTargets', ' Syllable only, while the batch can still call.'),
    canRemoveTargets: flag('removeTargets', 'removeBatchTargets', ' Syllable only, while targets are waiting.'),
  };
}

BatchRef.implement({
  description: 'A batch of outbound calls at one vendor: a Syllable communication batch or a Bolna batch.',
  interfaces: [builder.nodeInterfaceRef()],
  // On the type, so every way to a batch (root fields, `node`, `_entities`, mutations) is guarded.
  extensions: readGuard('batchesRead'),
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
    campaign: t.field({
      type: CampaignRef,
      nullable: true,
      description: 'The Syllable campaign of the batch: its hours, pace and caller id. One vendor read per distinct campaign, however many batches ask. Null for Bolna.',
      resolve: (b, _args, ctx) => ctx.store.reads.campaign(b),
    }),
    agent: t.field({
      type: AgentRef,
      nullable: true,
      description: 'The Bolna agent that places the calls, with its name where Bolna gives it (else the id alone). One vendor read per distinct agent. Null for Syllable, whose campaign names its agent (`campaign.agentId`).',
      resolve: (b, _args, ctx) => ctx.store.reads.agent(b),
    }),
    callRate: t.exposeInt('callRate', {
      nullable: true,
      description: "Pace in calls an hour (Syllable `call_rate`, 1 to 3600). Null when unset: the campaign's `hourlyRate` applies. Always null for Bolna, which has no pace per batch.",
    }),
    autoCallRate: t.exposeBoolean('autoCallRate', {
      nullable: true,
      description: 'True when Syllable derives the pace so the batch finishes by its expiry. Null for Bolna.',
    }),
    autoCallRateBaseline: t.exposeFloat('autoCallRateBaseline', { nullable: true, description: 'The first pace Syllable computed for an automatic rate, in calls an hour.' }),
    dispatchId: t.exposeString('dispatchId', { nullable: true, description: 'Syllable dispatch the batch was sent with.' }),
    deletedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the batch was deleted (Syllable keeps deleted batches readable). Null while it is not.',
      resolve: (b) => readTimestamp(b.vendor, 'deletedAt', b.deletedAt),
    }),
    deletedReason: t.exposeString('deletedReason', { nullable: true, description: 'Why the batch was deleted or canceled, as given to Syllable.' }),
    fromPhoneNumbers: t.exposeStringList('fromPhoneNumbers', {
      description: "Numbers the calls come from (Bolna `from_phone_numbers`, or its older single `from_phone_number`). Empty for Syllable, whose campaign holds the caller id (`campaign.callerId`).",
    }),
    validContacts: t.exposeInt('validContacts', { nullable: true, description: 'Rows of the upload that passed validation (Bolna); `totalCount` counts them all.' }),
    fetchedAt: t.field({
      type: 'DateTime',
      description: 'When the vendor said what this batch shows. Answers are shared for a moment (CACHE_TTL_MS), and served older while a vendor fails (see `extensions.warnings`), so a dashboard can say "updated 3 s ago".',
      resolve: (b) => new Date(b.fetchedAt),
    }),
    agentId: t.id({
      nullable: true,
      description: 'Bolna agent that places the calls. Bolna names it only in per-agent lists: for a batch read alone it costs one list read per configured agent.',
      resolve: (b, _args, ctx) => ctx.store.reads.agentId(b),
    }),
    totalCount: t.int({
      description: 'Targets in the batch (Bolna `total_contacts`; for Syllable the sum of its status counts).',
      resolve: (b, _args, ctx) => ctx.store.reads.totalCount(b),
    }),
    statusCounts: t.field({
      type: [StatusCountRef],
      description: 'Targets per vendor status. For a Syllable batch from a list this costs one read of the batch, made only when asked.',
      resolve: (b, _args, ctx) => ctx.store.reads.statusCounts(b),
    }),
    progress: t.field({
      type: ProgressRef,
      description: 'Targets per normalised status and the share finished, for a progress bar.',
      resolve: (b, _args, ctx) => ctx.store.reads.progress(b),
    }),
    ...capabilityFields(t),
    results: t.connection(
      {
        type: BatchResultRef,
        // An argument error (a bad cursor) is an error on this field; the batch still answers.
        nullable: true,
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
        resolve: async (b, args, ctx, info) => {
          const { rows, totalCount, unreadable, fetchedAt } = await ctx.store.reads.results(b, args);
          if (unreadable) reportPartialFailure(ctx, unreadable, info.path);
          return { ...paginate(rows, args, resultCursors, RESULT_PAGE), totalCount, fetchedAt };
        },
      },
      {
        name: 'BatchResultConnection',
        description: 'A page of batch results.',
        fields: (c) => ({
          totalCount: c.exposeInt('totalCount', {
            description: 'Results matching the filters, over all pages. Without filters it is what the vendor sent, rows it sent unreadable included (those have an error in `errors`).',
          }),
          fetchedAt: c.field({
            type: 'DateTime',
            description: 'When the vendor sent the rows of this page (all pages of one read share it).',
            resolve: (connection) => new Date((connection as { fetchedAt: number }).fetchedAt),
          }),
        }),
      },
      { name: 'BatchResultEdge', description: 'A batch result with its cursor.' },
    ),
    retryableTargets: t.int({
      description:
        'Targets `retryBatchTargets` would take for these statuses: results in one of them that have a number to call. From the same read as `results`; nothing is written.',
      args: { statuses: t.arg({ type: [ResultStatusEnum], required: true, description: 'The normalised statuses, e.g. [NOT_REACHED, FAILED].' }) },
      resolve: async (b, { statuses }, ctx) => (await ctx.store.reads.retryable(b, statuses)).length,
    }),
    resultsCsvUrl: t.string({
      description:
        'Where to download every result of this batch as CSV (`GET`, with the same token as GraphQL; `batches:read`): one header row, one row per target with the fields of both vendors and each variable as a column, streamed, from the same read as `results`. Cells a spreadsheet would run as a formula start with `\'`; E.164 numbers stay as they are. A path on this API, or under PUBLIC_URL when set.',
      args: {
        status: t.arg({ type: ResultStatusEnum, required: false, description: 'Only results in this normalised status, as in `results`.' }),
        insightsStatus: t.arg.string({ required: false, description: 'Only results whose post-call analysis is in this state, as in `results`.' }),
      },
      resolve: (b, args, ctx) => ctx.store.link(resultsCsvUrl(batchIdOf(b), args)),
    }),
  }),
});

builder.queryFields((t) => ({
  batch: t.field({
    type: BatchRef,
    nullable: true,
    description: 'One batch by global id. Null with a NOT_FOUND error when the vendor does not know it; an INVALID_INPUT error for a malformed id.',
    args: { id: t.arg.id({ required: true, description: 'Global batch id, e.g. `syllable:20250117.9`.' }) },
    // A query that wants nothing of the batch but its results reads only them (the store decides).
    resolve: (_root, { id }, ctx, info) => ctx.store.reads.batchFor(id, { fields: selectedFieldNames(info), results: firstFieldArguments(info, 'results') }),
  }),
  batches: t.connection(
    {
      type: BatchRef,
      description: `Batches of every enabled vendor in one list, newest first. Cursors hold a position in that order, so pages stay consistent across both vendors. At most ${BATCH_PAGE.maxSize} a page.`,
      args: {
        vendor: t.arg({ type: VendorEnum, required: false, description: 'Only batches of this vendor.' }),
        status: t.arg({ type: BatchStatusEnum, required: false, description: 'Only batches in this normalised status.' }),
        campaignId: t.arg.id({ required: false, description: 'Only batches of this Syllable campaign (sent to Syllable as a search on `campaign_id`). Bolna batches never match.' }),
        agentId: t.arg.id({
          required: false,
          description: "Only batches of this Bolna agent: only that agent's list is read, configured in BOLNA_AGENT_IDS or not. Syllable batches never match.",
        }),
        createdAfter: t.arg({ type: 'DateTime', required: false, description: 'Only batches created at or after this instant.' }),
        createdBefore: t.arg({ type: 'DateTime', required: false, description: 'Only batches created before this instant (so consecutive ranges never overlap).' }),
        search: t.arg.string({ required: false, description: 'Only batches whose file name contains this text, ignoring case. Empty matches every batch.' }),
        includeDeleted: t.arg.boolean({
          required: false,
          defaultValue: false,
          description: 'Also list batches Syllable keeps after their deletion (`deletedAt` set).',
        }),
      },
      authScopes: { batchesRead: true },
      extensions: { pageLimit: BATCH_PAGE },
      resolve: async (_root, args, ctx, info) => {
        const { batches, totalCount, failures, incompleteVendors } = await ctx.store.reads.list(args);
        for (const { error } of failures) reportPartialFailure(ctx, error, info.path);
        return { ...paginate(batches, args, batchCursors, BATCH_PAGE), totalCount, incompleteVendors };
      },
    },
    {
      name: 'BatchConnection',
      description: 'A page of batches.',
      fields: (c) => ({
        totalCount: c.exposeInt('totalCount', { description: 'Batches matching the filters, over all pages, of the vendors that answered.' }),
        incompleteVendors: c.field({
          type: [VendorEnum],
          description:
            'Vendors whose batches are missing, in whole (they failed, or did not answer within VENDOR_LIST_WAIT_MS while another vendor did) or in part (items they sent could not be read); each also has an error in `errors` at this path naming it. Empty when the list is complete.',
          resolve: (connection) => (connection as { incompleteVendors?: readonly Vendor[] }).incompleteVendors ?? [],
        }),
      }),
    },
    { name: 'BatchEdge', description: 'A batch with its cursor.' },
  ),
}));
