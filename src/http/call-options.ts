import type { CallSignal } from './call-signal.js';

/**
 * What a vendor call needs to know of the request it belongs to: when its time is up, and the
 * signal that ends it (the deadline, or the client leaving). What the read cache needs besides
 * is the cache's (src/cache/read-options.ts).
 */
export interface CallOptions {
  readonly signal: CallSignal;
  /** Epoch ms by which the call, its retries and its waits must be over. */
  readonly expiresAtMs: number;
}
