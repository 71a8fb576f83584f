import { InvalidInputError } from './errors.js';
import type { BatchListFilter, BatchRecord, BatchStatus, ResultFilter, ResultRecord, ResultStatus, Vendor } from './model.js';

/**
 * Every filter of batches and results in one place: what the schema passes, the checks made
 * before any vendor call, what a vendor applies itself, and the matchers that apply them here
 * (the store, the shared read layer and its cache keys use the same ones).
 */

/** The filters of `batches`, as the schema passes them. */
export interface BatchFilter {
  readonly vendor?: Vendor | null;
  readonly status?: BatchStatus | null;
  /** Syllable campaign id: only Syllable batches can match. */
  readonly campaignId?: string | null;
  /** Bolna agent id: only Bolna batches can match. */
  readonly agentId?: string | null;
  /** Created at or after this instant. */
  readonly createdAfter?: Date | null;
  /** Created before this instant. */
  readonly createdBefore?: Date | null;
  /** File name contains this text, ignoring case. */
  readonly search?: string | null;
  /** Keep batches Syllable has (softly) deleted. */
  readonly includeDeleted?: boolean | null;
}

/** The filters of `batches` after their checks, in the form the vendors and the matcher use. */
export interface CheckedListFilter extends BatchListFilter {
  /** Lower-cased search text; undefined when none (an empty search matches everything). */
  readonly search?: string;
}

const MAX_SEARCH_LENGTH = 200;

/** Checks the filters that need no vendor's rules (a vendor's id formats are its adapter's). */
export function checkListFilter(filter: BatchFilter): CheckedListFilter {
  const campaignId = filter.campaignId ?? undefined;
  const agentId = filter.agentId ?? undefined;
  if (filter.createdAfter && filter.createdBefore && filter.createdAfter.getTime() >= filter.createdBefore.getTime()) {
    throw new InvalidInputError('`createdAfter` must be earlier than `createdBefore`.', 'createdAfter');
  }
  const search = filter.search?.trim().toLowerCase();
  if (search !== undefined && search.length > MAX_SEARCH_LENGTH) throw new InvalidInputError(`\`search\` is at most ${MAX_SEARCH_LENGTH} characters.`, 'search');
  return { ...(campaignId !== undefined ? { campaignId } : {}), ...(agentId !== undefined ? { agentId } : {}), ...(search ? { search } : {}) };
}

/** The vendor-side filters (campaign, agent) given, by name. */
export function vendorListFilters(check: CheckedListFilter): Array<keyof BatchListFilter> {
  return (['campaignId', 'agentId'] as const).filter((name) => check[name] !== undefined);
}

/** The part of the filters a vendor applies exactly itself. */
export function pushedListFilter(applies: ReadonlySet<keyof BatchListFilter>, check: CheckedListFilter): BatchListFilter {
  return {
    ...(check.campaignId !== undefined && applies.has('campaignId') ? { campaignId: check.campaignId } : {}),
    ...(check.agentId !== undefined && applies.has('agentId') ? { agentId: check.agentId } : {}),
  };
}

/** Whether any filter could leave a batch out (deleted batches are left out by default). */
export function hasListFilter(filter: BatchFilter): boolean {
  return !!(filter.status || filter.campaignId || filter.agentId || filter.createdAfter || filter.createdBefore || filter.search?.trim());
}

/** Whether a batch passes the vendor-side filters (agent ids are uuids: compared ignoring case). */
export function matchesListFilter(batch: BatchRecord, filter: BatchListFilter): boolean {
  return (
    (filter.campaignId === undefined || batch.campaignId === filter.campaignId) &&
    (filter.agentId === undefined || batch.agentId?.toLowerCase() === filter.agentId.toLowerCase())
  );
}

/** Every filter, applied here too: what a vendor filtered is filtered again, exactly. */
export function matchesBatch(batch: BatchRecord, filter: BatchFilter, check: CheckedListFilter): boolean {
  if (!filter.includeDeleted && batch.deletedAt !== null) return false;
  if (filter.status && batch.status !== filter.status) return false;
  if (!matchesListFilter(batch, check)) return false;
  if (filter.createdAfter || filter.createdBefore) {
    // A batch without a readable creation time cannot be placed in a range.
    const created = batch.createdAt?.date?.getTime();
    if (created === undefined) return false;
    if (filter.createdAfter && created < filter.createdAfter.getTime()) return false;
    if (filter.createdBefore && created >= filter.createdBefore.getTime()) return false;
  }
  if (check.search !== undefined && !(batch.fileName ?? '').toLowerCase().includes(check.search)) return false;
  return true;
}

/** The vendor-side filters of a list read as one string, for cache keys; '' when there are none. */
export function listFilterKey(filter: BatchListFilter): string {
  return filter.campaignId === undefined && filter.agentId === undefined ? '' : JSON.stringify([filter.campaignId ?? null, filter.agentId ?? null]);
}

/** The filters of `results`, as the schema passes them. */
export interface ResultQuery {
  readonly status?: ResultStatus | null;
  readonly referenceId?: string | null;
  readonly insightsStatus?: string | null;
}

/** The filters of `results` after their checks: undefined where not given. */
export interface CheckedResultQuery {
  readonly status?: ResultStatus;
  readonly referenceId?: string;
  readonly insightsStatus?: string;
}

export function checkResultQuery(query: ResultQuery): CheckedResultQuery {
  const referenceId = nonEmpty(query.referenceId, 'referenceId');
  const insightsStatus = nonEmpty(query.insightsStatus, 'insightsStatus');
  return { ...(query.status ? { status: query.status } : {}), ...(referenceId !== undefined ? { referenceId } : {}), ...(insightsStatus !== undefined ? { insightsStatus } : {}) };
}

/** Whether a filter of rows (the normalised `CheckedResultQuery`, or a vendor's `ResultFilter`) gives any field. */
export function givesAny(filter: CheckedResultQuery | ResultFilter): boolean {
  return Object.values(filter).some((value) => value !== undefined);
}

/**
 * The rows that equal a filter on every field it gives: the normalised filters of `results`, or a
 * vendor's own filters applied to rows at hand. Both name fields of the row itself.
 */
export function rowsMatching(rows: readonly ResultRecord[], filter: CheckedResultQuery | ResultFilter): readonly ResultRecord[] {
  const given = Object.entries(filter).filter(([, value]) => value !== undefined) as Array<[keyof ResultRecord, unknown]>;
  return given.length === 0 ? rows : rows.filter((row) => given.every(([field, value]) => row[field] === value));
}

/** The filters of a results read as one string, for cache keys: equal filters, equal keys. */
export function resultFilterKey(filter: ResultFilter): string {
  return JSON.stringify([filter.referenceId ?? null, filter.vendorStatus ?? null, filter.insightsStatus ?? null]);
}

function nonEmpty(value: string | null | undefined, field: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value.length === 0) throw new InvalidInputError(`\`${field}\` must not be empty.`, field);
  return value;
}
