import { LRUCache } from 'lru-cache';
import { LaunchInProgressError } from '../domain/errors.js';
import type { Vendor } from '../domain/model.js';

/**
 * What this API remembers of each `createBatch` idempotency key, for a day: the input it came
 * with (a fingerprint) and how far the create got, so the same key answers the same batch
 * without a second create and finishes a create that stopped half-way. In this process, or in
 * Redis for every replica and across restarts (src/fleet/fleet-launch-ledger.ts).
 */

/** How long a key is remembered. */
export const LAUNCH_KEY_TTL_MS = 24 * 3_600_000;

/**
 * How far a create got: `sending` (the create was sent, its answer not yet had: the batch may
 * exist), `created` (it exists; its targets may still need loading), `loaded` (it holds its
 * targets; it may still need starting), `done`.
 */
export type LaunchStage = 'sending' | 'created' | 'loaded' | 'done';

export interface LaunchEntry {
  readonly fingerprint: string;
  readonly vendor: Vendor;
  readonly stage: LaunchStage;
  /** The vendor's id of the batch, once known. */
  readonly vendorBatchId: string | null;
  /** Epoch ms of the first call with the key. */
  readonly since: number;
}

export interface LaunchLedger {
  read(key: string): Promise<LaunchEntry | null>;
  write(key: string, entry: LaunchEntry): Promise<void>;
  /** The create was refused outright: nothing was made, the key is free again. */
  forget(key: string): Promise<void>;
  /**
   * Runs `work` as the only holder of `key` (here, and across the fleet): a second call with the
   * same key waits up to `waitMs` for the first to finish, then runs (and finds what it left).
   * Throws LaunchInProgressError when the key is still held after `waitMs`.
   */
  exclusive<T>(key: string, waitMs: number, work: () => Promise<T>): Promise<T>;
}

/** A key's lock, held in this process: each holder waits for the one before. */
export class LocalKeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async exclusive<T>(key: string, waitMs: number, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    try {
      let timer: NodeJS.Timeout | undefined;
      const waited = await Promise.race([before.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), waitMs)))]);
      clearTimeout(timer);
      if (!waited) throw new LaunchInProgressError();
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

export class LocalLaunchLedger implements LaunchLedger {
  private readonly entries = new LRUCache<string, LaunchEntry>({ max: 100_000, ttl: LAUNCH_KEY_TTL_MS });
  private readonly locks = new LocalKeyLocks();

  read(key: string): Promise<LaunchEntry | null> {
    return Promise.resolve(this.entries.get(key) ?? null);
  }

  write(key: string, entry: LaunchEntry): Promise<void> {
    // A key is remembered for a day from its first call, not from its last step.
    this.entries.set(key, entry, { ttl: Math.max(1, entry.since + LAUNCH_KEY_TTL_MS - Date.now()) });
    return Promise.resolve();
  }

  forget(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  exclusive<T>(key: string, waitMs: number, work: () => Promise<T>): Promise<T> {
    return this.locks.exclusive(key, waitMs, work);
  }
}
