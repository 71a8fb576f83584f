import type { CallOptions } from './call-options.js';
import { abortReason, CallAbort, type CallSignal } from './call-signal.js';


/**
 * The time a request's vendor work may take. Every vendor call, retry wait and rate-limit wait
 * of one GraphQL request shares it, so the response goes out before it. Aborts when the client
 * disconnects too. It is the options of its vendor calls itself: the timer starts when a call
 * first reads `signal` or `expiresAtMs`, and is cleared by `dispose()`.
 */
export class RequestDeadline implements CallOptions {
  /** Made at the first vendor call: a request served from the cache never needs one. */
  private controller: CallAbort | undefined;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private expiresAt = Infinity;
  private readonly onClientAbort = () => this.controller?.abort(new ClientGoneError());

  /** `client` aborts when the client leaves; listened to only once vendor work starts. */
  constructor(
    private readonly budgetMs: number,
    private readonly client?: CallSignal,
  ) {}

  /** Aborted at the deadline (reason DeadlineExceededError) or when the client leaves (ClientGoneError). */
  get signal(): CallSignal {
    this.start();
    return this.controller!.signal;
  }

  /** Epoch milliseconds at which the work must be done. */
  get expiresAtMs(): number {
    this.start();
    return this.expiresAt;
  }

  remainingMs(now = Date.now()): number {
    return Math.max(0, this.expiresAtMs - now);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.client?.removeEventListener('abort', this.onClientAbort);
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    const controller = (this.controller = new CallAbort());
    this.expiresAt = Date.now() + this.budgetMs;
    this.timer = setTimeout(() => controller.abort(new DeadlineExceededError(this.budgetMs)), this.budgetMs);
    this.timer.unref();
    if (this.client?.aborted) this.onClientAbort();
    else this.client?.addEventListener('abort', this.onClientAbort, { once: true });
  }
}

export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
  constructor(readonly budgetMs: number) {
    super(`the request deadline of ${budgetMs} ms passed`);
  }
}

export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  constructor() {
    super('the client closed the request');
  }
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts; leaves no timer behind. */
export function sleep(ms: number, signal: CallSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
