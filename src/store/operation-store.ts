import type { SharedVendor } from '../cache/caching-adapter.js';
import type { ListWaitSettings } from '../cache/patience.js';
import { readOptions } from '../cache/read-options.js';
import { InvalidInputError } from '../domain/errors.js';
import type { BatchRecord, OperationWarning } from '../domain/model.js';
import type { CallSignal } from '../http/call-signal.js';
import { RequestDeadline } from '../http/deadline.js';
import type { BatchProgressEvent, BatchWatchers } from '../live/batch-watchers.js';
import { estimateFinish, type EtaEstimate, type HistoryStore, type ProgressSnapshot } from '../live/progress-history.js';
import type { Caller } from '../security/auth.js';
import type { CallerVendorBudgets } from '../security/caller-vendor-budget.js';
import { VendorCallBudget } from '../security/vendor-call-budget.js';
import type { VendorRegistry } from '../vendors/vendor-registry.js';
import { BatchCommands } from './batch-commands.js';
import { BatchLaunches, type LaunchSources } from './batch-launches.js';
import { BatchReads } from './batch-reads.js';
import { keyOf } from './loaders.js';

/** What every operation's store draws on: the process's vendors, watchers and history, and its limits. */
export interface StoreSources {
  readonly vendors: VendorRegistry<SharedVendor>;
  readonly watchers: BatchWatchers;
  readonly history: HistoryStore;
  /** Each caller's share of the vendors' budgets (CALLER_VENDOR_BUDGET_PERCENT); null: no share. */
  readonly callerBudgets: CallerVendorBudgets | null;
  /** Vendor calls one operation (or one event) may start. */
  readonly maxVendorCalls: number;
  /** Deadline of one operation's (or one event's) vendor work. */
  readonly deadlineMs: number;
  /** How long a read over several vendors waits for each. */
  readonly listWait: ListWaitSettings;
  /** Idempotency keys of creates, and uploads. */
  readonly launches: LaunchSources;
  /** PUBLIC_URL: the start of the links the API gives; null for paths on its own origin. */
  readonly publicUrl: string | null;
}

/** Data a field had to leave out while the rest of it answered (one vendor of two down), and where. */
export interface PartialFailure {
  readonly error: unknown;
  readonly path: ReadonlyArray<string | number>;
}

/** The most snapshots `progressHistory` gives at once. */
const MAX_HISTORY = 1_000;

/**
 * The store of one operation, or of one event of a subscription: the only way a resolver reaches
 * vendors, watched batches and their history. Each has its own loaders (what one field read is
 * what every other field of it sees, and nothing older), its own deadline and its own budget of
 * vendor calls. A subscription's events each get a store of their own (`forEvent`), so every
 * field of every event is as the vendor says at that event.
 */
export class OperationStore {
  readonly reads: BatchReads;
  readonly commands: BatchCommands;
  /** Target lists checked, and batches created from them. */
  readonly launches: BatchLaunches;
  readonly deadline: RequestDeadline;
  readonly budget: VendorCallBudget;
  /** Warnings about data served (older answers while a vendor fails) or a retry made, for `extensions.warnings`. */
  readonly warnings: OperationWarning[] = [];
  /** Data left out of fields that answered, each to be an error at its path. */
  readonly partial: PartialFailure[] = [];

  constructor(
    private readonly sources: StoreSources,
    readonly caller: Caller,
    clientSignal?: CallSignal,
  ) {
    this.deadline = new RequestDeadline(sources.deadlineMs, clientSignal);
    const { callerBudgets } = sources;
    this.budget = new VendorCallBudget(sources.maxVendorCalls, callerBudgets ? (vendor) => callerBudgets.charge(caller.key, vendor) : null);
    const call = readOptions(this.deadline, {
      warn: (warning) => {
        // One warning per vendor and answer age is enough for a client to show.
        if (!this.warnings.some((w) => w.code === 'STALE_DATA' && w.vendor === warning.vendor && w.fetchedAt === warning.fetchedAt)) this.warnings.push(warning);
      },
      budget: this.budget,
    });
    this.reads = new BatchReads(sources.vendors, call, sources.listWait);
    // A change made through this API is shown to the batch's watchers at once, not at the next poll.
    this.commands = new BatchCommands(this.reads, { onWrite: (key) => sources.watchers.nudge(key), allowCalls: (calls) => this.budget.allow(calls) });
    this.launches = new BatchLaunches(this.reads, sources.launches, caller, (warning) => this.warnings.push(warning));
  }

  /** The store of one event of this operation's subscription: fresh loaders, deadline and budget, the same caller. */
  forEvent(): OperationStore {
    return new OperationStore(this.sources, this.caller);
  }

  /** The operation is answered: its deadline's timer goes. */
  finish(): void {
    this.deadline.dispose();
  }

  /** Leaves out data a field could not read while the field answers with the rest. */
  reportPartial(error: unknown, path: ReadonlyArray<string | number>): void {
    this.partial.push({ error, path });
  }

  /** A link to a path of this API, as clients reach it. */
  link(path: string): string {
    return `${this.sources.publicUrl ?? ''}${path}`;
  }

  /** Vendor calls this operation started. */
  get vendorCalls(): number {
    return this.budget.spent;
  }

  /**
   * The events of these batches for this caller (SUBSCRIPTION_LIMIT past the process's or the
   * caller's slots); ids are checked first, and a disabled vendor is refused.
   */
  watch(ids: readonly string[]): AsyncIterable<BatchProgressEvent> {
    return this.sources.watchers.watch(
      ids.map((id) => this.reads.batchKey(id)),
      this.caller.key,
    );
  }

  /** Snapshots of a batch's counts, oldest first: since an instant, and/or the last `last`. */
  progressHistory(batch: BatchRecord, since: Date | null, last: number | null): Promise<readonly ProgressSnapshot[]> {
    if (last != null && (last < 0 || last > MAX_HISTORY)) throw new InvalidInputError(`\`last\` must be between 0 and ${MAX_HISTORY}.`, 'last');
    return this.sources.history.of(keyOf(batch), since?.getTime() ?? null, last);
  }

  /** When the batch will finish at its observed pace, and whether its expiry comes first. */
  async eta(batch: BatchRecord): Promise<EtaEstimate> {
    const totals = await this.reads.progress(batch);
    return estimateFinish(batch, totals, await this.sources.history.of(keyOf(batch)));
  }
}
