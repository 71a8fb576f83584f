import { z } from 'zod';
import type { CacheSettings } from '../cache/settings.js';
import { integer, optionalString } from '../env.js';

/** The shared read cache, in this process and in Redis for every instance (see "Shared reads"). */

export const cacheEnv = z.object({
  CACHE_TTL_MS: integer('CACHE_TTL_MS', 2_000, 0, 3_600_000),
  CACHE_MAX_BYTES: integer('CACHE_MAX_BYTES', 128 * 1024 * 1024, 0, 64 * 1024 * 1024 * 1024),
  CACHE_STALE_IF_ERROR_MS: integer('CACHE_STALE_IF_ERROR_MS', 60_000, 0, 86_400_000),
  REDIS_URL: optionalString.refine((u) => u === undefined || /^rediss?:\/\/.+/.test(u), 'REDIS_URL must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379'),
  REDIS_TIMEOUT_MS: integer('REDIS_TIMEOUT_MS', 250, 10, 60_000),
  REDIS_KEY_PREFIX: optionalString.transform((v) => v ?? 'outbound-graph'),
  REDIS_MAX_ENTRY_BYTES: integer('REDIS_MAX_ENTRY_BYTES', 8 * 1024 * 1024, 0, 512 * 1024 * 1024),
});

export function cacheSettings(e: z.output<typeof cacheEnv>): CacheSettings {
  return {
    ttlMs: e.CACHE_TTL_MS,
    maxBytes: e.CACHE_MAX_BYTES,
    staleIfErrorMs: e.CACHE_STALE_IF_ERROR_MS,
    redis: e.REDIS_URL ? { url: e.REDIS_URL, timeoutMs: e.REDIS_TIMEOUT_MS, keyPrefix: e.REDIS_KEY_PREFIX, maxEntryBytes: e.REDIS_MAX_ENTRY_BYTES } : null,
  };
}
