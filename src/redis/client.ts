import { Redis } from 'ioredis';

/** Where the Redis shared by the instances is, and how patient to be with it. */
export interface RedisSettings {
  readonly url: string;
  /** A Redis command slower than this counts as Redis being unavailable. @default 250 */
  readonly timeoutMs: number;
  /** Prefix of every key, so several deployments can share one Redis. @default outbound-graph */
  readonly keyPrefix: string;
  /** Larger answers (vendor response bytes) stay in each instance's own cache. @default 8 MiB */
  readonly maxEntryBytes: number;
}

/**
 * A Redis client that fails fast instead of queueing: no offline queue, no retries of a command,
 * a command timeout; it reconnects on its own in the background. The read cache, the fleet and
 * the progress history each open theirs with this.
 */
export function createRedisClient(settings: RedisSettings): Redis {
  return new Redis(settings.url, {
    enableOfflineQueue: false,
    commandTimeout: settings.timeoutMs,
    connectTimeout: Math.max(1_000, settings.timeoutMs * 4),
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(times * 100, 2_000),
    lazyConnect: false,
  });
}

/** Resolves true once `redis` is connected, false after `ms` without. */
export function untilReady(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}
