import { SubscriptionLimitError } from '../domain/errors.js';

export interface SlotLimits {
  /** Batches watched at once by every subscription of the process (MAX_SUBSCRIPTIONS). */
  readonly max: number;
  /** Batches watched at once by one caller (MAX_SUBSCRIPTIONS_PER_CALLER). */
  readonly perCaller: number;
}

/**
 * Slots of watched batches, one per batch a subscription watches: the process holds at most
 * `max`, one caller at most `perCaller`, so no single client can take every slot. A subscription
 * takes all its slots at once or none, and gives them back exactly once.
 */
export class SubscriptionSlots {
  private total = 0;
  private readonly byCaller = new Map<string, number>();

  constructor(private readonly limits: SlotLimits) {}

  get held(): number {
    return this.total;
  }

  heldBy(caller: string): number {
    return this.byCaller.get(caller) ?? 0;
  }

  /** `count` slots for `caller`, or a SubscriptionLimitError and none; the function gives them back. */
  take(caller: string, count: number): () => void {
    const { max, perCaller } = this.limits;
    if (this.total + count > max) {
      throw new SubscriptionLimitError(`This server holds its limit of ${max} watched batches (MAX_SUBSCRIPTIONS); retry later.`, max);
    }
    const held = this.heldBy(caller);
    if (held + count > perCaller) {
      throw new SubscriptionLimitError(`You already watch ${held} batches; one caller may watch at most ${perCaller} at once (MAX_SUBSCRIPTIONS_PER_CALLER).`, perCaller);
    }
    this.total += count;
    this.byCaller.set(caller, held + count);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.total -= count;
      const left = this.heldBy(caller) - count;
      if (left > 0) this.byCaller.set(caller, left);
      else this.byCaller.delete(caller);
    };
  }
}

/**
 * The events of `source`, calling `release` exactly once when the stream ends in any way: it
 * completes, fails, or its reader leaves (`return`), even a reader that never read an event.
 */
export function releasingWhenDone<T>(source: AsyncIterable<T>, release: () => void): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let open = true;
  const finish = () => {
    if (!open) return;
    open = false;
    release();
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      try {
        const result = await iterator.next();
        if (result.done) finish();
        return result;
      } catch (error) {
        finish();
        throw error;
      }
    },
    async return(value?: unknown) {
      finish();
      await iterator.return?.(value);
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      finish();
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
  };
}
