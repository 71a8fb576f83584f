/**
 * A sliding-window limit per vendor credential, shared by every request of the process: at most
 * `limit` calls in any `windowMs`. A call past the limit is given the first free slot and waits
 * for it, unless the wait would pass its deadline or too many calls already wait: then it is
 * refused at once with the time until a slot frees, so callers never build a 429 storm.
 */
export class SlidingWindowLimiter {
  /** Start times of granted calls, ascending; future ones are reservations of waiting calls. */
  private readonly slots: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxWaiting: number,
  ) {}

  /**
   * Reserves a slot no later than `latest` (epoch ms). Returns when the call may go (`at`, epoch
   * ms; `now` when at once), or `{ refusedForMs }` with how long until a slot would be free.
   */
  reserve(latest: number, now = Date.now()): { at: number } | { refusedForMs: number } {
    while (this.slots.length > 0 && (this.slots[0] ?? 0) <= now - this.windowMs) this.slots.shift();
    if (this.slots.length < this.limit) {
      this.slots.push(now);
      return { at: now };
    }
    // At this time the window holds limit - 1 of the granted calls, so one more fits.
    const slot = (this.slots[this.slots.length - this.limit] ?? now) + this.windowMs;
    const waiting = this.slots.filter((t) => t > now).length;
    if (slot > latest || waiting >= this.maxWaiting) return { refusedForMs: slot - now };
    this.slots.push(slot);
    return { at: slot };
  }

  /** Calls holding a reservation for a later slot, i.e. waiting for the rate limit. */
  waiting(now = Date.now()): number {
    let count = 0;
    for (let i = this.slots.length - 1; i >= 0 && (this.slots[i] ?? 0) > now; i -= 1) count += 1;
    return count;
  }

  /** A reservation whose caller gave up is returned, so the slot is not wasted. */
  release(at: number, now = Date.now()): void {
    const index = this.slots.lastIndexOf(at);
    if (index >= 0 && at > now) this.slots.splice(index, 1);
  }
}
