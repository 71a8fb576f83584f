import type { BatchStatus, ResultStatus, Vendor } from '../generated/graphql';

/** Every value of the schema's enums, so a new one fails the typecheck until it has a label. */
export const VENDOR_LABELS: Record<Vendor, string> = { SYLLABLE: 'Syllable', BOLNA: 'Bolna' };

export const BATCH_STATUS_LABELS: Record<BatchStatus, string> = {
  ACTIVE: 'Active',
  PAUSED: 'Paused',
  PENDING: 'Pending',
  SCHEDULED: 'Scheduled',
  COMPLETED: 'Completed',
  CANCELED: 'Canceled',
  EXPIRED: 'Expired',
  FAILED: 'Failed',
  UNKNOWN: 'Unknown',
};

export const RESULT_STATUS_LABELS: Record<ResultStatus, string> = {
  PENDING: 'Pending',
  IN_PROGRESS: 'In progress',
  COMPLETED: 'Completed',
  NOT_REACHED: 'Not reached',
  FAILED: 'Failed',
  CANCELED: 'Canceled',
  UNKNOWN: 'Unknown',
};

/** States a batch does not leave: nothing to watch. */
const FINAL_STATUSES: ReadonlySet<BatchStatus> = new Set(['COMPLETED', 'CANCELED', 'EXPIRED', 'FAILED']);

export function isFinal(batch: { status: BatchStatus; deletedAt: string | null }): boolean {
  return FINAL_STATUSES.has(batch.status) || batch.deletedAt !== null;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

export function formatTime(iso: string | number): string {
  return time.format(new Date(iso));
}

/** "12 s ago", "4 min ago", "3 h ago". */
export function ago(iso: string | number, now: number): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

/** "in 25 min", "in 3 h". */
export function fromNow(iso: string, now: number): string {
  const ms = new Date(iso).getTime() - now;
  if (ms <= 0) return 'now';
  if (ms < 60_000) return 'in under a minute';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 90) return `in ${minutes} min`;
  return `in ${(minutes / 60).toFixed(1)} h`;
}

export function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—';
  return seconds < 60 ? `${Math.round(seconds)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** A `datetime-local` input's value (local time, no zone) as an instant, or null when empty. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An instant as a `datetime-local` input shows it. */
export function isoToLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
