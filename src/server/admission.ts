/** A place under a cap, given back once (later calls of `release` do nothing). */
export interface Admission {
  release(): void;
}

/**
 * MAX_INFLIGHT_OPERATIONS for every transport: a JSON request, an event stream and a graphql-ws
 * operation each take a place while they run, and one past the cap is refused at once rather than
 * queued into the vendors' deadlines. A subscription gives its place back once it streams: its
 * polls are bounded by the poll budget, and its slot by MAX_SUBSCRIPTIONS.
 */
export class AdmissionGate {
  private running = 0;

  constructor(readonly limit: number) {}

  get inflight(): number {
    return this.running;
  }

  /** A place, or null when every place is taken. */
  tryEnter(): Admission | null {
    if (this.running >= this.limit) return null;
    this.running += 1;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.running -= 1;
      },
    };
  }
}

export const OVERLOADED_MESSAGE = 'The server is at its limit of operations in progress; retry in a second.';
