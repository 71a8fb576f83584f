export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  /** Consecutive failures that open the breaker. @default 5 */
  readonly consecutiveFailures: number;
  /** Failure share (0..1) over the window that opens it, once `minCalls` were made. @default 0.5 */
  readonly failureRate: number;
  /** @default 10 */
  readonly minCalls: number;
  /** @default 10000 */
  readonly windowMs: number;
  /** How long it stays open before one probe may pass. @default 30000 */
  readonly openMs: number;
}

type State = { kind: 'closed' } | { kind: 'open'; until: number } | { kind: 'half-open'; probing: boolean };

/**
 * One breaker per vendor. Open: calls fail at once without reaching the vendor. After `openMs`
 * one probe goes through; its success closes the breaker, its failure opens it again.
 */
export class CircuitBreaker {
  private state: State = { kind: 'closed' };
  private consecutive = 0;
  /** Outcomes in the window, oldest first from `start`; `failures` counts the failed ones. */
  private outcomes: Array<{ at: number; failed: boolean }> = [];
  private start = 0;
  private failures = 0;

  constructor(private readonly settings: BreakerSettings) {}

  /** Whether a call may go now; in half-open state only one probe at a time. */
  tryPass(now = Date.now()): boolean {
    if (this.state.kind === 'open') {
      if (now < this.state.until) return false;
      this.state = { kind: 'half-open', probing: false };
    }
    if (this.state.kind === 'half-open') {
      if (this.state.probing) return false;
      this.state.probing = true;
    }
    return true;
  }

  /** Milliseconds until the breaker lets a probe through; 0 when closed. */
  retryInMs(now = Date.now()): number {
    return this.state.kind === 'open' ? Math.max(0, this.state.until - now) : 0;
  }

  /** For metrics and readiness: `open` until the cool-down ends, then `half-open` until a probe decides. */
  stateAt(now = Date.now()): BreakerState {
    if (this.state.kind === 'open') return now < this.state.until ? 'open' : 'half-open';
    return this.state.kind;
  }

  get isOpen(): boolean {
    return this.state.kind !== 'closed';
  }

  recordSuccess(now = Date.now()): void {
    this.consecutive = 0;
    this.push(now, false);
    if (this.state.kind !== 'closed') {
      this.state = { kind: 'closed' };
      this.forgetAll();
    }
  }

  recordFailure(now = Date.now()): void {
    this.consecutive += 1;
    this.push(now, true);
    if (this.state.kind === 'half-open') {
      this.open(now);
      return;
    }
    const calls = this.outcomes.length - this.start;
    const tooMany = calls >= this.settings.minCalls && this.failures / calls >= this.settings.failureRate;
    if (this.consecutive >= this.settings.consecutiveFailures || tooMany) this.open(now);
  }

  /** A call that ended without a verdict on the vendor (canceled): frees a probe slot. */
  recordNeutral(): void {
    if (this.state.kind === 'half-open') this.state.probing = false;
  }

  private open(now: number): void {
    this.state = { kind: 'open', until: now + this.settings.openMs };
    this.consecutive = 0;
    this.forgetAll();
  }

  private forgetAll(): void {
    this.outcomes = [];
    this.start = 0;
    this.failures = 0;
  }

  private push(now: number, failed: boolean): void {
    this.outcomes.push({ at: now, failed });
    if (failed) this.failures += 1;
    const since = now - this.settings.windowMs;
    // A moving start instead of shift(): at a thousand calls a second the window holds 10,000.
    while (this.start < this.outcomes.length && this.outcomes[this.start]!.at <= since) {
      if (this.outcomes[this.start]!.failed) this.failures -= 1;
      this.start += 1;
    }
    if (this.start > 1024 && this.start * 2 > this.outcomes.length) {
      this.outcomes = this.outcomes.slice(this.start);
      this.start = 0;
    }
  }
}
