import { LRUCache } from 'lru-cache';

/** A webhook body (or signature) seen within this long is a replay. */
export const REPLAY_WINDOW_MS = 60 * 60_000;

/**
 * Remembers what was received, so it is acted on once: in this process, or in Redis for the fleet
 * (src/fleet/fleet-replay-guard.ts). `firstTime` is true the first time a key is offered within `ttlMs`.
 */
export interface ReplayGuard {
  firstTime(key: string, ttlMs: number): Promise<boolean>;
}

export class LocalReplayGuard implements ReplayGuard {
  private readonly seen = new LRUCache<string, true>({ max: 100_000, ttl: REPLAY_WINDOW_MS });

  firstTime(key: string, ttlMs: number): Promise<boolean> {
    if (this.seen.has(key)) return Promise.resolve(false);
    this.seen.set(key, true, { ttl: ttlMs });
    return Promise.resolve(true);
  }
}

