import type { VendorHealth } from '../http/settings.js';

export interface ReadinessReport {
  readonly status: 'ready' | 'degraded' | 'unavailable';
  /** Why the server is unavailable or degraded; empty when ready. */
  readonly reasons: readonly string[];
  readonly vendors: Readonly<Record<string, { breaker: VendorHealth['breaker']; rateLimitWaiting: number }>>;
  readonly redis: 'up' | 'down' | 'not configured';
}

export interface ReadinessSources {
  readonly vendors: () => readonly VendorHealth[];
  /** Null when no Redis is configured. */
  readonly redisUp: (() => Promise<boolean>) | null;
  /** True once shutdown has begun: load balancers should stop sending requests. */
  readonly draining: () => boolean;
}

/**
 * `/ready`: unavailable (503) while shutting down or when the configured Redis does not answer
 * (this instance alone would then spend the vendors' shared budget); degraded (still 200) when a
 * vendor's breaker is open, since every instance sees the same vendor and taking them all out of
 * service would turn a partial outage into a whole one. The configuration was checked at start:
 * a server with an invalid one never listens.
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
      unavailable = true;
      reasons.push('Redis does not answer');
    }
  }
  const vendors: Record<string, { breaker: VendorHealth['breaker']; rateLimitWaiting: number }> = {};
  for (const health of sources.vendors()) {
    vendors[health.vendor] = { breaker: health.breaker, rateLimitWaiting: health.rateLimitWaiting };
    if (health.breaker === 'open') reasons.push(`${health.vendor} is failing: its circuit breaker is open`);
  }
  return { status: unavailable ? 'unavailable' : reasons.length > 0 ? 'degraded' : 'ready', reasons, vendors, redis };
}
