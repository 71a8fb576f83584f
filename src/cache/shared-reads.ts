import { LRUCache } from 'lru-cache';
import { VendorError, vendorLabel } from '../domain/errors.js';
import type { DataWarning, Vendor } from '../domain/model.js';
import { DeadlineExceededError, sleep } from '../http/deadline.js';
import type { CallOptions } from '../http/call-options.js';
import { CallAbort } from '../http/call-signal.js';
import { callAbortedError } from '../http/vendor-http-client.js';
import type { ReadOptions } from './read-options.js';
import { patienceTimer, type Patience } from './patience.js';
import type { CacheSettings } from './settings.js';

/**
 * Vendor reads shared by every request of the process, and through a `SharedTier` (Redis) by
 * every instance:
 * - identical reads in flight at once share one vendor call (single-flight); a waiter that leaves
 *   (deadline, client gone) stops waiting without cancelling the call for the others, and the
 *   call is cancelled only when its last waiter leaves;
 * - answers are kept for `ttlMs` in a size-bounded LRU (and in Redis, filled under a short lock so
 *   one instance reads while the others wait for its answer);
 * - `evict(tags)` drops everything filed under a tag before a write answers; reads that began
 *   before the eviction neither store their answer nor serve later requests;
 * - when a vendor read fails for a reason that may pass (5xx, timeout, breaker, rate limit), an
 *   answer up to `staleIfErrorMs` old is served instead, and the request is warned.
 */

/** One kind of vendor read, as the caching adapter describes it. */
export interface SharedRead<T> {
  /** Everything that tells two reads apart: vendor account, route and filters. */
  readonly key: string;
  /** What the answer is about (a batch, a vendor's list): the unit of eviction. */
  readonly tag: string;
  readonly vendor: Vendor;
  /** Approximate bytes the answer holds, for the size bound. */
  readonly size: (value: T) => number;
  /** When the vendor gave the answer, if the value says (records carry `fetchedAt`); else now. */
  readonly answeredAt?: (value: T) => number | undefined;
  readonly fetch: (call: CallOptions) => Promise<T>;
}

/** A cache other instances share (Redis). Every method answers `null`/no-op when it is unavailable. */
export interface SharedTier {
  /** The stored answer (if any) and the tag's generation now; null when the tier is unavailable. */
  lookup(key: string, tag: string): Promise<{ hit: StoredAnswer | null; generation: string } | null>;
  /** The tag's generation now; null when unavailable. */
  generation(tag: string): Promise<string | null>;
  /**
   * Stores unless the tag's generation moved since `generation` was read (a write came between).
   * An answer over the tier's size limit (`bytes`) is marked local-only instead of stored.
   */
  store(key: string, tag: string, answer: StoredAnswer, keepMs: number, generation: string, bytes: number): Promise<void>;
  /** `acquired`: this instance fills the key; `held`: another one does; `unavailable`: fill alone. */
  lock(key: string, holdMs: number): Promise<'acquired' | 'held' | 'unavailable'>;
  unlock(key: string): Promise<void>;
  /** Moves each tag's generation on and deletes its stored answers. */
  evict(tags: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface StoredAnswer {
  readonly value: unknown;
  /** Epoch ms of the vendor answer. */
  readonly storedAt: number;
  /** Too large to share: another instance holds it for itself, and each instance reads its own. */
  readonly localOnly?: boolean;
}

interface Entry extends StoredAnswer {
  readonly tag: string;
  readonly bytes: number;
  /** The tag's generation in the shared tier when the answer was read; '' without one. */
  readonly generation: string;
}

interface Outcome {
  readonly entry: Entry;
  /** Set when the vendor failed and an older answer is served instead. */
  readonly staleBecause?: VendorError;
}

interface Flight {
  readonly promise: Promise<Outcome>;
  readonly key: string;
  readonly tag: string;
  readonly controller: CallAbort;
  waiters: number;
}

/** How long a filling instance holds the Redis lock; waiters poll for the answer meanwhile. */
const FILL_LOCK_MS = 10_000;
const FILL_POLL_MS = 15;
/** Vendor failures that may pass, during which an older answer beats none. */
const TRANSIENT_CODES = new Set(['VENDOR_TIMEOUT', 'VENDOR_UNAVAILABLE', 'RATE_LIMITED']);

export function isTransientVendorFailure(error: unknown): error is VendorError {
  if (!(error instanceof VendorError)) return false;
  return TRANSIENT_CODES.has(error.code) || (error.code === 'VENDOR_ERROR' && (error.statusCode ?? 0) >= 500);
}

/** How a read was served: from the cache, by joining a call in flight, by a new call, stale, or past the cache (a write's fresh read). */
export type CacheOutcome = 'hit' | 'miss' | 'joined' | 'stale' | 'bypass';

export class SharedReads {
  private readonly local: LRUCache<string, Entry> | null;
  /** Keys held per tag, so a tag is evicted without scanning the cache. */
  private readonly keysByTag = new Map<string, Set<string>>();
  /** Moves on at every local eviction of a tag: a read that saw an older one does not store. */
  private readonly generations = new Map<string, number>();
  private readonly flights = new Map<string, Flight>();

  constructor(
    private readonly settings: CacheSettings,
    private readonly tier: SharedTier | null = null,
    /** Told how each read was served (metrics). */
    private readonly observe: (vendor: Vendor, outcome: CacheOutcome) => void = () => {},
  ) {
    const keepMs = Math.max(settings.ttlMs, settings.staleIfErrorMs);
    this.local =
      settings.ttlMs > 0 && settings.maxBytes > 0
        ? new LRUCache<string, Entry>({
            maxSize: settings.maxBytes,
            sizeCalculation: (entry) => Math.max(1, entry.bytes),
            // An answer larger than the whole cache is served, not kept.
            maxEntrySize: settings.maxBytes,
            ttl: keepMs,
            dispose: (entry, key) => this.keysByTag.get(entry.tag)?.delete(key),
          })
        : null;
  }

  get enabled(): boolean {
    return this.settings.ttlMs > 0;
  }

  async read<T>(spec: SharedRead<T>, call: ReadOptions): Promise<T> {
    // Off, or a read that decides a write: straight to the vendor.
    if (!this.enabled || call.fresh) {
      const charged = call.budget?.spend(spec.vendor);
      if (charged) await charged;
      this.observe(spec.vendor, 'bypass');
      return call.patience === undefined ? spec.fetch(call) : withPatience(spec.fetch(call), call.patience, spec.vendor);
    }
    const local = await this.freshLocal(spec.key);
    if (local) {
      this.observe(spec.vendor, 'hit');
      return local.value as T;
    }
    let flight = this.flights.get(spec.key);
    if (!flight) {
      // Only the request that starts a vendor call pays for it; joining one in flight is free.
      const charged = call.budget?.spend(spec.vendor);
      // A caller's share kept in Redis is checked asynchronously: another request may have
      // started the same read meanwhile, and is joined rather than read twice.
      if (charged) await charged;
      flight = this.flights.get(spec.key);
    }
    if (flight) this.observe(spec.vendor, 'joined');
    else {
      this.observe(spec.vendor, 'miss');
      flight = this.startFlight(spec, call);
      this.flights.set(spec.key, flight);
    }
    const outcome = await this.wait(flight, spec, call);
    if (outcome.staleBecause) {
      this.observe(spec.vendor, 'stale');
      call.warn?.(staleWarning(spec.vendor, outcome.entry.storedAt, outcome.staleBecause));
    }
    return outcome.entry.value as T;
  }

  /** The answer kept for `key` if it is fresh, or null. Reads no vendor. */
  async peek<T>(key: string): Promise<T | null> {
    if (!this.enabled) return null;
    return ((await this.freshLocal(key))?.value as T | undefined) ?? null;
  }

  /**
   * Drops every answer filed under these tags, here and in the shared tier, and detaches reads
   * in flight for them, so the next read of any of them reaches the vendor.
   */
  async evict(tags: readonly string[]): Promise<void> {
    for (const tag of tags) {
      this.generations.set(tag, (this.generations.get(tag) ?? 0) + 1);
      for (const key of [...(this.keysByTag.get(tag) ?? [])]) this.local?.delete(key);
      this.keysByTag.delete(tag);
      for (const [key, flight] of this.flights) if (flight.tag === tag) this.flights.delete(key);
    }
    await this.tier?.evict(tags);
  }

  /** Forgets every answer kept in this process (the shared tier keeps its own until they expire). */
  clearLocal(): void {
    this.local?.clear();
    this.keysByTag.clear();
    this.flights.clear();
  }

  async close(): Promise<void> {
    await this.tier?.close();
  }

  private isFresh(entry: StoredAnswer, now = Date.now()): boolean {
    return now - entry.storedAt < this.settings.ttlMs;
  }

  /** A fresh local answer; with a shared tier, only while no other instance evicted its tag. */
  private async freshLocal(key: string): Promise<Entry | null> {
    const entry = this.local?.get(key);
    if (!entry || !this.isFresh(entry)) return null;
    if (!this.tier) return entry;
    const generation = await this.tier.generation(entry.tag);
    // Redis unavailable: this instance's copy is the best there is.
    if (generation === null || generation === entry.generation) return entry;
    this.local?.delete(key);
    return null;
  }

  private startFlight<T>(spec: SharedRead<T>, call: ReadOptions): Flight {
    const controller = new CallAbort();
    // The shared call keeps the first caller's deadline (every request has the same budget),
    // but not its cancellation: a waiter leaving does not end it for the others.
    const remaining = Math.max(0, call.expiresAtMs - Date.now());
    const timer = setTimeout(() => controller.abort(new DeadlineExceededError(remaining)), remaining);
    timer.unref();
    const flightCall: CallOptions = { signal: controller.signal, expiresAtMs: call.expiresAtMs };
    const flight: Flight = {
      key: spec.key,
      tag: spec.tag,
      controller,
      waiters: 0,
      promise: this.fill(spec, flightCall).finally(() => {
        clearTimeout(timer);
        if (this.flights.get(spec.key) === flight) this.flights.delete(spec.key);
      }),
    };
    // A flight whose waiters all left still settles; nobody handles its outcome then.
    flight.promise.catch(() => {});
    return flight;
  }

  /**
   * Waits for a flight within this caller's deadline; the last waiter to leave cancels it. A
   * caller with `patience` (a read over several vendors) stops waiting when it runs out, without
   * cancelling: the call goes on and fills the cache for the next read, and this caller gets an
   * older answer if one is kept, or a VENDOR_TIMEOUT.
   */
  private wait<T>(flight: Flight, spec: SharedRead<T>, call: ReadOptions): Promise<Outcome> {
    const vendor = spec.vendor;
    if (call.signal.aborted) return Promise.reject(callAbortedError(vendor, call.signal.reason));
    flight.waiters += 1;
    return new Promise<Outcome>((resolve, reject) => {
      let stopWaiting = () => {};
      const leave = () => {
        stopWaiting();
        call.signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        leave();
        flight.waiters -= 1;
        if (flight.waiters === 0) {
          flight.controller.abort(call.signal.reason);
          if (this.flights.get(flight.key) === flight) this.flights.delete(flight.key);
        }
        reject(callAbortedError(vendor, call.signal.reason));
      };
      call.signal.addEventListener('abort', onAbort, { once: true });
      if (call.patience !== undefined) {
        stopWaiting = patienceTimer(call.patience, (waitedMs) => {
          leave();
          flight.waiters -= 1;
          const slow = slowVendorError(vendor, waitedMs);
          this.staleAnswer(spec).then(
            (stale) => (stale ? resolve({ entry: stale, staleBecause: slow }) : reject(slow)),
            () => reject(slow),
          );
        });
      }
      flight.promise.then(
        (outcome) => {
          leave();
          call.patience?.answered();
          resolve(outcome);
        },
        (error: unknown) => {
          leave();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private async fill<T>(spec: SharedRead<T>, call: CallOptions): Promise<Outcome> {
    const localGeneration = this.generations.get(spec.tag) ?? 0;
    let sharedGeneration: string | null = null;
    let locked = false;
    try {
      if (this.tier) {
        // Another instance may hold the answer, or be reading it now: wait for it rather than
        // read the vendor too. Gives up at the deadline, or when Redis is unavailable.
        while (!call.signal.aborted) {
          const found = await this.tier.lookup(spec.key, spec.tag);
          if (!found) break;
          sharedGeneration = found.generation;
          if (found.hit && this.isFresh(found.hit)) {
            // Too large to share: the instance that read it says so; read it here too, no lock.
            if (found.hit.localOnly) break;
            return { entry: this.keep(spec, found.hit, localGeneration, found.generation) };
          }
          // Looked up again once the lock is ours: the instance that held it may have stored its
          // answer and let go between our lookup and our lock.
          if (locked) break;
          const lock = await this.tier.lock(spec.key, FILL_LOCK_MS);
          if (lock === 'unavailable') break;
          if (lock === 'acquired') locked = true;
          else await sleep(FILL_POLL_MS, call.signal);
        }
      }
      try {
        const value = await spec.fetch(call);
        const answer: StoredAnswer = { value, storedAt: spec.answeredAt?.(value) ?? Date.now() };
        const entry = this.keep(spec, answer, localGeneration, sharedGeneration ?? '');
        if (this.tier && sharedGeneration !== null && (this.generations.get(spec.tag) ?? 0) === localGeneration) {
          await this.tier.store(spec.key, spec.tag, answer, Math.max(this.settings.ttlMs, this.settings.staleIfErrorMs), sharedGeneration, entry.bytes);
        }
        return { entry };
      } catch (error) {
        const stale = isTransientVendorFailure(error) ? await this.staleAnswer(spec) : null;
        if (stale) return { entry: stale, staleBecause: error as VendorError };
        throw error;
      }
    } catch (error) {
      if (call.signal.aborted && !(error instanceof VendorError)) throw callAbortedError(spec.vendor, call.signal.reason);
      throw error;
    } finally {
      if (locked) void this.tier?.unlock(spec.key);
    }
  }

  /** Files an answer locally, unless the tag was evicted while it was being read. */
  private keep<T>(spec: SharedRead<T>, answer: StoredAnswer, localGeneration: number, sharedGeneration: string): Entry {
    const entry: Entry = { ...answer, tag: spec.tag, bytes: spec.size(answer.value as T), generation: sharedGeneration };
    if (this.local && (this.generations.get(spec.tag) ?? 0) === localGeneration) {
      this.local.set(spec.key, entry);
      if (this.local.has(spec.key)) {
        let keys = this.keysByTag.get(spec.tag);
        if (!keys) this.keysByTag.set(spec.tag, (keys = new Set()));
        keys.add(spec.key);
      }
    }
    return entry;
  }

  /** The newest answer no older than the stale-if-error window, here or in the shared tier. */
  private async staleAnswer<T>(spec: SharedRead<T>): Promise<Entry | null> {
    const window = this.settings.staleIfErrorMs;
    if (window <= 0) return null;
    const usable = (answer: StoredAnswer | null | undefined): answer is StoredAnswer => !!answer && Date.now() - answer.storedAt <= window;
    const local = this.local?.get(spec.key, { allowStale: true });
    if (usable(local)) return local;
    const shared = (await this.tier?.lookup(spec.key, spec.tag))?.hit;
    return usable(shared) && !shared.localOnly ? { ...shared, tag: spec.tag, bytes: spec.size(shared.value as T), generation: '' } : null;
  }
}

function slowVendorError(vendor: Vendor, waitedMs: number): VendorError {
  return new VendorError(
    vendor,
    'VENDOR_TIMEOUT',
    `${vendorLabel(vendor)} did not answer within ${waitedMs} ms, the most a read over several vendors waits for one (VENDOR_LIST_WAIT_MS, or a fifth more than the other vendor took).`,
  );
}

/** A read straight from the vendor, given up on (not cancelled) when `patience` runs out. */
function withPatience<T>(read: Promise<T>, patience: Patience, vendor: Vendor): Promise<T> {
  read.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const stop = patienceTimer(patience, (waitedMs) => reject(slowVendorError(vendor, waitedMs)));
    read.then(
      (value) => {
        stop();
        patience.answered();
        resolve(value);
      },
      (error: unknown) => {
        stop();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function staleWarning(vendor: Vendor, storedAt: number, error: VendorError): DataWarning {
  const ageSeconds = Math.max(0, Math.round((Date.now() - storedAt) / 1000));
  return {
    code: 'STALE_DATA',
    vendor,
    fetchedAt: storedAt,
    reason: error.code,
    message: `${vendorLabel(vendor)} is failing (${error.code}); showing its data as of ${ageSeconds} s ago.`,
  };
}
