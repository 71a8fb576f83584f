import { InvalidInputError } from '../domain/errors.js';
import type { BatchProgressEvent } from '../live/batch-watchers.js';
import type { EtaEstimate, ProgressSnapshot } from '../live/progress-history.js';
import { SCOPES } from '../security/auth.js';
import { grantsOf, missingScope } from '../security/grants.js';
import { BatchRef } from './batch.js';
import { builder } from './builder.js';

/** Most batches one `batchesProgress` subscription watches. */
export const MAX_WATCHED_IDS = 50;

export const BatchProgressEventRef = builder.objectRef<BatchProgressEvent>('BatchProgressEvent').implement({
  description: 'The state of a watched batch: at once when subscribing, then each time something in it changes, last when it ends.',
  fields: (t) => ({
    batch: t.field({ type: BatchRef, description: 'The batch as its vendor last said.', resolve: (event) => event.batch }),
    changed: t.exposeStringList('changed', {
      description: 'Fields of `batch` that changed since your previous event (`status`, `paused`, `expiresOn`, `statusCounts`, `progress`…; `staleSince` when the vendor stopped or started answering again). Empty in the first event.',
    }),
    at: t.field({ type: 'DateTime', description: 'When this event was sent.', resolve: (event) => event.at }),
    staleSince: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Set while the vendor fails to answer the polls: since when `batch` is all there is. The subscription stays open, and events resume when the vendor recovers.',
      resolve: (event) => event.staleSince,
    }),
  }),
});

/** Subscribing needs `batches:read`, checked once, when the subscription starts. */
function assertMayRead(grants: ReturnType<typeof grantsOf>): void {
  if (!grants.batchesRead) throw missingScope(SCOPES.read);
}

builder.subscriptionType({ description: 'Live progress of batches, over GraphQL over SSE or graphql-ws on /graphql.' });

builder.subscriptionFields((t) => ({
  batchProgress: t.field({
    type: BatchProgressEventRef,
    description:
      'Progress of one batch: its state at once, then an event whenever its status, paused flag, expiry, counts or progress change (never for a poll that changes nothing), and a last event when it ends, after which the subscription completes. However many watch a batch, it is polled once per interval (POLL_INTERVAL_MS, backing off to POLL_MAX_INTERVAL_MS while nothing changes).',
    args: { id: t.arg.id({ required: true, description: 'Global batch id.' }) },
    subscribe: (_root, { id }, ctx) => {
      assertMayRead(grantsOf(ctx.caller));
      return ctx.store.watch([id]);
    },
    resolve: (event) => event,
  }),
  batchesProgress: t.field({
    type: BatchProgressEventRef,
    description: `Progress of up to ${MAX_WATCHED_IDS} batches in one stream, each as \`batchProgress\` would send it; it completes when every one has ended.`,
    args: { ids: t.arg.idList({ required: true, description: `Global batch ids, at most ${MAX_WATCHED_IDS}.` }) },
    subscribe: (_root, { ids }, ctx) => {
      assertMayRead(grantsOf(ctx.caller));
      const unique = [...new Set(ids)];
      if (unique.length === 0 || unique.length > MAX_WATCHED_IDS) throw new InvalidInputError(`\`ids\` takes 1 to ${MAX_WATCHED_IDS} batch ids, got ${unique.length}.`, 'ids');
      return ctx.store.watch(unique);
    },
    resolve: (event) => event,
  }),
}));

const ProgressSnapshotRef = builder.objectRef<ProgressSnapshot>('ProgressSnapshot').implement({
  description: 'The normalised counts of a batch as a vendor answer gave them, at one moment.',
  fields: (t) => ({
    at: t.field({ type: 'DateTime', description: 'When the vendor gave these counts.', resolve: (s) => new Date(s.at) }),
    total: t.int({ description: 'All targets.', resolve: (s) => s.totals.total }),
    pending: t.int({ description: 'Targets not yet attempted.', resolve: (s) => s.totals.PENDING }),
    inProgress: t.int({ description: 'Targets being attempted.', resolve: (s) => s.totals.IN_PROGRESS }),
    completed: t.int({ description: 'Targets finished with a conversation.', resolve: (s) => s.totals.COMPLETED }),
    notReached: t.int({ description: 'Targets finished without reaching anyone.', resolve: (s) => s.totals.NOT_REACHED }),
    failed: t.int({ description: 'Targets that failed.', resolve: (s) => s.totals.FAILED }),
    canceled: t.int({ description: 'Targets that will not be attempted.', resolve: (s) => s.totals.CANCELED }),
    finished: t.int({ description: 'Targets in a final state.', resolve: (s) => s.totals.finished }),
  }),
});

const BatchEtaRef = builder.objectRef<EtaEstimate>('BatchEta').implement({
  description: 'When a batch will finish at its observed pace, and whether its expiry comes first.',
  fields: (t) => ({
    finishesAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The estimated finish, never in the past; null when there is none to give: finished, paused, not moving (`stalledSince`), or nothing observed yet.',
      resolve: (e) => e.finishesAt,
    }),
    callsPerHour: t.exposeFloat('callsPerHour', { nullable: true, description: 'Targets finished per hour over the recent observations (or the configured Syllable `callRate` before any).' }),
    basis: t.exposeString('basis', { description: 'How the estimate was made, for people.' }),
    expiresBeforeFinish: t.exposeBoolean('expiresBeforeFinish', { description: 'True when the batch expires before it would finish: warn that targets will be left uncalled.' }),
    unfinishedAtExpiry: t.exposeInt('unfinishedAtExpiry', { description: 'Targets that would be left when it expires, at this pace; 0 when it finishes first.' }),
    stalledSince: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'Set while a batch with targets left has stopped moving (no target finished for ten of its usual gaps, at least a minute, or its estimate would lie in the past): when one last finished. `finishesAt` is null then. Null while it moves.',
      resolve: (e) => e.stalledSince,
    }),
  }),
});

builder.objectFields(BatchRef, (t) => ({
  progressHistory: t.field({
    type: [ProgressSnapshotRef],
    description:
      'Snapshots of the counts each time a vendor answer (a poll of a watched batch, or any read) showed them changed, oldest first. Kept in this process: bounded per batch (HISTORY_PER_BATCH) and in batches (HISTORY_BATCHES).',
    args: {
      since: t.arg({ type: 'DateTime', required: false, description: 'Only snapshots at or after this instant.' }),
      last: t.arg.int({ required: false, description: 'Only the last this many (at most 1000).' }),
    },
    resolve: (b, { since, last }, ctx) => ctx.store.progressHistory(b, since ?? null, last ?? null),
  }),
  eta: t.field({
    type: BatchEtaRef,
    description: 'When the batch will finish at its observed pace, and whether its expiry comes first. Better the longer it is watched (see `progressHistory`).',
    resolve: (b, _args, ctx) => ctx.store.eta(b),
  }),
}));
