import type { DataWarning, Vendor } from '../domain/model.js';
import type { CallOptions } from '../http/call-options.js';
import type { Patience } from './patience.js';

/** A vendor read as the shared read layer takes it: the call's deadline and signal, and how to share it. */
export interface ReadOptions extends CallOptions {
  /** Where the request collects warnings about the data it is given (stale answers). */
  readonly warn?: (warning: DataWarning) => void;
  /** Read the vendor itself, past any shared cache: the answer decides a write. */
  readonly fresh?: boolean;
  /** Counts the vendor calls the request starts, and refuses those past its budget (or its caller's share). */
  readonly budget?: { spend(vendor: Vendor): void | Promise<void> };
  /**
   * How long a reader waits for a shared read (a combined list does not wait for its slowest
   * vendor): past it, an older answer or a VENDOR_TIMEOUT, while the vendor call goes on.
   */
  readonly patience?: Patience;
}

/**
 * Read options over `call`, whose deadline is read only when a vendor call starts (a request
 * served from the cache never starts its deadline), with what the cache needs besides.
 */
export function readOptions(call: CallOptions, extra: Omit<ReadOptions, keyof CallOptions> = {}): ReadOptions {
  return {
    get signal() {
      return call.signal;
    },
    get expiresAtMs() {
      return call.expiresAtMs;
    },
    ...extra,
  };
}
