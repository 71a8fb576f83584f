import { answerLost, BatchNotFoundError, InvalidInputError, NodeNotFoundError, UnreadableItemsError, UnsupportedOperationError, vendorLabel, WriteOutcomeUnknownError, type VendorError } from '../domain/errors.js';
import { compareBatches } from '../domain/cursors.js';
import { batchGlobalId, parseBatchId, parseGlobalId, type BatchKey, type ResultKey } from '../domain/ids.js';
import type {
  AgentRecord,
  BatchCapabilities,
  BatchChange,
  BatchControl,
  BatchListFilter,
  BatchRecord,
  BatchStatus,
  CampaignRecord,
  ResultFilter,
  ResultRecord,
  ResultStatus,
  StatusCountRecord,
  Vendor,
} from '../domain/model.js';
import { exactVendorResultStatus, progressTotals, withUncounted, type ProgressTotals } from '../domain/status.js';
import type { CallContext } from '../http/vendor-http-client.js';
import { DEFAULT_LIST_WAIT, type ListWaitSettings } from '../cache/patience.js';
import type { VendorAdapter } from '../vendors/vendor-adapter.js';
import type { VendorRegistry } from '../vendors/vendor-registry.js';
import { matchesListFilter } from '../domain/model.js';
import { createLoaders, forgetBatch, fullListKey, keyOf, replaceBatch, type Loaders } from './loaders.js';

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

export interface BatchListing {
  /** Newest first, over one sort order across vendors. */
  readonly batches: BatchRecord[];
  /** All that match, over all pages: `batches.length`, plus unreadable items when no filter could exclude them. */
  readonly totalCount: number;
  /** Vendors whose list could not be read (or not in time), with why; unreadable items too. */
  readonly failures: ReadonlyArray<{ vendor: Vendor; error: unknown }>;
  /** Vendors whose batches are missing from the list. */
  readonly incompleteVendors: readonly Vendor[];
}

/** What a delete leaves: the id and when the vendor deleted it. */
export interface DeletedBatch {
  readonly vendor: Vendor;
  readonly vendorBatchId: string;
  readonly deletedAt: Date;
}

export interface StoreOptions {
  /** How long a read over several vendors waits for each of them (VENDOR_LIST_WAIT_*). */
  readonly listWait?: ListWaitSettings;
  /** For tests of time rules (a start 2 minutes ahead). @default Date.now */
  readonly now?: () => number;
  /** Told of every write the vendor accepted (watchers poll the batch again at once). */
  readonly onWrite?: (key: BatchKey) => void;
}

/** Bolna wants a start at least this far ahead. */
const MIN_SCHEDULE_LEAD_MS = 2 * 60_000;
const MAX_SEARCH_LENGTH = 200;
const MAX_DELETE_REASON_LENGTH = 500;
/** Syllable campaign ids are integers; Bolna agent ids are uuids. */
const CAMPAIGN_ID = /^\d{1,18}$/;
const AGENT_ID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

export interface ResultQuery {
  readonly status?: ResultStatus | null;
  readonly referenceId?: string | null;
  readonly insightsStatus?: string | null;
}

export interface ResultListing {
  readonly rows: readonly ResultRecord[];
  /** Rows matching, over all pages: `rows.length`, plus unreadable rows when unfiltered. */
  readonly totalCount: number;
  /** Rows the vendor sent that could not be read, reported beside the rows. */
  readonly unreadable: UnreadableItemsError | null;
  /** Epoch ms of the vendor answer the rows come from. */
  readonly fetchedAt: number;
}

/**
 * A batch known only by its key: what `batch(id)` gives when the query asks for nothing but its
 * results, so one results read both answers and proves the batch exists. Only `id`, `vendor`,
 * `vendorBatchId` and `results` are ever resolved on it (see `BatchStore.batchForResults`).
 */
export interface BatchByKey extends BatchRecord {
  readonly onlyKey: true;
}

/**
 * Everything the schema may ask about batches, for one request: reads through per-request
 * loaders (one vendor call per resource per request, on top of the shared read layer), writes,
 * and what each vendor allows. Ids are parsed once, here at the edge, into structured keys.
 */
export class BatchStore {
  private readonly loaders: Loaders;
  /** Batches (global ids) written in this request: their loader value is the vendor's answer to the write. */
  private readonly written = new Set<string>();
  private readonly now: () => number;
  private readonly onWrite: (key: BatchKey) => void;

  constructor(
    private readonly vendors: VendorRegistry,
    private readonly call: CallContext,
    options: StoreOptions = {},
  ) {
    this.loaders = createLoaders(vendors, call, { listWait: options.listWait ?? DEFAULT_LIST_WAIT });
    this.now = options.now ?? Date.now;
    this.onWrite = options.onWrite ?? (() => {});
  }

  /** A batch id of an enabled vendor as a key; malformed ids and disabled vendors throw. */
  batchKey(id: string): BatchKey {
    const key = parseBatchId(id);
    this.vendors.assertEnabled(key.vendor);
    return key;
  }

  /** A batch by global id; NOT_FOUND when the vendor does not know it. */
  async batch(id: string): Promise<BatchRecord> {
    const batch = await this.loaders.batchById.load(this.batchKey(id));
    if (!batch) throw new BatchNotFoundError(id);
    return batch;
  }

  /** For a query that reads only a batch's results: no batch read; the results read tells whether it exists. */
  batchForResults(id: string): BatchByKey {
    const key = this.batchKey(id);
    return { ...UNREAD_BATCH, vendor: key.vendor, vendorBatchId: key.batchId, onlyKey: true };
  }

  /** A batch or a batch result by global id; unknown ids are NOT_FOUND, malformed ones INVALID_INPUT. */
  async node(id: string): Promise<BatchRecord | ResultRecord> {
    return parseGlobalId(id).kind === 'Batch' ? this.batch(id) : this.result(id);
  }

  async result(id: string): Promise<ResultRecord> {
    const key = parseGlobalId(id);
    if (key.kind !== 'BatchResult') throw new NodeNotFoundError(id, `Id "${id}" names a batch, not a batch result.`);
    this.vendors.assertEnabled(key.vendor);
    const resultKey: ResultKey = { vendor: key.vendor, batchId: key.batchId, referenceId: key.referenceId };
    const result = await this.loaders.resultById.load(resultKey);
    if (!result) throw new NodeNotFoundError(id);
    return result;
  }

  /**
   * All batches of the enabled (or chosen) vendors, filtered. One vendor failing, or not answering
   * as long as `listWait` allows while others did, does not hide the other's batches: its failure is
   * returned beside them. Only when every vendor fails does this throw.
   */
  async list(filter: BatchFilter): Promise<BatchListing> {
    const check = checkListFilter(filter);
    const chosen = filter.vendor ? [filter.vendor] : this.vendors.enabled;
    for (const vendor of chosen) this.vendors.assertEnabled(vendor);
    // A campaign names Syllable batches, an agent Bolna ones: the other vendor is not read.
    const vendors = chosen.filter((vendor) => (check.campaignId === undefined || vendor === 'syllable') && (check.agentId === undefined || vendor === 'bolna'));
    const patient = vendors.length > 1;
    const settled = await Promise.allSettled(
      vendors.map((vendor) => this.loaders.batchLists.load({ vendor, filter: pushedListFilter(this.vendors.get(vendor), check), patient })),
    );
    const failures: Array<{ vendor: Vendor; error: unknown }> = [];
    settled.forEach((outcome, i) => {
      if (outcome.status === 'rejected') failures.push({ vendor: vendors[i]!, error: outcome.reason as unknown });
    });
    if (failures.length > 0 && failures.length === vendors.length) throw failures[0]!.error;
    const incompleteVendors = failures.map((failure) => failure.vendor);
    const narrowed = hasListFilter(filter);
    let unreadable = 0;
    const all: BatchRecord[] = [];
    settled.forEach((outcome, i) => {
      if (outcome.status !== 'fulfilled') return;
      all.push(...outcome.value.records);
      const missing = outcome.value.unreadable;
      if (missing === 0) return;
      unreadable += missing;
      failures.push({ vendor: vendors[i]!, error: new UnreadableItemsError(vendors[i]!, missing, 'batches', !narrowed) });
      incompleteVendors.push(vendors[i]!);
    });
    const batches = all.filter((batch) => matchesBatch(batch, filter, check)).sort(compareBatches);
    return { batches, totalCount: batches.length + (narrowed ? 0 : unreadable), failures, incompleteVendors };
  }

  /** The campaign of a Syllable batch, read once per request and TTL however many batches share it. */
  async campaign(batch: BatchRecord): Promise<CampaignRecord | null> {
    if (batch.campaignId === null) return null;
    return this.loaders.campaignById.load({ vendor: batch.vendor, id: batch.campaignId });
  }

  /** The agent of a Bolna batch: the vendor's record, or the id alone when the vendor does not describe it. */
  async agent(batch: BatchRecord): Promise<AgentRecord | null> {
    const agentId = await this.agentId(batch);
    if (agentId === null) return null;
    return (await this.loaders.agentById.load({ vendor: batch.vendor, id: agentId })) ?? idOnlyAgent(batch.vendor, agentId);
  }

  // These answer synchronously when the record at hand holds the answer: a promise per field
  // and alias is what GraphQL execution spends most of its time on (microtasks, GC).

  /** The per-status counts, reading the batch in full only when the record at hand lacks them. */
  statusCounts(batch: BatchRecord): MaybePromise<readonly StatusCountRecord[]> {
    if (batch.statusCounts !== undefined) return batch.statusCounts;
    return this.loaders.batchDetailById.load(keyOf(batch)).then((detail) => detail?.statusCounts ?? []);
  }

  totalCount(batch: BatchRecord): MaybePromise<number> {
    if (batch.declaredTotal !== null) return batch.declaredTotal;
    return then(this.statusCounts(batch), (counts) => counts.reduce((sum, count) => sum + count.count, 0));
  }

  /**
   * Targets per normalised status, computed once per set of counts; targets the vendor states
   * but does not count yet (a Bolna batch just created) are pending.
   */
  progress(batch: BatchRecord): MaybePromise<ProgressTotals> {
    return then(this.statusCounts(batch), (counts) => withUncounted(progressOf(counts), batch.validContacts ?? batch.declaredTotal));
  }

  /** Bolna reports a batch's agent only on its agent's list, so a batch read alone looks it up there. */
  agentId(batch: BatchRecord): MaybePromise<string | null> {
    if (batch.agentId !== null || batch.vendor !== 'bolna') return batch.agentId;
    return this.loaders.batchLists.load(fullListKey('bolna')).then((list) => list.records.find((other) => other.vendorBatchId === batch.vendorBatchId)?.agentId ?? null);
  }

  capabilities(batch: BatchRecord): BatchCapabilities {
    return this.vendors.get(batch.vendor).capabilities(batch);
  }

  /**
   * A batch's results in vendor order, filtered. Filters the vendor applies exactly are sent to
   * it (Syllable: reference id, insights status, and PENDING as request status); the rest are
   * applied here, to the rows of one read.
   */
  async results(batch: BatchRecord, query: ResultQuery): Promise<ResultListing> {
    const { set, referenceId, insightsStatus } = await this.resultsRead(batch, query);
    if (!set) return { rows: [], totalCount: 0, unreadable: null, fetchedAt: Date.now() };
    const needsFiltering = query.status || referenceId !== undefined || insightsStatus !== undefined;
    const rows = needsFiltering
      ? set.rows.filter(
          (row) =>
            (!query.status || row.status === query.status) &&
            (referenceId === undefined || row.referenceId === referenceId) &&
            (insightsStatus === undefined || row.insightsStatus === insightsStatus),
        )
      : set.rows;
    const counted = !needsFiltering;
    const unreadable = set.unreadable > 0 ? new UnreadableItemsError(batch.vendor, set.unreadable, `results of batch ${batch.vendorBatchId}`, counted) : null;
    return { rows, totalCount: rows.length + (counted ? set.unreadable : 0), unreadable, fetchedAt: set.fetchedAt };
  }

  /**
   * For a batch known only by its key: throws BatchNotFoundError when the results read (the one
   * `results(query)` makes, shared through the loader) shows the vendor does not know it.
   */
  async assertResultsExist(batch: BatchByKey, query: ResultQuery): Promise<void> {
    await this.resultsRead(batch, query);
  }

  /** The vendor read behind `results`: the filters it applies itself are sent, the rest checked here. */
  private async resultsRead(batch: BatchRecord, query: ResultQuery) {
    const referenceId = nonEmpty(query.referenceId, 'referenceId');
    const insightsStatus = nonEmpty(query.insightsStatus, 'insightsStatus');
    const pushed = this.vendors.get(batch.vendor).resultFilters;
    const vendorStatus = query.status ? exactVendorResultStatus(batch.vendor, query.status) : null;
    const filter: ResultFilter = {
      ...(referenceId !== undefined && pushed.has('referenceId') ? { referenceId } : {}),
      ...(vendorStatus !== null && pushed.has('vendorStatus') ? { vendorStatus } : {}),
      ...(insightsStatus !== undefined && pushed.has('insightsStatus') ? { insightsStatus } : {}),
    };
    const set = await this.loaders.resultsByBatch.load({ ...keyOf(batch), filter });
    // Read only for its results, the batch is proven unknown by this answer.
    if (!set && 'onlyKey' in batch) throw new BatchNotFoundError(batchGlobalId(keyOf(batch)));
    return { set, referenceId, insightsStatus };
  }

  pause(id: string): Promise<BatchRecord> {
    return this.change(id, { control: 'pause', operation: 'pauseBatch', refusal: 'cannot be paused', change: { paused: true }, done: (batch) => batch.paused });
  }

  resume(id: string): Promise<BatchRecord> {
    return this.change(id, {
      control: 'resume',
      operation: 'resumeBatch',
      refusal: 'cannot be resumed',
      change: { paused: false },
      done: (batch) => !batch.paused && batch.status !== 'PAUSED',
    });
  }

  /** `expiresOn` null clears the expiry; undefined (left out) is refused, so it never clears by accident. */
  updateExpiry(id: string, expiresOn: Date | null | undefined): Promise<BatchRecord> {
    return this.change(id, {
      control: 'updateExpiry',
      operation: 'updateBatchExpiry',
      refusal: 'cannot have its expiry changed',
      checkInput: () => {
        if (expiresOn === undefined) throw new InvalidInputError('Pass `expiresOn`: an instant in the future, or null to clear the expiry.', 'expiresOn');
        if (expiresOn !== null && expiresOn.getTime() <= this.now()) {
          throw new InvalidInputError(`\`expiresOn\` must be in the future (got ${expiresOn.toISOString()}).`, 'expiresOn');
        }
      },
      change: { expiresOn },
      done: (batch) => (batch.expiresOn?.date?.getTime() ?? null) === (expiresOn?.getTime() ?? null),
    });
  }

  /**
   * The pace of a batch: `callRate` calls an hour (null clears it: the campaign's hourly rate
   * applies; left out: unchanged) and/or `autoCallRate`, which needs an expiry to pace towards.
   */
  updateCallRate(id: string, callRate: number | null | undefined, autoCallRate: boolean | null | undefined): Promise<BatchRecord> {
    const change: BatchChange = { ...(callRate !== undefined ? { callRate } : {}), ...(autoCallRate != null ? { autoCallRate } : {}) };
    return this.change(id, {
      control: 'updateCallRate',
      operation: 'updateBatchCallRate',
      refusal: 'cannot have its call rate changed',
      checkInput: () => {
        if (callRate === undefined && autoCallRate == null) throw new InvalidInputError('Pass `callRate`, `autoCallRate`, or both.', 'callRate');
        if (callRate != null && !(Number.isInteger(callRate) && callRate >= 1 && callRate <= 3600)) {
          throw new InvalidInputError(`\`callRate\` is calls an hour, from 1 to 3600 (got ${callRate}).`, 'callRate');
        }
      },
      checkState: (batch) => {
        if (autoCallRate === true && batch.expiresOn === null) {
          throw new InvalidInputError('`autoCallRate` paces the batch to finish by its expiry, and this batch has none: set one first with `updateBatchExpiry`.', 'expiresOn');
        }
      },
      change,
      done: (batch) => (callRate === undefined || batch.callRate === callRate) && (autoCallRate == null || batch.autoCallRate === autoCallRate),
    });
  }

  /**
   * Sets when a batch starts (Bolna). The start must be at least 2 minutes ahead; Bolna rounds it
   * up to the next 10 minutes, so the batch is read back to show the start it will keep.
   */
  schedule(id: string, at: Date, bypassCallGuardrails: boolean): Promise<BatchRecord> {
    return this.control(id, {
      control: 'schedule',
      operation: 'scheduleBatch',
      refusal: 'cannot be scheduled',
      checkInput: () => {
        if (at.getTime() - this.now() < MIN_SCHEDULE_LEAD_MS) {
          throw new InvalidInputError(`\`at\` must be at least 2 minutes from now, as Bolna requires (got ${at.toISOString()}).`, 'at');
        }
      },
      apply: async (adapter, before) => {
        if (!(await adapter.scheduleBatch(before.vendorBatchId, at, bypassCallGuardrails, this.call))) throw new BatchNotFoundError(batchGlobalId(keyOf(before)));
        return this.readBack(before);
      },
      // Bolna keeps the start rounded up to the next 10 minutes.
      applied: (after) => {
        const kept = after?.scheduledAt?.date?.getTime();
        return kept !== undefined && kept >= at.getTime() - 1_000 && kept < at.getTime() + 10 * 60_000 ? after : null;
      },
    });
  }

  /** Stops a running batch (Bolna): its queued calls are not placed. Cannot be undone. */
  stop(id: string): Promise<BatchRecord> {
    return this.control(id, {
      control: 'stop',
      operation: 'stopBatch',
      refusal: 'cannot be stopped: Bolna stops only a batch that is queued or running',
      // Stopped: it no longer runs.
      applied: (after) => (after && after.status !== 'ACTIVE' ? after : null),
      apply: async (adapter, before) => {
        if (!(await adapter.stopBatch(before.vendorBatchId, this.call))) {
          // The batch was read a moment ago: a 404 here is Bolna's "Batch is not queued or running".
          throw new UnsupportedOperationError(`Bolna refused to stop batch "${before.vendorBatchId}": it is not queued or running.`, 'stopBatch', before.vendor);
        }
        return this.readBack(before);
      },
    });
  }

  /** Deletes a batch: Syllable keeps it readable with `deletedAt` set; Bolna removes it. */
  delete(id: string, reason: string): Promise<DeletedBatch> {
    const trimmed = reason.trim();
    const key = this.batchKey(id);
    return this.control(id, {
      control: 'delete',
      operation: 'deleteBatch',
      refusal: 'cannot be deleted',
      checkInput: () => {
        if (trimmed === '') throw new InvalidInputError('`reason` must say why the batch is deleted (Syllable keeps it with the batch).', 'reason');
        if (trimmed.length > MAX_DELETE_REASON_LENGTH) throw new InvalidInputError(`\`reason\` is at most ${MAX_DELETE_REASON_LENGTH} characters.`, 'reason');
      },
      done: (batch) => (batch.deletedAt?.date ? { vendor: batch.vendor, vendorBatchId: batch.vendorBatchId, deletedAt: batch.deletedAt.date } : null),
      // Kept with `deletedAt` (Syllable), or gone (Bolna).
      applied: (after) =>
        after === null
          ? { vendor: key.vendor, vendorBatchId: key.batchId, deletedAt: new Date() }
          : after.deletedAt?.date
            ? { vendor: after.vendor, vendorBatchId: after.vendorBatchId, deletedAt: after.deletedAt.date }
            : null,
      apply: async (adapter, before) => {
        const receipt = await adapter.deleteBatch(before.vendorBatchId, trimmed, this.call);
        if (!receipt) throw new BatchNotFoundError(batchGlobalId(keyOf(before)));
        forgetBatch(this.loaders, keyOf(before));
        this.written.delete(batchGlobalId(keyOf(before)));
        // A batch the vendor keeps says when it was deleted: the answer matches what reads show.
        const kept = receipt.kept ? await this.readBack(before).catch(() => null) : null;
        return { vendor: before.vendor, vendorBatchId: before.vendorBatchId, deletedAt: kept?.deletedAt?.date ?? receipt.deletedAt };
      },
    });
  }

  /** A change the vendor answers with the batch (pause, resume, expiry, pace). */
  private change(id: string, command: ChangeCommand): Promise<BatchRecord> {
    return this.control(id, {
      ...command,
      done: (batch) => (command.done(batch) ? batch : null),
      apply: async (adapter, before) => {
        const updated = await adapter.updateBatch(before.vendorBatchId, command.change, this.call);
        if (!updated) throw new BatchNotFoundError(batchGlobalId(keyOf(before)));
        // The write answer carries no counts; a pause, an expiry or a pace does not change them,
        // so the counts read a moment ago in this request stay valid and spare a second read.
        const merged: BatchRecord = {
          ...updated,
          statusCounts: updated.statusCounts ?? before.statusCounts,
          declaredTotal: updated.declaredTotal ?? before.declaredTotal,
          agentId: updated.agentId ?? before.agentId,
        };
        this.remember(merged);
        return merged;
      },
    });
  }

  /**
   * One control of a batch, in an order that spends nothing on what must be refused: the id, the
   * vendor's controls and the arguments are checked with no vendor call; then the batch is read
   * from the vendor (never a cached answer: a decision to write, or not, is made on the vendor's
   * state), what its state allows is checked, and only then is the write sent. A control already
   * in effect succeeds without a write.
   */
  private async control<T>(id: string, command: ControlCommand<T>): Promise<T> {
    const key = this.batchKey(id);
    const adapter = this.vendors.get(key.vendor);
    if (!adapter.controls.has(command.control)) throw new UnsupportedOperationError(adapter.unsupported(command.control), command.operation, key.vendor);
    command.checkInput?.();
    const before = await this.currentState(key);
    const done = command.done?.(before) ?? null;
    if (done !== null) return done;
    if (!adapter.capabilities(before)[command.control]) {
      const deleted = before.deletedAt !== null ? ', deleted' : '';
      throw new UnsupportedOperationError(
        `${vendorLabel(before.vendor)} batch "${before.vendorBatchId}" ${command.refusal} (status ${before.status}, vendor status ${before.vendorStatus}${deleted}).`,
        command.operation,
        before.vendor,
      );
    }
    command.checkState?.(before);
    let result: T;
    try {
      result = await command.apply(adapter, before);
    } catch (error) {
      if (!answerLost(error)) throw error;
      this.onWrite(key);
      return this.afterLostAnswer(key, command, error);
    }
    this.onWrite(key);
    return result;
  }

  /**
   * The write was sent and its answer lost: the vendor may have applied it. It is never sent
   * again; the batch is read back, and the answer is the change if the batch shows it, else a
   * WriteOutcomeUnknownError carrying the batch as read back.
   */
  private async afterLostAnswer<T>(key: BatchKey, command: ControlCommand<T>, lost: VendorError): Promise<T> {
    let after: BatchRecord | null;
    try {
      after = await this.readFresh(key);
    } catch (error) {
      if (!(error instanceof BatchNotFoundError)) throw new WriteOutcomeUnknownError(command.operation, key.vendor, null, lost);
      after = null;
    }
    if (after) this.remember(after);
    const applied = command.applied ? command.applied(after) : after ? (command.done?.(after) ?? null) : null;
    if (applied !== null) return applied;
    throw new WriteOutcomeUnknownError(command.operation, key.vendor, after, lost);
  }

  /** After a write the vendor answers without the batch: the batch as the vendor now has it. */
  private async readBack(before: BatchRecord): Promise<BatchRecord> {
    const after = await this.readFresh(keyOf(before));
    // A single read of a Bolna batch does not name its agent; the state before the write did.
    const merged: BatchRecord = { ...after, agentId: after.agentId ?? before.agentId };
    this.remember(merged);
    return merged;
  }

  /** What a write left is what the rest of this request reads. */
  private remember(record: BatchRecord): void {
    replaceBatch(this.loaders, record);
    this.written.add(batchGlobalId(keyOf(record)));
  }

  private async currentState(key: BatchKey): Promise<BatchRecord> {
    if (this.written.has(batchGlobalId(key))) {
      const known = await this.loaders.batchDetailById.load(key);
      if (known) return known;
    }
    const fresh = await this.readFresh(key);
    replaceBatch(this.loaders, fresh);
    return fresh;
  }

  /** The batch as the vendor has it now, past every cache: what a write is decided on, or shows. */
  private async readFresh(key: BatchKey): Promise<BatchRecord> {
    const fresh = await this.vendors.get(key.vendor).getBatch(key.batchId, { ...this.call, fresh: true });
    if (!fresh) throw new BatchNotFoundError(batchGlobalId(key));
    return fresh;
  }
}

type MaybePromise<T> = T | Promise<T>;

function then<T, R>(value: MaybePromise<T>, map: (value: T) => R): MaybePromise<R> {
  return value instanceof Promise ? value.then(map) : map(value);
}

/** Counts arrays are shared by every request while cached: their totals are computed once. */
const progressByCounts = new WeakMap<readonly StatusCountRecord[], ProgressTotals>();

function progressOf(counts: readonly StatusCountRecord[]): ProgressTotals {
  let totals = progressByCounts.get(counts);
  if (!totals) progressByCounts.set(counts, (totals = progressTotals(counts)));
  return totals;
}

interface ControlCommand<T> {
  readonly control: BatchControl;
  /** The mutation, as errors name it. */
  readonly operation: string;
  /** How a refusal for the batch's state reads: "batch x <refusal> (status …)". */
  readonly refusal: string;
  /** Checks of the arguments alone, made before any vendor call. */
  readonly checkInput?: () => void;
  /** Checks of the arguments against the batch (a pace needs an expiry), before the write. */
  readonly checkState?: (batch: BatchRecord) => void;
  /** The answer when the batch already is as the control would leave it; null otherwise. */
  readonly done?: (batch: BatchRecord) => T | null;
  /**
   * After a lost answer: the answer when the batch as read back (null: gone) shows the control
   * applied, else null. @default `done`
   */
  readonly applied?: (after: BatchRecord | null) => T | null;
  readonly apply: (adapter: VendorAdapter, before: BatchRecord) => Promise<T>;
}

interface ChangeCommand extends Omit<ControlCommand<BatchRecord>, 'apply' | 'done'> {
  readonly change: BatchChange;
  /** True when the batch already is as the change would leave it. */
  readonly done: (batch: BatchRecord) => boolean;
}

/** The filters of `batches` after their checks, in the form the vendors and the matcher use. */
interface CheckedListFilter {
  readonly campaignId?: string;
  readonly agentId?: string;
  /** Lower-cased search text; undefined when none (an empty search matches everything). */
  readonly search?: string;
}

function checkListFilter(filter: BatchFilter): CheckedListFilter {
  const campaignId = filter.campaignId ?? undefined;
  if (campaignId !== undefined && !CAMPAIGN_ID.test(campaignId)) throw new InvalidInputError(`\`campaignId\` is a Syllable campaign id, an integer (got "${campaignId.slice(0, 40)}").`, 'campaignId');
  const agentId = filter.agentId ?? undefined;
  if (agentId !== undefined && !AGENT_ID.test(agentId)) throw new InvalidInputError(`\`agentId\` is a Bolna agent id, a uuid (got "${agentId.slice(0, 40)}").`, 'agentId');
  if (filter.createdAfter && filter.createdBefore && filter.createdAfter.getTime() >= filter.createdBefore.getTime()) {
    throw new InvalidInputError('`createdAfter` must be earlier than `createdBefore`.', 'createdAfter');
  }
  const search = filter.search?.trim().toLowerCase();
  if (search !== undefined && search.length > MAX_SEARCH_LENGTH) throw new InvalidInputError(`\`search\` is at most ${MAX_SEARCH_LENGTH} characters.`, 'search');
  return { ...(campaignId !== undefined ? { campaignId } : {}), ...(agentId !== undefined ? { agentId } : {}), ...(search ? { search } : {}) };
}

/** The part of the filters a vendor applies exactly itself. */
function pushedListFilter(adapter: VendorAdapter, check: CheckedListFilter): BatchListFilter {
  return {
    ...(check.campaignId !== undefined && adapter.listFilters.has('campaignId') ? { campaignId: check.campaignId } : {}),
    ...(check.agentId !== undefined && adapter.listFilters.has('agentId') ? { agentId: check.agentId } : {}),
  };
}

/** Whether any filter could leave a batch out (deleted batches are left out by default). */
function hasListFilter(filter: BatchFilter): boolean {
  return !!(filter.status || filter.campaignId || filter.agentId || filter.createdAfter || filter.createdBefore || filter.search?.trim());
}

/** Every filter, applied here too: what a vendor filtered is filtered again, exactly. */
function matchesBatch(batch: BatchRecord, filter: BatchFilter, check: CheckedListFilter): boolean {
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

function idOnlyAgent(vendor: Vendor, id: string): AgentRecord {
  return { vendor, id, name: null, agentType: null, status: null, createdAt: null, updatedAt: null };
}

function nonEmpty(value: string | null | undefined, field: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value.length === 0) throw new InvalidInputError(`\`${field}\` must not be empty.`, field);
  return value;
}

/** The fields of a batch known only by key; never resolved (see BatchByKey). */
const UNREAD_BATCH: Omit<BatchRecord, 'vendor' | 'vendorBatchId'> = {
  status: 'UNKNOWN',
  vendorStatus: '',
  paused: false,
  expiresOn: null,
  scheduledAt: null,
  createdAt: null,
  updatedAt: null,
  lastUpdatedBy: null,
  fileName: null,
  errorMessage: null,
  campaignId: null,
  agentId: null,
  callRate: null,
  autoCallRate: null,
  autoCallRateBaseline: null,
  dispatchId: null,
  deletedAt: null,
  deletedReason: null,
  fromPhoneNumbers: [],
  validContacts: null,
  statusCounts: undefined,
  declaredTotal: null,
  fetchedAt: 0,
};
