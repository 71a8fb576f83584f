import { LocalReplayGuard, type ReplayGuard } from '../live/replay-guard.js';
import type { FleetLink } from './fleet-link.js';

/**
 * A webhook is acted on once by the whole fleet: the first replica to receive it sets its key in
 * Redis (`SET NX PX`), and a replay to any replica finds it there. While Redis is lost each
 * replica remembers what it received itself.
 */
export class FleetReplayGuard implements ReplayGuard {
  private readonly local = new LocalReplayGuard();

  constructor(private readonly fleet: FleetLink) {}

  async firstTime(key: string, ttlMs: number): Promise<boolean> {
    // Remembered here too, so a replay during a Redis outage is still caught by this replica.
    const firstHere = await this.local.firstTime(key, ttlMs);
    if (this.fleet.currentMode !== 'shared') return firstHere;
    try {
      return (await this.fleet.redis.set(this.fleet.key('webhook', key), '1', 'PX', ttlMs, 'NX')) === 'OK';
    } catch {
      return firstHere;
    }
  }
}
