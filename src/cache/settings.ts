import type { RedisSettings } from '../redis/client.js';

/** The shared read cache. */
export interface CacheSettings {
  /** How long a vendor answer is served to every request; 0 turns caching and cross-request sharing off. @default 2000 */
  readonly ttlMs: number;
  /** Bound of the in-process cache, counted in vendor response bytes; least recently used entries go first. @default 128 MiB */
  readonly maxBytes: number;
  /** When a vendor read fails, an answer up to this old is served with a warning; 0 = off. @default 60000 */
  readonly staleIfErrorMs: number;
  /** Shared with other instances through Redis; null = this process only. */
  readonly redis: RedisSettings | null;
}


