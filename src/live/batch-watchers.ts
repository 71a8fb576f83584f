import { Repeater } from 'graphql-yoga';
import { BatchNotFoundError } from '../domain/errors.js';
import { batchGlobalId, type BatchKey } from '../domain/ids.js';
import type { BatchRecord, BatchStatus, Vendor } from '../domain/model.js';
import { RequestDeadline } from '../http/deadline.js';
import type { Logger } from '../logger.js';
import type { SharedVendor } from '../cache/caching-adapter.js';
import { readOptions } from '../cache/read-options.js';
import type { VendorRegistry } from '../vendors/vendor-registry.js';
import type { LiveSettings } from './settings.js';
import { releasingWhenDone, SubscriptionSlots } from './subscription-slots.js';

/**
 * Live progress: one poll loop per watched batch in this process, however many subscribers it
 * has. Polls read through the shared read layer, so a poll and a dashboard reload in the same TTL
 * cost one vendor read. Each subscriber gets the current state at once, then an event only when
 * something it can see changed, and a last event when the batch ends.
 */

/** The watchers' part of the live settings, with what the server derives for them. */
export interface WatchSettings extends Pick<LiveSettings, 'pollIntervalMs' | 'pollMaxIntervalMs' | 'maxSubscriptions' | 'maxSubscriptionsPerCaller'> {
  /** Deadline of one poll. @default 25000 */
  readonly pollDeadlineMs: number;
  /**
   * Polls a minute all watched batches of a vendor may make together: a share of its rate limit
   * (POLL_BUDGET_PERCENT), so polls never starve requests. 0 = no bound (a vendor without one).
   */
  readonly pollsPerMinute: Readonly<Record<Vendor, number>>;
}

export interface BatchProgressEvent {
  readonly batch: BatchRecord;
  /** The fields that changed since the subscriber's previous event; empty on the first. */
  readonly changed: readonly string[];
  readonly at: Date;
  /** Since when the vendor has failed to answer the polls; null while it answers. */
  readonly staleSince: Date | null;
}

/** What a batch's poller tells the other replicas of a fleet, or asks of it. */
export type SharedPollOutcome =
  | { readonly kind: 'observed'; readonly batch: BatchRecord; readonly staleSince: Date | null }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'gone' }
  | { readonly kind: 'nudge'; readonly fresh: boolean };

/**
 * Who polls a batch when several replicas watch it (src/fleet/fleet-pollers.ts): one holds its
 * lease and polls, the others hear what it saw. Without a fleet every process polls for itself.
 */
export interface PollCoordinator {
  /** False while the fleet cannot be reached: every replica then polls for itself. */
  readonly shared: boolean;
  /** The part of each vendor's poll budget this replica may spend. */
  budgetShare(): number;
  /** Takes or renews the batch's lease for `ttlMs`; true when this replica is to poll. */
  claim(batchId: string, ttlMs: number): Promise<boolean>;
  release(batchId: string): void;
  publish(batchId: string, outcome: SharedPollOutcome): void;
  /** What other replicas publish of the batch; the returned function stops listening. */
  listen(batchId: string, handler: (outcome: SharedPollOutcome) => void): () => void;
}

const TERMINAL: ReadonlySet<BatchStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'EXPIRED']);

/** A batch that will not change any more: its watch ends with this state. */
function isTerminal(batch: BatchRecord): boolean {
  return TERMINAL.has(batch.status) || batch.deletedAt !== null;
}

/** What subscribers can see change, by GraphQL field: a poll that changes none of it is no event. */
function fingerprint(batch: BatchRecord): Record<string, string> {
  const counts = JSON.stringify((batch.statusCounts ?? []).map((c) => [c.vendorStatus, c.count, c.breakdown.map((b) => [b.vendorStatus, b.count])]));
  return {
    status: batch.status,
    vendorStatus: batch.vendorStatus,
    paused: String(batch.paused),
    expiresOn: batch.expiresOn?.raw ?? '',
    scheduledAt: batch.scheduledAt?.raw ?? '',
    callRate: `${batch.callRate}/${batch.autoCallRate}`,
    deletedAt: batch.deletedAt?.raw ?? '',
    statusCounts: counts,
    progress: counts,
  };
}

function differences(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(after).filter((field) => before[field] !== after[field]);
}

interface Subscriber {
  push(event: BatchProgressEvent): void;
  fail(error: Error): void;
  end(): void;
  /** The fingerprint of the last event this subscriber got; null before its first. */
  seen: Record<string, string> | null;
  /** Whether that event said the data was stale. */
  stale: boolean;
}

interface Watch {
  readonly key: BatchKey;
  readonly subscribers: Set<Subscriber>;
  last: { batch: BatchRecord; fingerprint: Record<string, string> } | null;
  intervalMs: number;
  timer: NodeJS.Timeout | undefined;
  polling: boolean;
  failingSince: number | null;
  /** The next poll reads past the cache (a webhook said the batch changed). */
  fresh: boolean;
  /** When a vendor webhook last told of this batch: polls slow down while they come. */
  webhookAt: number;
  /** When a webhook last made this replica read the batch (epoch ms; 0 before the first). */
  webhookReadAt: number;
  /** When the scheduled poll is due (epoch ms); Infinity when none is scheduled. */
  dueAt: number;
  /** In a fleet: this replica holds the batch's poll lease. */
  holder: boolean;
  /** In a fleet: stops hearing the other replicas' polls of the batch. */
  unlisten: (() => void) | null;
}

export class BatchWatchers {
  private readonly watches = new Map<string, Watch>();
  private readonly slots: SubscriptionSlots;
  private closed = false;

  constructor(
    private readonly vendors: VendorRegistry<SharedVendor>,
    private readonly settings: WatchSettings,
    private readonly logger: Logger,
    private readonly coordinator: PollCoordinator | null = null,
    /** Told of every poll this process makes (metrics). */
    private readonly observer: { polled(vendor: Vendor): void } | null = null,
  ) {
    this.slots = new SubscriptionSlots({ max: settings.maxSubscriptions, perCaller: settings.maxSubscriptionsPerCaller });
  }

  /** Batches watched now by every subscription, and by one caller's. */
  heldSlots(caller?: string): number {
    return caller === undefined ? this.slots.held : this.slots.heldBy(caller);
  }

  /**
   * One subscriber's events for these batches, in one stream: each batch's state at once, then its
   * changes, until each has ended or the subscriber leaves. It takes one slot per batch, all or
   * none (SUBSCRIPTION_LIMIT), and gives them back however the stream ends.
   */
  watch(keys: readonly BatchKey[], caller: string): AsyncIterable<BatchProgressEvent> {
    for (const key of keys) this.vendors.assertEnabled(key.vendor);
    const release = this.slots.take(caller, keys.length);
    const streams = keys.map((key) => this.follow(key));
    return releasingWhenDone(streams.length === 1 ? streams[0]! : Repeater.merge(streams), release);
  }

  /** A subscriber's events for one batch; it ends after the terminal event, or when the subscriber leaves. */
  private follow(key: BatchKey): AsyncIterable<BatchProgressEvent> {
    return new Repeater<BatchProgressEvent>(async (push, stop) => {
      const subscriber: Subscriber = {
        push: (event) => void push(event),
        fail: (error) => stop(error),
        end: () => stop(),
        seen: null,
        stale: false,
      };
      const watch = this.watchOf(key);
      watch.subscribers.add(subscriber);
      // A state already known is this subscriber's first event; otherwise the first poll brings it.
      if (watch.last) this.deliver(subscriber, watch.last.batch, watch.last.fingerprint, watch.failingSince === null ? null : new Date(watch.last.batch.fetchedAt));
      else if (!watch.polling && watch.timer === undefined) this.schedule(watch, 0);
      await stop;
      watch.subscribers.delete(subscriber);
      if (watch.subscribers.size === 0) this.forget(watch);
    });
  }

  /** After a change through this API: poll the batch now, at the base interval again. */
  nudge(key: BatchKey): void {
    const watch = this.watches.get(batchGlobalId(key));
    this.askHolder(key, watch, false);
    if (!watch) return;
    watch.intervalMs = this.settings.pollIntervalMs;
    this.pollNow(watch);
  }

  /**
   * A vendor webhook told of a change to this batch: read it soon, past the cache, and poll it
   * less while webhooks keep coming. However many webhooks come, they cause at most one read per
   * poll interval (and none beyond the vendor's poll budget). False when nobody watches the batch
   * (nothing is done).
   */
  webhook(key: BatchKey): boolean {
    const watch = this.watches.get(batchGlobalId(key));
    this.askHolder(key, watch, true);
    if (!watch) return false;
    watch.webhookAt = Date.now();
    this.readSoon(watch);
    return true;
  }

  /**
   * A fresh read for webhooks: at once, unless a webhook made one within the last poll interval
   * (or the vendor's poll budget allows none so soon); then one when it does, however many came.
   */
  private readSoon(watch: Watch): void {
    watch.fresh = true;
    if (this.coordinator?.shared && !watch.holder && watch.last !== null) return;
    if (watch.polling) return;
    const gap = Math.max(this.settings.pollIntervalMs, this.budgetIntervalMs(watch.key.vendor));
    const delay = Math.max(0, watch.webhookReadAt + gap - Date.now());
    if (watch.dueAt <= Date.now() + delay) return;
    watch.webhookReadAt = Date.now() + delay;
    this.schedule(watch, delay);
  }

  /** A poll at once, unless one is running (its answer is as new), or another replica polls the batch. */
  private pollNow(watch: Watch): void {
    if (this.coordinator?.shared && !watch.holder && watch.last !== null) return;
    if (!watch.polling) this.schedule(watch, 0);
  }

  /** In a fleet, the replica that polls the batch (unless it is this one) is asked to poll it now. */
  private askHolder(key: BatchKey, watch: Watch | undefined, fresh: boolean): void {
    if (this.coordinator?.shared && !watch?.holder) this.coordinator.publish(batchGlobalId(key), { kind: 'nudge', fresh });
  }

  /** What the replica polling a batch saw, or asks: handled as if this replica had polled. */
  private heard(watch: Watch, outcome: SharedPollOutcome): void {
    if (this.watches.get(batchGlobalId(watch.key)) !== watch) return;
    switch (outcome.kind) {
      case 'observed':
        this.observe(watch, outcome.batch, outcome.staleSince);
        return;
      case 'failed':
        this.failed(watch, new Error(outcome.message));
        return;
      case 'gone':
        this.gone(watch);
        return;
      case 'nudge':
        if (!watch.holder) return;
        // A webhook's nudge is coalesced like the webhooks this replica hears itself.
        if (outcome.fresh) return this.readSoon(watch);
        watch.intervalMs = this.settings.pollIntervalMs;
        this.pollNow(watch);
    }
  }

  close(): void {
    this.closed = true;
    for (const watch of this.watches.values()) {
      clearTimeout(watch.timer);
      for (const subscriber of watch.subscribers) subscriber.end();
    }
    this.watches.clear();
  }

  private watchOf(key: BatchKey): Watch {
    const id = batchGlobalId(key);
    let watch = this.watches.get(id);
    if (!watch) {
      watch = {
        key,
        subscribers: new Set(),
        last: null,
        intervalMs: this.settings.pollIntervalMs,
        timer: undefined,
        polling: false,
        failingSince: null,
        fresh: false,
        webhookAt: 0,
        webhookReadAt: 0,
        dueAt: Infinity,
        holder: false,
        unlisten: null,
      };
      this.watches.set(id, watch);
      const created = watch;
      if (this.coordinator) created.unlisten = this.coordinator.listen(id, (outcome) => this.heard(created, outcome));
    }
    return watch;
  }

  private forget(watch: Watch): void {
    clearTimeout(watch.timer);
    watch.timer = undefined;
    watch.dueAt = Infinity;
    const id = batchGlobalId(watch.key);
    if (this.watches.get(id) === watch) this.watches.delete(id);
    watch.unlisten?.();
    watch.unlisten = null;
    // The lease goes at once, so a replica still watching takes over without waiting for it to end.
    if (watch.holder) this.coordinator?.release(id);
    watch.holder = false;
  }

  private gone(watch: Watch): void {
    for (const subscriber of watch.subscribers) subscriber.fail(new BatchNotFoundError(batchGlobalId(watch.key)));
    this.forget(watch);
  }

  private schedule(watch: Watch, delayMs: number): void {
    clearTimeout(watch.timer);
    watch.dueAt = Date.now() + delayMs;
    watch.timer = setTimeout(() => void this.poll(watch), delayMs);
    watch.timer.unref();
  }

  private async poll(watch: Watch): Promise<void> {
    watch.timer = undefined;
    watch.dueAt = Infinity;
    if (this.closed || watch.subscribers.size === 0) return;
    watch.polling = true;
    const id = batchGlobalId(watch.key);
    // In a fleet only the lease holder polls; a batch this replica has no state of yet is read
    // once here (through the shared reads), so its subscribers' first event does not wait.
    if (this.coordinator && watch.last !== null) {
      watch.holder = await this.coordinator.claim(id, this.leaseMs(watch.intervalMs));
      if (!watch.holder) {
        watch.polling = false;
        // Checked again at the base interval: the holder's lease ends soon after it stops renewing.
        if (watch.subscribers.size > 0 && this.watches.get(id) === watch) this.schedule(watch, this.settings.pollIntervalMs);
        return;
      }
    }
    this.observer?.polled(watch.key.vendor);
    const deadline = new RequestDeadline(this.settings.pollDeadlineMs);
    // The read layer may answer with an older copy while the vendor fails: that is stale too.
    let staleSince: Date | null = null;
    const call = readOptions(deadline, { warn: (warning) => (staleSince = new Date(warning.fetchedAt)), fresh: watch.fresh });
    watch.fresh = false;
    try {
      const batch = await this.vendors.get(watch.key.vendor).getBatch(watch.key.batchId, call);
      if (!batch) {
        if (watch.holder) this.coordinator?.publish(id, { kind: 'gone' });
        this.gone(watch);
        return;
      }
      if (watch.holder) this.coordinator?.publish(id, { kind: 'observed', batch, staleSince });
      this.observe(watch, batch, staleSince);
    } catch (error) {
      if (watch.holder) this.coordinator?.publish(id, { kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      this.failed(watch, error);
    } finally {
      deadline.dispose();
      watch.polling = false;
    }
    // While webhooks come, they tell of changes: polls only confirm, at the longest interval.
    const hearing = Date.now() - watch.webhookAt < this.settings.pollMaxIntervalMs;
    const interval = hearing ? this.settings.pollMaxIntervalMs : watch.intervalMs;
    if (watch.subscribers.size > 0 && this.watches.get(id) === watch) {
      const next = Math.max(interval, this.budgetIntervalMs(watch.key.vendor));
      this.schedule(watch, next);
      // The lease lasts until just past the next poll, which renews it.
      if (watch.holder) void this.coordinator?.claim(id, this.leaseMs(next));
      // A webhook came while this poll ran: its read comes as soon as the interval allows.
      if (watch.fresh) this.readSoon(watch);
    }
  }

  /** A lease that outlives the holder's next poll by half an interval, so another replica takes over within two. */
  private leaseMs(intervalMs: number): number {
    return Math.ceil(intervalMs * 1.5) + 250;
  }

  /**
   * The shortest interval the vendor's poll budget allows each of its watched batches: with more
   * batches than the budget polls at the base interval, every interval stretches evenly.
   */
  private budgetIntervalMs(vendor: Vendor): number {
    const perMinute = this.settings.pollsPerMinute[vendor] * (this.coordinator?.budgetShare() ?? 1);
    if (!perMinute) return 0;
    let watched = 0;
    for (const watch of this.watches.values()) if (watch.key.vendor === vendor) watched += 1;
    return Math.ceil((watched * 60_000) / perMinute);
  }

  /** A poll's answer: an event to each subscriber that has not seen this state, the last one when it ends. */
  private observe(watch: Watch, batch: BatchRecord, staleSince: Date | null): void {
    const print = fingerprint(batch);
    const changed = watch.last === null || differences(watch.last.fingerprint, print).length > 0;
    watch.failingSince = staleSince === null ? null : (watch.failingSince ?? Date.now());
    watch.last = { batch, fingerprint: print };
    for (const subscriber of watch.subscribers) this.deliver(subscriber, batch, print, staleSince);
    // Changing: poll at the base interval; unchanged: back off, up to the longest interval.
    watch.intervalMs = changed ? this.settings.pollIntervalMs : Math.min(this.settings.pollMaxIntervalMs, watch.intervalMs * 2);
    if (isTerminal(batch) && staleSince === null) {
      for (const subscriber of watch.subscribers) subscriber.end();
      this.forget(watch);
    }
  }

  /** An event for one subscriber: its first, or one naming what changed since its previous one (staleness included). */
  private deliver(subscriber: Subscriber, batch: BatchRecord, print: Record<string, string>, staleSince: Date | null = null): void {
    const stale = staleSince !== null;
    let changed: string[] = [];
    if (subscriber.seen !== null) {
      changed = differences(subscriber.seen, print);
      if (stale !== subscriber.stale) changed.push('staleSince');
      if (changed.length === 0) return;
    }
    subscriber.seen = print;
    subscriber.stale = stale;
    subscriber.push({ batch, changed, at: new Date(), staleSince });
  }

  /** A failed poll: subscribers are told once that the data is stale, and the watch goes on. */
  private failed(watch: Watch, error: unknown): void {
    this.logger.debug({ batch: batchGlobalId(watch.key), error: error instanceof Error ? error.message : String(error) }, 'poll failed');
    if (watch.failingSince !== null) {
      watch.intervalMs = Math.min(this.settings.pollMaxIntervalMs, watch.intervalMs * 2);
      return;
    }
    watch.failingSince = Date.now();
    const since = new Date(watch.last?.batch.fetchedAt ?? watch.failingSince);
    if (!watch.last) {
      // Nothing to show yet: the subscribers get the error, and the watch ends.
      for (const subscriber of watch.subscribers) subscriber.fail(error instanceof Error ? error : new Error(String(error)));
      this.forget(watch);
      return;
    }
    for (const subscriber of watch.subscribers) if (subscriber.seen !== null) this.deliver(subscriber, watch.last.batch, watch.last.fingerprint, since);
  }
}
