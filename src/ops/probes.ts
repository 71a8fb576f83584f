import type { VendorHealth } from '../http/settings.js';

export interface ReadinessReport {
  readonly status: 'ready' | 'degraded' | 'unavailable';
  /** Why the server is unavailable or degraded; empty when ready. */
  readonly reasons: readonly string[];
  readonly vendors: Readonly<Record<string, { breaker: VendorHealth['breaker']; rateLimitWaiting: number }>>;
  readonly redis: 'up' | 'down' | 'not configured';
  /** With Redis: whether this replica shares the fleet's budgets, leases and events, or runs alone on its share. */
  readonly fleet?: { readonly mode: 'shared' | 'local'; readonly replica: string; readonly sizeHint: number };
}

export interface ReadinessSources {
  readonly vendors: () => readonly VendorHealth[];
  /** Null when no Redis is configured. */
  readonly redisUp: (() => Promise<boolean>) | null;
  /** True once shutdown has begun: load balancers should stop sending requests. */
  readonly draining: () => boolean;
  /** With Redis: this replica's place in the fleet. */
  readonly fleet?: () => NonNullable<ReadinessReport['fleet']>;
}

/**
 * `/ready`: unavailable (503) while shutting down; degraded (still 200) when the configured Redis
 * does not answer (the replica then keeps to its share of each vendor budget, FLEET_SIZE_HINT, so
 * it may stay in service) or a vendor's breaker is open (every replica sees the same vendor, and
 * taking them all out of service would turn a partial outage into a whole one). The
 * configuration was checked at start: a server with an invalid one never listens.
 */
export async function readiness(sources: ReadinessSources): Promise<ReadinessReport> {
  const reasons: string[] = [];
  let unavailable = false;
  if (sources.draining()) {
    unavailable = true;
    reasons.push('shutting down');
  }
  let redis: ReadinessReport['redis'] = 'not configured';
  if (sources.redisUp) {
    redis = (await sources.redisUp()) ? 'up' : 'down';
    if (redis === 'down') {
      const share = sources.fleet ? `: this replica runs alone on 1/${sources.fleet().sizeHint} of each vendor budget (FLEET_SIZE_HINT)` : '';
      reasons.push(`Redis does not answer${share}`);
    }
  }
  const vendors: Record<string, { breaker: VendorHealth['breaker']; rateLimitWaiting: number }> = {};
  for (const health of sources.vendors()) {
    vendors[health.vendor] = { breaker: health.breaker, rateLimitWaiting: health.rateLimitWaiting };
    if (health.breaker === 'open') reasons.push(`${health.vendor} is failing: its circuit breaker is open`);
  }
  const fleet = sources.fleet?.();
  return { status: unavailable ? 'unavailable' : reasons.length > 0 ? 'degraded' : 'ready', reasons, vendors, redis, ...(fleet ? { fleet } : {}) };
}
