import { decodeRecords, encodeRecords } from '../redis/codec.js';
import type { BatchRecord } from '../domain/model.js';
import type { PollCoordinator, SharedPollOutcome } from '../live/batch-watchers.js';
import type { FleetLink } from './fleet-link.js';

/** Takes the lease when free, renews it when held by this replica; 1 when this replica holds it. */
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface LeaseCommands {
  fleetClaim(lease: string, replica: string, ttlMs: number): Promise<number>;
  fleetRelease(lease: string, replica: string): Promise<number>;
}

/** A message on a batch's channel: what its poller saw, or a request that it poll now; instants as epoch ms. */
type WireOutcome = Exclude<SharedPollOutcome, { kind: 'observed' }> | { kind: 'observed'; batch: BatchRecord; staleSince: number | null };

interface WireMessage {
  readonly from: string;
  readonly outcome: WireOutcome;
}

/**
 * One poller per watched batch across the fleet: a lease in Redis (`SET NX PX`, renewed by each
 * poll of its holder) says which replica polls; the holder publishes what it sees on the batch's
 * channel and the other replicas hand it to their subscribers. A holder that dies stops renewing,
 * so its lease ends and a replica that watches the batch takes it at its next check. While Redis
 * is lost every replica polls for itself.
 */
export class FleetPollers implements PollCoordinator {
  private readonly handlers = new Map<string, (outcome: SharedPollOutcome) => void>();
  private listening = false;

  constructor(private readonly fleet: FleetLink) {
    fleet.redis.defineCommand('fleetClaim', { numberOfKeys: 1, lua: CLAIM });
    fleet.redis.defineCommand('fleetRelease', { numberOfKeys: 1, lua: RELEASE });
  }

  get shared(): boolean {
    return this.fleet.currentMode === 'shared';
  }

  /** This replica's share of a poll budget: all of it while the fleet shares, 1/FLEET_SIZE_HINT alone. */
  budgetShare(): number {
    return this.shared ? 1 : 1 / this.fleet.settings.sizeHint;
  }

  async claim(batchId: string, ttlMs: number): Promise<boolean> {
    if (!this.shared) return true;
    try {
      return (await (this.fleet.redis as unknown as LeaseCommands).fleetClaim(this.leaseKey(batchId), this.fleet.replicaId, Math.ceil(ttlMs))) === 1;
    } catch {
      // Redis did not answer: poll here rather than leave the subscribers without events.
      return true;
    }
  }

  release(batchId: string): void {
    if (!this.shared) return;
    (this.fleet.redis as unknown as LeaseCommands).fleetRelease(this.leaseKey(batchId), this.fleet.replicaId).catch(() => {});
  }

  publish(batchId: string, outcome: SharedPollOutcome): void {
    if (!this.shared) return;
    const wire: WireOutcome = outcome.kind === 'observed' ? { ...outcome, staleSince: outcome.staleSince?.getTime() ?? null } : outcome;
    // The records' codec: the batch's timestamps come back as they were.
    const message: WireMessage = { from: this.fleet.replicaId, outcome: wire };
    this.fleet.redis.publish(this.channel(batchId), encodeRecords(message)).catch(() => {});
  }

  listen(batchId: string, handler: (outcome: SharedPollOutcome) => void): () => void {
    this.startListening();
    this.handlers.set(batchId, handler);
    this.fleet.subscriber().subscribe(this.channel(batchId)).catch(() => {});
    return () => {
      if (this.handlers.get(batchId) !== handler) return;
      this.handlers.delete(batchId);
      this.fleet.subscriber().unsubscribe(this.channel(batchId)).catch(() => {});
    };
  }

  private startListening(): void {
    if (this.listening) return;
    this.listening = true;
    const prefix = this.channel('');
    const subscriber = this.fleet.subscriber();
    subscriber.on('message', (channel: string, text: string) => {
      const handler = this.handlers.get(channel.slice(prefix.length));
      if (!handler) return;
      const outcome = this.decode(text);
      if (outcome) handler(outcome);
    });
    // After a reconnection ioredis subscribes again to what it was subscribed to; a subscribe
    // that failed meanwhile is made again here.
    subscriber.on('ready', () => {
      const channels = [...this.handlers.keys()].map((batchId) => this.channel(batchId));
      if (channels.length > 0) subscriber.subscribe(...channels).catch(() => {});
    });
  }

  private decode(text: string): SharedPollOutcome | null {
    let message: WireMessage | undefined;
    try {
      message = decodeRecords(text) as WireMessage | undefined;
    } catch {
      return null;
    }
    if (!message?.outcome || message.from === this.fleet.replicaId) return null;
    const { outcome } = message;
    return outcome.kind === 'observed' ? { ...outcome, staleSince: outcome.staleSince === null ? null : new Date(outcome.staleSince) } : outcome;
  }

  private leaseKey(batchId: string): string {
    return this.fleet.key('lease', batchId);
  }

  private channel(batchId: string): string {
    return this.fleet.key('live', batchId);
  }
}
