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

export interface RedisSettings {
  readonly url: string;
  /** A Redis command slower than this counts as Redis being unavailable. @default 250 */
  readonly timeoutMs: number;
  /** Prefix of every key, so several deployments can share one Redis. @default outbound-graph */
  readonly keyPrefix: string;
  /** Larger answers (vendor response bytes) stay in each instance's own cache. @default 8 MiB */
  readonly maxEntryBytes: number;
}
