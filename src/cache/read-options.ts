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
  return new DeferredReadOptions(call, extra);
}

/** `read` with some of what the cache needs changed: the same deadline, signal, budget and warnings. */
export function readWith(read: ReadOptions, changes: Omit<ReadOptions, keyof CallOptions>): ReadOptions {
  return new DeferredReadOptions(read, { warn: read.warn, budget: read.budget, patience: read.patience, fresh: read.fresh, ...changes });
}

/** The same read, past any shared cache: its answer decides a write. */
export function freshRead(read: ReadOptions): ReadOptions {
  return readWith(read, { fresh: true });
}

/**
 * A class rather than an object literal with getters and a spread: made for every request, 0.03–0.05 µs
 * against 0.56. (So it is not spread either: a spread copies no getter; see readWith.)
 */
class DeferredReadOptions implements ReadOptions {
  readonly warn?: (warning: DataWarning) => void;
  readonly fresh?: boolean;
  readonly budget?: { spend(vendor: Vendor): void | Promise<void> };
  readonly patience?: Patience;

  constructor(
    private readonly call: CallOptions,
    extra: Omit<ReadOptions, keyof CallOptions>,
  ) {
    this.warn = extra.warn;
    this.fresh = extra.fresh;
    this.budget = extra.budget;
    this.patience = extra.patience;
  }

  get signal(): CallOptions['signal'] {
    return this.call.signal;
  }

  get expiresAtMs(): number {
    return this.call.expiresAtMs;
  }
}
