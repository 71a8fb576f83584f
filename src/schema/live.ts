import { Repeater } from 'graphql-yoga';
import { InvalidInputError } from '../domain/errors.js';
import type { BatchProgressEvent } from '../live/batch-watchers.js';
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
      return ctx.live.watch(ctx.batches.batchKey(id));
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
      const keys = unique.map((id) => ctx.batches.batchKey(id));
      return Repeater.merge(keys.map((key) => ctx.live.watch(key)));
    },
    resolve: (event) => event,
  }),
}));
