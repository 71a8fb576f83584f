import { Prng } from './prng.js';

/**
 * Simulated time passing for running demo batches: targets move from waiting to an outcome at a
 * rate per batch, so a watched batch changes as a real one would. Computed when the vendor is
 * asked (no timers), deterministic from the seed and the clock: the n-th call of a batch always
 * has the same outcome.
 */

export interface ProgressSettings {
  /** `realtime`: running batches move as time passes; `off`: the demo data stays as generated. */
  readonly mode: 'realtime' | 'off';
  /** Calls an hour of every running batch; unset: each batch's own pace, sped up for the demo. */
  readonly ratePerHour?: number;
}

/** A demo at a campaign's real pace (a call a minute) would show no change for minutes: an hour of calls passes in a minute. */
export const DEMO_SPEED_UP = 60;

/** A simulator's clock: the real one, moved ahead by what tests ask (`POST /__sim/clock`). */
export class SimClock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += Math.max(0, ms);
  }
}

/** The clock of one running batch: how many calls are due since it last moved. */
export class BatchClock {
  private movedAt: number;
  private carry = 0;
  private readonly rng: Prng;

  constructor(startedAt: number, seed: number) {
    this.movedAt = startedAt;
    this.rng = new Prng(seed);
  }

  /** Calls due by `now` at `ratePerHour`; time before `now` is used up either way. */
  due(now: number, ratePerHour: number): number {
    if (now <= this.movedAt) return 0;
    const exact = ((now - this.movedAt) * ratePerHour) / 3_600_000 + this.carry;
    this.movedAt = now;
    const whole = Math.floor(exact);
    this.carry = exact - whole;
    return whole;
  }

  /** Time passes without calls (a paused batch): nothing is owed for it later. */
  idle(now: number): void {
    this.movedAt = Math.max(this.movedAt, now);
  }

  /** The outcome of the next call, by weight. */
  outcome<T extends string>(weights: Readonly<Record<T, number>>): T {
    return this.rng.weighted(weights);
  }
}

/**
 * The running batches of one simulator: each its own clock, and where its next waiting row is,
 * so a move does not rescan rows already placed.
 */
export class Progression<Entry extends object> {
  private readonly clocks = new Map<Entry, BatchClock>();
  private readonly cursors = new Map<Entry, number>();

  constructor(
    private readonly startedAt: number,
    private readonly seed: number,
  ) {}

  /** Time passes for a batch that places no calls now (paused, not started, ended). */
  idle(entry: Entry, id: string, now: number): void {
    this.clockOf(entry, id).idle(now);
  }

  /**
   * Places the calls due by `now`: each of the next rows `waiting` accepts is given to `place`
   * with the batch's clock (for its outcome). Answers how many were placed, and whether any row
   * is left waiting.
   */
  advance<Row>(entry: Entry, id: string, now: number, ratePerHour: number, rows: readonly Row[], waiting: (row: Row) => boolean, place: (row: Row, clock: BatchClock) => void): { placed: number; left: boolean } {
    const clock = this.clockOf(entry, id);
    const due = clock.due(now, ratePerHour);
    let index = this.cursors.get(entry) ?? 0;
    let placed = 0;
    for (; index < rows.length && placed < due; index += 1) {
      const row = rows[index]!;
      if (!waiting(row)) continue;
      place(row, clock);
      placed += 1;
    }
    this.cursors.set(entry, index);
    // Rows before the cursor are all placed or were never waiting.
    return { placed, left: rows.slice(index).some(waiting) };
  }

  private clockOf(entry: Entry, id: string): BatchClock {
    let clock = this.clocks.get(entry);
    if (!clock) this.clocks.set(entry, (clock = new BatchClock(this.startedAt, seedOf(this.seed, id))));
    return clock;
  }
}

/** A stable number for a batch id, so each batch's outcomes come from its own sequence. */
export function seedOf(seed: number, id: string): number {
  let hash = seed >>> 0;
  for (let i = 0; i < id.length; i += 1) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619) >>> 0;
  return hash;
}
