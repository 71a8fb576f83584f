import { RESULT_STATUSES, type ResultStatus, type StatusCountRecord } from '../domain/model.js';
import type { ProgressTotals } from '../domain/status.js';
import { builder } from './builder.js';

const RESULT_STATUS_DESCRIPTIONS: Record<ResultStatus, string> = {
  PENDING: 'Not yet attempted: waiting, queued or rescheduled.',
  IN_PROGRESS: 'Being attempted: dialling, ringing, connected, or in post-call processing.',
  COMPLETED: 'Finished with a conversation.',
  NOT_REACHED: 'Finished without reaching anyone: no answer, busy, declined, voicemail.',
  FAILED: 'Could not be attempted or failed: invalid number, carrier or platform error, low balance.',
  CANCELED: 'Will not be attempted: canceled, stopped, skipped or a duplicate.',
  UNKNOWN: 'A vendor status this API does not know yet; see `vendorStatus`.',
};

export const ResultStatusEnum = builder.enumType('ResultStatus', {
  description: 'Normalised state of one target of a batch, the same for every vendor.',
  values: Object.fromEntries(RESULT_STATUSES.map((status) => [status, { value: status, description: RESULT_STATUS_DESCRIPTIONS[status] }])),
});

export const StatusCountRef = builder.objectRef<StatusCountRecord>('StatusCount');

StatusCountRef.implement({
  description: 'How many targets of a batch are in one vendor status.',
  fields: (t) => ({
    status: t.field({ type: ResultStatusEnum, description: 'The vendor status, normalised.', resolve: (c) => c.status }),
    vendorStatus: t.exposeString('vendorStatus', { description: 'The status exactly as the vendor names it (e.g. `CONNECTED`, `no-answer`).' }),
    count: t.exposeInt('count', { description: 'Number of targets in this status.' }),
    breakdown: t.field({
      type: [StatusCountRef],
      description:
        'Finer counts within this status: for Syllable, per channel-manager status (`NO-ANSWER`, `BUSY`…), each normalised on its own. Empty when the vendor gives none.',
      resolve: (c) => c.breakdown,
    }),
  }),
});

export const ProgressRef = builder.objectRef<ProgressTotals>('BatchProgress').implement({
  description: 'Targets per normalised status, for a progress bar. Channel-level breakdowns are used where the vendor gives them.',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'All targets counted.' }),
    pending: t.exposeInt('PENDING', { description: 'Targets not yet attempted.' }),
    inProgress: t.exposeInt('IN_PROGRESS', { description: 'Targets being attempted.' }),
    completed: t.exposeInt('COMPLETED', { description: 'Targets finished with a conversation.' }),
    notReached: t.exposeInt('NOT_REACHED', { description: 'Targets finished without reaching anyone.' }),
    failed: t.exposeInt('FAILED', { description: 'Targets that failed.' }),
    canceled: t.exposeInt('CANCELED', { description: 'Targets that will not be attempted.' }),
    unknown: t.exposeInt('UNKNOWN', { description: 'Targets in a vendor status this API does not know.' }),
    finished: t.exposeInt('finished', { description: 'Targets in a final state: completed, not reached, failed or canceled.' }),
    finishedFraction: t.float({
      description: 'Share of targets in a final state, from 0 to 1 (`finished / total`); 0 for an empty batch. For the share that ended in a conversation, divide `completed` by `total`.',
      resolve: (p) => (p.total === 0 ? 0 : p.finished / p.total),
    }),
    completedFraction: t.float({
      description: 'Share of targets in a final state (`finished / total`), despite its name.',
      deprecationReason: 'Counts every finished target, not only the completed ones: use `finishedFraction` (the same value), or `completed / total` for the share completed.',
      resolve: (p) => (p.total === 0 ? 0 : p.finished / p.total),
    }),
  }),
});
