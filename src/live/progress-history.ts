import { LRUCache } from 'lru-cache';
import { batchGlobalId, type BatchKey } from '../domain/ids.js';
import type { BatchRecord } from '../domain/model.js';
import { progressTotals, type ProgressTotals } from '../domain/status.js';

/**
 * The observed progress of batches over time. Neither vendor keeps history, only current counts:
 * every vendor answer with counts (polls and ordinary reads) adds a snapshot when the counts
 * changed. Kept in this process, bounded per batch (oldest dropped) and in batches (least
 * recently observed dropped).
 */

export interface ProgressSnapshot {
  /** When the vendor gave these counts (epoch ms). */
  readonly at: number;
  readonly totals: ProgressTotals;
}

export interface HistorySettings {
  /** Snapshots kept per batch. @default 1000 */
  readonly perBatch: number;
  /** Batches whose history is kept (in this process). @default 10000 */
  readonly batches: number;
  /** Snapshots older than this are dropped (in Redis, a batch's whole history after this long unobserved). @default 7 days */
  readonly maxAgeMs: number;
}

/** Where snapshots are kept: this process, or Redis for every instance. */
export interface HistoryStore {
  /** A vendor answer about a batch: kept when its counts differ from the last kept. */
  observe(batch: BatchRecord): void;
  /** Snapshots of a batch, oldest first: since an instant, and/or the last `last` of them. */
  of(key: BatchKey, since?: number | null, last?: number | null): Promise<readonly ProgressSnapshot[]>;
  close(): Promise<void>;
}

/** Keeps what passes `since`, `last` and the age bound, oldest first. */
export function selectSnapshots(snapshots: readonly ProgressSnapshot[], maxAgeMs: number, since?: number | null, last?: number | null, now = Date.now()): readonly ProgressSnapshot[] {
  const from = Math.max(since ?? -Infinity, now - maxAgeMs);
  let selected = snapshots.filter((snapshot) => snapshot.at >= from);
  if (last != null) selected = selected.slice(Math.max(0, selected.length - last));
  return selected;
}

export class ProgressHistory implements HistoryStore {
  private readonly byBatch: LRUCache<string, ProgressSnapshot[]>;

  constructor(private readonly settings: HistorySettings) {
    this.byBatch = new LRUCache({ max: Math.max(1, settings.batches) });
  }

  observe(batch: BatchRecord): void {
    if (batch.statusCounts === undefined) return;
    const key = batchGlobalId({ vendor: batch.vendor, batchId: batch.vendorBatchId });
    const totals = progressTotals(batch.statusCounts);
    let snapshots = this.byBatch.get(key);
    if (!snapshots) this.byBatch.set(key, (snapshots = []));
    const last = snapshots.at(-1);
    if (last && (last.at >= batch.fetchedAt || sameTotals(last.totals, totals))) return;
    snapshots.push({ at: batch.fetchedAt, totals });
    if (snapshots.length > this.settings.perBatch) snapshots.splice(0, snapshots.length - this.settings.perBatch);
  }

  of(key: BatchKey, since?: number | null, last?: number | null): Promise<readonly ProgressSnapshot[]> {
    return Promise.resolve(selectSnapshots(this.byBatch.get(batchGlobalId(key)) ?? [], this.settings.maxAgeMs, since, last));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function sameTotals(a: ProgressTotals, b: ProgressTotals): boolean {
  return a.total === b.total && a.PENDING === b.PENDING && a.IN_PROGRESS === b.IN_PROGRESS && a.finished === b.finished && a.COMPLETED === b.COMPLETED && a.FAILED === b.FAILED && a.NOT_REACHED === b.NOT_REACHED && a.CANCELED === b.CANCELED;
}

/** How long a batch will take, from what was observed. */
export interface EtaEstimate {
  readonly finishesAt: Date | null;
  readonly callsPerHour: number | null;
  readonly basis: string;
  readonly expiresBeforeFinish: boolean;
  /** Targets that would be left when the batch expires (0 when it finishes first or has no expiry). */
  readonly unfinishedAtExpiry: number;
  /** Since when a batch with targets left has not moved (its estimate would lie in the past); null while it moves. */
  readonly stalledSince: Date | null;
}

/** Snapshots this recent are the window the rate is measured over. */
const RATE_WINDOW_MS = 30 * 60_000;
/** A batch is not moving when nothing finished for this many of its usual gaps between finishes… */
const STALLED_GAPS = 10;
/** …and at least this long. */
const STALLED_MIN_MS = 60_000;

/**
 * The finish of a batch at its observed pace: targets finished per hour over the last half hour of
 * snapshots (for Syllable, the configured `call_rate` when nothing was observed yet).
 */
export function estimateFinish(batch: BatchRecord, current: ProgressTotals, snapshots: readonly ProgressSnapshot[], now = Date.now()): EtaEstimate {
  const remaining = current.total - current.finished;
  const expiresAt = batch.expiresOn?.date?.getTime() ?? null;
  const result = (finishesAt: number | null, callsPerHour: number | null, basis: string, stalledSince: number | null = null): EtaEstimate => {
    // Without a pace nothing can be said of the expiry either.
    const expiresBeforeFinish = expiresAt !== null && finishesAt !== null && callsPerHour !== null && remaining > 0 && expiresAt < finishesAt;
    const hoursToExpiry = expiresAt === null ? 0 : Math.max(0, (expiresAt - now) / 3_600_000);
    const unfinishedAtExpiry = expiresBeforeFinish ? Math.max(0, Math.ceil(remaining - callsPerHour * hoursToExpiry)) : 0;
    return { finishesAt: finishesAt === null ? null : new Date(finishesAt), callsPerHour, basis, expiresBeforeFinish, unfinishedAtExpiry, stalledSince: stalledSince === null ? null : new Date(stalledSince) };
  };
  // A finished batch has nothing left to estimate.
  if (remaining <= 0) return result(null, null, 'finished: no target is left');
  if (batch.paused || batch.status === 'PAUSED') return result(null, null, 'paused: no estimate while the batch is on hold');
  const recent = snapshots.filter((snapshot) => snapshot.at >= (snapshots.at(-1)?.at ?? now) - RATE_WINDOW_MS);
  const first = recent[0];
  const last = recent.at(-1);
  if (first && last && last.at > first.at && last.totals.finished > first.totals.finished) {
    const perHour = ((last.totals.finished - first.totals.finished) * 3_600_000) / (last.at - first.at);
    const finishesAt = last.at + (remaining / perHour) * 3_600_000;
    // Snapshots are taken when counts change: a last one long ago means nothing moved since.
    const quiet = now - last.at;
    if (finishesAt < now || quiet > Math.max(STALLED_MIN_MS, (STALLED_GAPS * 3_600_000) / perHour)) {
      return result(null, null, `not moving: ${remaining} targets left, none finished for ${describeSpan(quiet)} (it was ${Math.round(perHour)} an hour)`, last.at);
    }
    const minutes = Math.max(1, Math.round((last.at - first.at) / 60_000));
    return result(finishesAt, perHour, `observed: ${last.totals.finished - first.totals.finished} targets finished over ${minutes} min of ${recent.length} snapshots`);
  }
  if (batch.callRate) return result(now + (remaining / batch.callRate) * 3_600_000, batch.callRate, 'configured: the batch call_rate, nothing observed yet');
  return result(null, null, 'unknown: not enough observations yet (watch the batch, or read it again later)');
}

/** A span for people: seconds below two minutes, else minutes. */
function describeSpan(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
