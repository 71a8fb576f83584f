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
  private outcomes: Array<{ at: number; failed: boolean }> = [];

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

  get isOpen(): boolean {
    return this.state.kind !== 'closed';
  }

  recordSuccess(now = Date.now()): void {
    this.consecutive = 0;
    this.push(now, false);
    if (this.state.kind !== 'closed') {
      this.state = { kind: 'closed' };
      this.outcomes = [];
    }
  }

  recordFailure(now = Date.now()): void {
    this.consecutive += 1;
    this.push(now, true);
    if (this.state.kind === 'half-open') {
      this.open(now);
      return;
    }
    const failures = this.outcomes.filter((o) => o.failed).length;
    const tooMany = this.outcomes.length >= this.settings.minCalls && failures / this.outcomes.length >= this.settings.failureRate;
    if (this.consecutive >= this.settings.consecutiveFailures || tooMany) this.open(now);
  }

  /** A call that ended without a verdict on the vendor (canceled): frees a probe slot. */
  recordNeutral(): void {
    if (this.state.kind === 'half-open') this.state.probing = false;
  }

  private open(now: number): void {
    this.state = { kind: 'open', until: now + this.settings.openMs };
    this.consecutive = 0;
    this.outcomes = [];
  }

  private push(now: number, failed: boolean): void {
    this.outcomes.push({ at: now, failed });
    while ((this.outcomes[0]?.at ?? now) <= now - this.settings.windowMs) this.outcomes.shift();
  }
}
