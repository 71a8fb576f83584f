export interface RetrySettings {
  /** Attempts per call, the first included. @default 3 */
  readonly maxAttempts: number;
  /** @default 250 */
  readonly baseDelayMs: number;
  /** @default 5000 */
  readonly maxDelayMs: number;
  /** Retries allowed as a share of calls over the budget window. @default 0.2 */
  readonly budgetRatio: number;
  /** Retries always allowed per budget window, however few the calls. @default 3 */
  readonly budgetFloor: number;
  /** @default 10000 */
  readonly budgetWindowMs: number;
}

/** Full-jitter exponential backoff: a random wait in [0, min(cap, base · 2^(attempt-1))]. */
export function backoffDelayMs(attempt: number, settings: Pick<RetrySettings, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** An HTTP date names its day and month in words (`Wed, 21 Oct 2015 07:28:00 GMT`). */
const HTTP_DATE = /^\s*[a-z]{3,9},?\s.*\d{2}:\d{2}:\d{2}/i;

/**
 * `Retry-After` as seconds (decimals too, though RFC 9110 says integers) or an HTTP date, in ms
 * from now; null — "no hint", normal backoff — when absent, negative or unreadable. `Date.parse`
 * alone would read `2.5` or `-1` as dates in 2001, i.e. "retry now".
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return Math.round(Number(text) * 1000);
  if (!HTTP_DATE.test(text)) return null;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Retries may be at most `budgetRatio` of calls (plus a floor) over a sliding window, so a failing
 * vendor sees little more than the first attempts: retries cannot multiply an outage.
 */
export class RetryBudget {
  private readonly calls = new TimeWindow();
  private readonly retries = new TimeWindow();

  constructor(private readonly settings: RetrySettings) {}

  recordCall(now = Date.now()): void {
    this.calls.add(now, now - this.settings.budgetWindowMs);
  }

  /** Takes a retry from the budget if one is left. */
  tryRetry(now = Date.now()): boolean {
    const since = now - this.settings.budgetWindowMs;
    const calls = this.calls.count(since);
    if (this.retries.count(since) >= this.settings.budgetRatio * calls + this.settings.budgetFloor) return false;
    this.retries.add(now, since);
    return true;
  }
}

/** Times of events in ascending order, forgetting those that left the window as it goes. */
class TimeWindow {
  private times: number[] = [];
  private start = 0;

  add(at: number, since: number): void {
    this.times.push(at);
    this.forget(since);
  }

  count(since: number): number {
    this.forget(since);
    return this.times.length - this.start;
  }

  private forget(since: number): void {
    while (this.start < this.times.length && this.times[this.start]! <= since) this.start += 1;
    // Compact now and then, so memory follows the window, not the process's age.
    if (this.start > 1024 && this.start * 2 > this.times.length) {
      this.times = this.times.slice(this.start);
      this.start = 0;
    }
  }
}
