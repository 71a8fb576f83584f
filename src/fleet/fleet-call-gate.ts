import type { Admission, CallGate, GateLimits } from '../http/call-gate.js';
import { LocalCallGate, RATE_WINDOW_MS } from '../http/call-gate.js';
import type { CallGates } from '../http/settings.js';
import type { FleetLink } from './fleet-link.js';

/**
 * One admission, atomic in Redis, on Redis's clock (so replicas' clocks never matter). KEYS[1]
 * the window (a sorted set of call times, future ones being reservations), KEYS[2] the vendor's
 * Retry-After end. ARGV: limit (0 = none), window ms, longest wait ms, most waiting, member.
 * Answers {0, wait, now}: go after `wait` ms; {1, ms, now}: refused by the vendor's wait; {2, ms,
 * now}: by the limit; `now` is Redis's clock.
 */
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local start = now
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if blocked > now then
  if blocked - now > maxWait then return {1, blocked - now, now} end
  start = blocked
end
if limit == 0 then return {0, start - now, now} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', start - window)
local count = redis.call('ZCARD', KEYS[1])
local slot = start
if count >= limit then
  local entry = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  slot = math.max(start, tonumber(entry[2]) + window)
  local waiting = redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
  if slot - now > maxWait or waiting >= tonumber(ARGV[4]) then return {2, slot - now, now} end
end
redis.call('ZADD', KEYS[1], slot, ARGV[5])
redis.call('PEXPIRE', KEYS[1], window + (slot - now))
return {0, slot - now, now}`;

/** The vendor's wait, kept as its end on Redis's clock, and only ever moved later. */
const HOLD_OFF = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > current then redis.call('SET', KEYS[1], until_, 'PX', ARGV[1]) end
return 1`;

const WINDOW_MS = RATE_WINDOW_MS;

type AdmitReply = [number, number, number];

export interface GateCommands {
  fleetAdmit(window: string, blocked: string, limit: number, windowMs: number, maxWaitMs: number, maxWaiting: number, member: string): Promise<AdmitReply>;
  fleetHoldOff(blocked: string, ms: number): Promise<number>;
}

/** The fleet's admission scripts on this replica's Redis connection (defined once; defining again is harmless). */
export function gateCommands(fleet: FleetLink): GateCommands {
  const redis = fleet.redis as unknown as Partial<GateCommands>;
  if (!redis.fleetAdmit) {
    fleet.redis.defineCommand('fleetAdmit', { numberOfKeys: 2, lua: ADMIT });
    fleet.redis.defineCommand('fleetHoldOff', { numberOfKeys: 1, lua: HOLD_OFF });
  }
  return fleet.redis as unknown as GateCommands;
}

/**
 * Call gates whose budget and Retry-After are the fleet's: every replica admits its calls through
 * one Redis script, so together they send at most the configured calls a minute per credential,
 * and a Retry-After one replica sees holds all of them. While Redis is lost each replica gates on
 * its own, at 1/FLEET_SIZE_HINT of the budget; a Redis command that fails or is slow counts as lost.
 */
export class FleetCallGates implements CallGates {
  private readonly gates: FleetCallGate[] = [];

  constructor(private readonly fleet: FleetLink) {
    gateCommands(fleet);
    // Back in shared mode, the calls this replica made in the last window go (back) into the
    // fleet's window: a Redis that restarted empty would otherwise grant the whole budget again.
    fleet.onModeChange((mode) => {
      if (mode === 'shared') for (const gate of this.gates) gate.restore();
    });
  }

  gateFor(credentialScope: string, limits: GateLimits): CallGate {
    const gate = new FleetCallGate(this.fleet, credentialScope, limits);
    this.gates.push(gate);
    return gate;
  }
}

class FleetCallGate implements CallGate {
  /** This replica's share, for when Redis is lost. */
  private readonly local: LocalCallGate;
  private readonly windowKey: string;
  private readonly blockedKey: string;
  private calls = 0;
  private waitingHere = 0;
  /** This replica's calls of the last window, by member, on Redis's clock: restored into a Redis that lost them. */
  private readonly recent: Array<{ member: string; at: number }> = [];
  /** Redis's clock minus this one's, as last seen. */
  private clockOffsetMs = 0;

  constructor(
    private readonly fleet: FleetLink,
    credentialScope: string,
    private readonly limits: GateLimits,
  ) {
    const share = limits.perMinute > 0 ? Math.max(1, Math.floor(limits.perMinute / fleet.settings.sizeHint)) : 0;
    this.local = new LocalCallGate({ perMinute: share, queue: limits.queue });
    this.windowKey = fleet.key('rate', credentialScope);
    this.blockedKey = fleet.key('retry-after', credentialScope);
  }

  async admit(maxWaitMs: number): Promise<Admission> {
    const member = `${this.fleet.replicaId}:${(this.calls += 1)}`;
    if (this.fleet.currentMode !== 'shared') return this.admitHere(member, maxWaitMs, false);
    let reply: AdmitReply;
    try {
      reply = await gateCommands(this.fleet).fleetAdmit(this.windowKey, this.blockedKey, this.limits.perMinute, WINDOW_MS, Math.max(0, Math.floor(maxWaitMs)), this.limits.queue, member);
    } catch {
      // Redis too slow or gone for this call: this replica's share decides, and the call is
      // written into the fleet's window afterwards, so the others count it too.
      return this.admitHere(member, maxWaitMs, true);
    }
    const [outcome, ms, redisNow] = reply;
    this.clockOffsetMs = redisNow - Date.now();
    if (outcome === 1) return { refusedForMs: ms, cause: 'vendor' };
    if (outcome === 2) return { refusedForMs: ms, cause: 'limit' };
    this.remember(member, redisNow + ms);
    if (ms <= 0) return { waitMs: 0, release: () => {} };
    this.waitingHere += 1;
    let released = false;
    const done = () => {
      if (released) return;
      released = true;
      this.waitingHere -= 1;
    };
    setTimeout(done, ms).unref();
    return {
      waitMs: ms,
      release: () => {
        done();
        // The slot goes back to the fleet; if Redis cannot be told, it frees itself within the window.
        this.fleet.redis.zrem(this.windowKey, member).catch(() => {});
      },
    };
  }

  /** Puts this replica's calls of the last window into the fleet's, where they are missing. */
  restore(): void {
    const now = Date.now() + this.clockOffsetMs;
    const live = this.recent.filter((call) => call.at > now - WINDOW_MS);
    if (live.length === 0 || this.limits.perMinute === 0) return;
    const members = live.flatMap((call) => [call.at, call.member]);
    this.fleet.redis
      .zadd(this.windowKey, 'NX', ...members)
      .then(() => this.fleet.redis.pexpire(this.windowKey, WINDOW_MS * 2))
      .catch(() => {});
  }

  /** Alone (Redis lost): this replica's share of the budget, remembered for the fleet's window (and told to it at once with `tellFleet`). */
  private async admitHere(member: string, maxWaitMs: number, tellFleet: boolean): Promise<Admission> {
    const admission = await this.local.admit(maxWaitMs);
    if (!('waitMs' in admission)) return admission;
    const at = Date.now() + this.clockOffsetMs + admission.waitMs;
    this.remember(member, at);
    if (tellFleet && this.limits.perMinute > 0) this.fleet.redis.zadd(this.windowKey, 'NX', at, member).catch(() => {});
    return admission;
  }

  private remember(member: string, at: number): void {
    if (this.limits.perMinute === 0) return;
    this.recent.push({ member, at });
    const oldest = at - WINDOW_MS;
    while (this.recent.length > 0 && (this.recent[0]!.at <= oldest || this.recent.length > this.limits.perMinute)) this.recent.shift();
  }

  holdOff(ms: number): void {
    this.local.holdOff(ms);
    if (this.fleet.currentMode !== 'shared') return;
    gateCommands(this.fleet).fleetHoldOff(this.blockedKey, Math.ceil(ms)).catch(() => {});
  }

  waiting(): number {
    return this.waitingHere + this.local.waiting();
  }
}
