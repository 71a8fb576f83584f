/**
 * The signal that ends a vendor call (its request's deadline, the client leaving, the last waiter
 * of a shared read leaving): the part of `AbortSignal` that the vendor code and undici use. A real
 * `AbortSignal` is one too.
 */
export interface CallSignal {
  readonly aborted: boolean;
  /** Why it aborted; undefined before. */
  readonly reason: Error | undefined;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * The controller and signal of the vendor calls of one operation, and of one shared read: made
 * for every read that misses the cache. Not an `AbortController` because of its cost: Node's
 * controllers and the listeners of its EventTarget (a request made two, with five listeners)
 * measured ~0.07 ms of CPU per cache-missing read under load (S1 of the benchmark), a sixth of
 * the whole request; this is a flag and an array. As with `AbortSignal`, each listener runs once,
 * at the abort, in the order added, and adding one twice adds it once; one that throws does not
 * keep the others from running (`abort` throws its error after them).
 */
export class CallAbort implements CallSignal {
  aborted = false;
  reason: Error | undefined = undefined;
  private listeners: Array<() => void> | null = null;

  /** The signal to hand to calls (the controller itself, seen without `abort`). */
  get signal(): CallSignal {
    return this;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.aborted) return;
    const listeners = (this.listeners ??= []);
    if (!listeners.includes(listener)) listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.listeners?.indexOf(listener) ?? -1;
    if (at >= 0) this.listeners!.splice(at, 1);
  }

  abort(reason: Error = abortedError()): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners ?? [];
    this.listeners = null;
    let failure: { error: unknown } | null = null;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        // The other listeners still run (their waiters must not hang); the first failure is thrown after them.
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}

/** Why `signal` aborted, as the error to reject with. */
export function abortReason(signal: CallSignal): Error {
  return signal.reason ?? abortedError();
}

function abortedError(): Error {
  return new DOMException('This operation was aborted', 'AbortError');
}
