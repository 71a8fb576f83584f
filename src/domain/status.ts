import type { BatchStatus, ResultStatus, StatusCountRecord, Vendor } from './model.js';

/**
 * Normalisation of vendor statuses. Tables are keyed by the upper-cased, underscore form
 * of the vendor value so that `in-progress`, `IN-PROGRESS` and `IN_PROGRESS` read alike;
 * anything not listed is UNKNOWN and the raw value is passed through beside it.
 */

function canonical(value: string): string {
  return value.trim().toUpperCase().replace(/[-\s]/g, '_');
}

function lookup<T>(table: Readonly<Record<string, T>>, value: string | null | undefined, fallback: T): T {
  if (!value) return fallback;
  return table[canonical(value)] ?? fallback;
}

const SYLLABLE_BATCH: Readonly<Record<string, BatchStatus>> = {
  PENDING: 'PENDING',
  ACTIVE: 'ACTIVE',
  PAUSED: 'PAUSED',
  FAILED: 'FAILED',
  CANCELED: 'CANCELED',
  EXPIRED: 'EXPIRED',
  // Earlier published versions of the enum (see the vendor fact sheet's history).
  COMPLETED: 'COMPLETED',
  NEW: 'PENDING',
  LOADED: 'PENDING',
  INACTIVE: 'PAUSED',
  DELETED: 'CANCELED',
};

export function normaliseSyllableBatchStatus(status: string, paused: boolean): BatchStatus {
  const normalised = lookup(SYLLABLE_BATCH, status, 'UNKNOWN');
  // `paused` is a separate flag; a paused batch that has not ended is PAUSED whatever `status` says.
  if (paused && (normalised === 'PENDING' || normalised === 'ACTIVE')) return 'PAUSED';
  return normalised;
}

const BOLNA_BATCH: Readonly<Record<string, BatchStatus>> = {
  CREATED: 'PENDING',
  SCHEDULED: 'SCHEDULED',
  QUEUED: 'ACTIVE',
  EXECUTED: 'COMPLETED',
  // Action responses report `stopped`; a batch read back in that state has been canceled.
  STOPPED: 'CANCELED',
};

export function normaliseBolnaBatchStatus(status: string): BatchStatus {
  return lookup(BOLNA_BATCH, status, 'UNKNOWN');
}

const SYLLABLE_REQUEST: Readonly<Record<string, ResultStatus>> = {
  PENDING: 'PENDING',
  QUEUEING: 'PENDING',
  INITIATED: 'IN_PROGRESS',
  CONNECTED: 'IN_PROGRESS',
  SENT: 'IN_PROGRESS',
  COMPLETED: 'COMPLETED',
  CALL_COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
  INVALID: 'FAILED',
  CANCELED: 'CANCELED',
  SKIPPED: 'CANCELED',
  DUPLICATE: 'CANCELED',
  UNSUBSCRIBED: 'CANCELED',
};

/** Channel-manager outcomes that settle what a request status leaves open. */
const SYLLABLE_CHANNEL_OUTCOME: Readonly<Record<string, ResultStatus>> = {
  COMPLETED: 'COMPLETED',
  HUMAN: 'COMPLETED',
  DELIVERED: 'COMPLETED',
  OPENED: 'COMPLETED',
  CLICKED: 'COMPLETED',
  NO_ANSWER: 'NOT_REACHED',
  BUSY: 'NOT_REACHED',
  DECLINED: 'NOT_REACHED',
  MACHINE: 'NOT_REACHED',
  UNDELIVERED: 'NOT_REACHED',
  BOUNCED: 'NOT_REACHED',
  FAILED: 'FAILED',
  UNEXPECTED_ERROR: 'FAILED',
  DELIVERY_FAILED: 'FAILED',
  SIP_NOT_FOUND: 'FAILED',
  SIP_TEMPORARILY_UNAVAILABLE: 'FAILED',
  SIP_LOOP_DETECTED: 'FAILED',
  SIP_DOES_NOT_EXIST_ANYWHERE: 'FAILED',
  CANCELED: 'CANCELED',
};

/** Channel outcomes that mean nobody was reached, whatever the request status claims. */
const NOT_REACHED_OVERRIDES = new Set(['NO_ANSWER', 'BUSY', 'DECLINED', 'MACHINE']);

/**
 * A request that is INITIATED or CONNECTED has not finished by itself: the channel status says how
 * it ended (CONNECTED + NO-ANSWER is NOT_REACHED). A COMPLETED or FAILED call whose channel says
 * nobody answered is NOT_REACHED too, so dashboards count unanswered calls once.
 */
export function normaliseSyllableResultStatus(requestStatus: string, channelStatus: string | null | undefined): ResultStatus {
  const base = lookup(SYLLABLE_REQUEST, requestStatus, 'UNKNOWN');
  if (!channelStatus) return base;
  const channel = canonical(channelStatus);
  if (base === 'IN_PROGRESS') return SYLLABLE_CHANNEL_OUTCOME[channel] ?? 'IN_PROGRESS';
  if ((base === 'COMPLETED' || base === 'FAILED') && NOT_REACHED_OVERRIDES.has(channel)) return 'NOT_REACHED';
  return base;
}

const BOLNA_EXECUTION: Readonly<Record<string, ResultStatus>> = {
  SCHEDULED: 'PENDING',
  QUEUED: 'PENDING',
  RESCHEDULED: 'PENDING',
  INITIATE: 'IN_PROGRESS',
  INITIATED: 'IN_PROGRESS',
  RINGING: 'IN_PROGRESS',
  IN_PROGRESS: 'IN_PROGRESS',
  // Post-call processing still runs after hang-up; `completed` follows.
  CALL_DISCONNECTED: 'IN_PROGRESS',
  COMPLETED: 'COMPLETED',
  BUSY: 'NOT_REACHED',
  NO_ANSWER: 'NOT_REACHED',
  FAILED: 'FAILED',
  ERROR: 'FAILED',
  BALANCE_LOW: 'FAILED',
  CANCELED: 'CANCELED',
  STOPPED: 'CANCELED',
};

export function normaliseBolnaExecutionStatus(status: string): ResultStatus {
  return lookup(BOLNA_EXECUTION, status, 'UNKNOWN');
}

const FINAL_RESULT_STATUSES: ReadonlySet<ResultStatus> = new Set(['COMPLETED', 'NOT_REACHED', 'FAILED', 'CANCELED']);

export type ProgressTotals = Record<ResultStatus, number> & { total: number; finished: number };

/**
 * Totals per normalised status. Channel breakdowns are used where present, since they
 * normalise more precisely than the request status they refine; the part of a count the
 * breakdown does not cover keeps the request status's normalisation.
 */
export function progressTotals(counts: readonly StatusCountRecord[]): ProgressTotals {
  const totals: ProgressTotals = {
    PENDING: 0,
    IN_PROGRESS: 0,
    COMPLETED: 0,
    NOT_REACHED: 0,
    FAILED: 0,
    CANCELED: 0,
    UNKNOWN: 0,
    total: 0,
    finished: 0,
  };
  for (const count of counts) {
    let covered = 0;
    for (const part of count.breakdown) {
      totals[part.status] += part.count;
      covered += part.count;
    }
    totals[count.status] += Math.max(0, count.count - covered);
    totals.total += count.count;
  }
  for (const status of FINAL_RESULT_STATUSES) totals.finished += totals[status];
  return totals;
}

/**
 * The totals of a batch whose vendor states more targets than its counts hold (a Bolna batch just
 * created, before it has an execution per contact): the targets not yet counted are pending.
 * `expected` is what the vendor will call (Bolna's valid contacts), null when it does not say.
 */
export function withUncounted(totals: ProgressTotals, expected: number | null): ProgressTotals {
  if (expected === null || expected <= totals.total) return totals;
  const uncounted = expected - totals.total;
  return { ...totals, PENDING: totals.PENDING + uncounted, total: expected };
}

/**
 * Normalised result statuses that one vendor request status means exactly, whatever the channel
 * status, so a vendor that filters by request status can be asked for them. Syllable PENDING is
 * the only one: QUEUEING, which also meant pending, left the enum in 2025-04; every other status
 * is several request statuses, or depends on the channel outcome (COMPLETED + NO-ANSWER).
 */
const EXACT_VENDOR_RESULT_STATUS: Readonly<Record<Vendor, Partial<Record<ResultStatus, string>>>> = {
  syllable: { PENDING: 'PENDING' },
  bolna: {},
};

export function exactVendorResultStatus(vendor: Vendor, status: ResultStatus): string | null {
  return EXACT_VENDOR_RESULT_STATUS[vendor][status] ?? null;
}
