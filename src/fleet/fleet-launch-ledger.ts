import { randomBytes } from 'node:crypto';
import { LaunchInProgressError, ServiceUnavailableError } from '../domain/errors.js';
import { LAUNCH_KEY_TTL_MS, LocalKeyLocks, type LaunchEntry, type LaunchLedger } from '../launch/launch-ledger.js';
import type { Redis } from 'ioredis';
import type { FleetLink } from './fleet-link.js';

/** Deletes the lock only if this holder still has it. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** A holder that died keeps the key no longer than this. */
const LOCK_TTL_MS = 120_000;
const LOCK_POLL_MS = 50;

/**
 * The idempotency keys of `createBatch` in Redis: every replica, and a restarted one, answers a
 * key the same way, and two calls with one key on two replicas create once (a lock per key,
 * `SET NX PX`). Without Redis a create is refused (SERVICE_UNAVAILABLE) rather than risk a second
 * batch: a replica alone cannot know what another made.
 */
export class FleetLaunchLedger implements LaunchLedger {
  private readonly local = new LocalKeyLocks();

  constructor(private readonly fleet: FleetLink) {}

  async read(key: string): Promise<LaunchEntry | null> {
    const text = await this.command((redis) => redis.get(this.entryKey(key)));
    return text === null ? null : (JSON.parse(text) as LaunchEntry);
  }

  async write(key: string, entry: LaunchEntry): Promise<void> {
    const ttl = Math.max(1, entry.since + LAUNCH_KEY_TTL_MS - Date.now());
    await this.command((redis) => redis.set(this.entryKey(key), JSON.stringify(entry), 'PX', ttl));
  }

  async forget(key: string): Promise<void> {
    await this.command((redis) => redis.del(this.entryKey(key)));
  }

  /** Held here first (no Redis polling between callers of one replica), then across the fleet. */
  exclusive<T>(key: string, waitMs: number, work: () => Promise<T>): Promise<T> {
    const until = Date.now() + waitMs;
    return this.local.exclusive(key, waitMs, async () => {
      const lock = this.fleet.key('launch-lock', key);
      const token = randomBytes(12).toString('hex');
      while ((await this.command((redis) => redis.set(lock, token, 'PX', LOCK_TTL_MS, 'NX'))) !== 'OK') {
        if (Date.now() + LOCK_POLL_MS > until) throw new LaunchInProgressError();
        await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      }
      try {
        return await work();
      } finally {
        await this.fleet.redis.eval(RELEASE, 1, lock, token).catch(() => {});
      }
    });
  }

  private entryKey(key: string): string {
    return this.fleet.key('launch', key);
  }

  private command<T>(run: (redis: Redis) => Promise<T>): Promise<T> {
    return this.fleet.required(run, unavailable);
  }
}

function unavailable(): ServiceUnavailableError {
  return new ServiceUnavailableError('Redis, which keeps the idempotency keys of every replica, is not answering: nothing was created. Try again shortly with the same key.');
}
