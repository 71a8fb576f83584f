import { RATE_WINDOW_MS } from '../http/call-gate.js';
import { LocalCallerWindows, type CallerWindows } from '../security/caller-vendor-budget.js';
import { gateCommands } from './fleet-call-gate.js';
import type { FleetLink } from './fleet-link.js';

/**
 * Per-caller windows shared by the fleet: a caller's calls through any replica count in one
 * window in Redis, admitted by the same atomic script as the vendor budget (never waiting: a call
 * past the caller's share is refused at once). While Redis is lost, each replica keeps its
 * caller's share alone, at 1/FLEET_SIZE_HINT.
 */
export class FleetCallerWindows implements CallerWindows {
  private readonly local = new LocalCallerWindows();
  private calls = 0;

  constructor(private readonly fleet: FleetLink) {}

  admit(key: string, perMinute: number): number | Promise<number> {
    const alone = () => this.local.admit(key, Math.max(1, Math.floor(perMinute / this.fleet.settings.sizeHint)));
    if (this.fleet.currentMode !== 'shared') return alone();
    const member = `${this.fleet.replicaId}:${(this.calls += 1)}`;
    const window = this.fleet.key('caller', key);
    return gateCommands(this.fleet)
      .fleetAdmit(window, this.fleet.key('caller-hold', key), perMinute, RATE_WINDOW_MS, 0, 0, member)
      .then(([outcome, ms]) => (outcome === 0 ? 0 : Math.max(1, ms)), alone);
  }
}
