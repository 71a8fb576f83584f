/** What a read over several vendors carries in its read options: how long it waits for each vendor. */
export interface Patience {
  readonly capMs: number;
  /** A vendor read of the list starts. */
  begin(): void;
  /** A vendor answered. */
  answered(): void;
  /** Tells `listener` the others' extra wait once a vendor has answered; the function stops listening. */
  onAnswered(listener: (extraMs: number) => void): () => void;
}

/** How long a read over several vendors waits for each (VENDOR_LIST_WAIT_*). */
export interface ListWaitSettings {
  /** The longest any vendor is waited for. @default 2000 */
  readonly capMs: number;
  /** Once one vendor answered, the others' extra wait in percent of its time. @default 20 */
  readonly percent: number;
  /** The least extra wait. @default 100 */
  readonly minMs: number;
}

export const DEFAULT_LIST_WAIT: ListWaitSettings = { capMs: 2_000, percent: 20, minMs: 100 };

/**
 * How long one read over several vendors (the combined `batches` list) waits for each of them: at
 * most `capMs` (VENDOR_LIST_WAIT_MS), and once one vendor has answered, the others at most
 * `percent` of that vendor's time more, but never less than `floorMs`: a slow vendor delays the
 * list by a fifth of the healthy one's time, not by seconds. The reads it gives up on are not
 * cancelled: they fill the cache for the next request.
 */
export class ListPatience implements Patience {
  private startedAt: number | null = null;
  private extraMs: number | null = null;
  private readonly listeners = new Set<(extraMs: number) => void>();

  readonly capMs: number;
  private readonly percent: number;
  private readonly floorMs: number;

  constructor(settings: ListWaitSettings) {
    this.capMs = settings.capMs;
    this.percent = settings.percent;
    this.floorMs = settings.minMs;
  }

  /** A vendor read of the list starts; the first one starts the clock. */
  begin(): void {
    this.startedAt ??= Date.now();
  }

  /** A vendor answered: the others get their extra wait from now. */
  answered(): void {
    if (this.extraMs !== null || this.startedAt === null) return;
    const elapsed = Date.now() - this.startedAt;
    this.extraMs = Math.max(this.floorMs, Math.ceil((elapsed * this.percent) / 100));
    for (const listener of this.listeners) listener(this.extraMs);
    this.listeners.clear();
  }

  /** Tells `listener` the extra wait once a vendor has answered (at once when one has); the function stops listening. */
  onAnswered(listener: (extraMs: number) => void): () => void {
    if (this.extraMs !== null) {
      listener(this.extraMs);
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Calls `giveUp(waitedMs)` when the read has waited as long as `patience` allows: its cap, or
 * the others' extra wait once a vendor answered. The returned function cancels it (the read
 * answered first).
 */
export function patienceTimer(patience: Patience, giveUp: (waitedMs: number) => void): () => void {
  patience.begin();
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stopListening();
      giveUp(Date.now() - started);
    }, Math.max(0, ms));
    timer.unref();
  };
  arm(patience.capMs);
  const stopListening = patience.onAnswered((extraMs) => arm(Math.min(patience.capMs - (Date.now() - started), extraMs)));
  return () => {
    clearTimeout(timer);
    stopListening();
  };
}
