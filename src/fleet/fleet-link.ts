import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedisClient, untilReady, type RedisSettings } from '../redis/client.js';
import type { Logger } from '../logger.js';

export interface FleetSettings {
  readonly redis: RedisSettings;
  /**
   * Replicas expected in the fleet (FLEET_SIZE_HINT): while Redis is lost, each replica keeps to
   * 1/sizeHint of every vendor budget on its own. @default 1
   */
  readonly sizeHint: number;
}

export type FleetMode = 'shared' | 'local';

/**
 * This replica's link to the rest of the fleet: one Redis connection for the shared rate budget
 * and the poll leases, and one for live events (a connection in subscriber mode takes no other
 * command). While Redis is lost the replica runs on its own share, says so once, and returns to
 * shared mode by itself when Redis is back; no request waits for it.
 */
export class FleetLink {
  /** Names this replica in leases and events. */
  readonly replicaId = randomBytes(6).toString('hex');
  readonly redis: Redis;
  private subscriberClient: Redis | null = null;
  private mode: FleetMode = 'local';
  private readonly listeners = new Set<(mode: FleetMode) => void>();
  private everShared = false;

  constructor(
    readonly settings: FleetSettings,
    private readonly logger: Logger,
  ) {
    this.redis = createRedisClient(settings.redis);
    this.redis.on('ready', () => this.switchTo('shared'));
    this.redis.on('error', () => this.switchTo('local'));
    this.redis.on('close', () => this.switchTo('local'));
  }

  /** Shared while Redis answers; local (this replica's share only) while it does not. */
  get currentMode(): FleetMode {
    return this.mode === 'shared' && this.redis.status === 'ready' ? 'shared' : 'local';
  }

  /** Redis keys of the fleet, below the deployment's prefix. */
  key(...parts: string[]): string {
    return `${this.settings.redis.keyPrefix}:fleet:${parts.join(':')}`;
  }

  /** A command with no stand-in in this replica alone: `unavailable()` is thrown while Redis is not answering. */
  async required<T>(run: (redis: Redis) => Promise<T>, unavailable: () => Error): Promise<T> {
    if (this.currentMode !== 'shared') throw unavailable();
    try {
      return await run(this.redis);
    } catch {
      throw unavailable();
    }
  }

  /** The connection live events arrive on, opened on first use. */
  subscriber(): Redis {
    if (!this.subscriberClient) {
      // Subscriptions made before it connects wait for it (patiently: a subscribe that timed out
      // would leave the channel unheard); after a reconnection ioredis renews them.
      this.subscriberClient = this.redis.duplicate({ enableOfflineQueue: true, commandTimeout: 10_000 });
      this.subscriberClient.on('error', () => {});
    }
    return this.subscriberClient;
  }

  onModeChange(listener: (mode: FleetMode) => void): void {
    this.listeners.add(listener);
  }

  /** Waits until Redis answers, at most `ms`; the replica works (alone) either way. */
  ready(ms: number): Promise<boolean> {
    return untilReady(this.redis, ms);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriberClient?.disconnect();
    this.redis.disconnect();
    await Promise.resolve();
  }

  private switchTo(mode: FleetMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    const share = `1/${this.settings.sizeHint} of each vendor budget (FLEET_SIZE_HINT)`;
    if (mode === 'shared') {
      this.logger.info({ replica: this.replicaId }, this.everShared ? 'Redis is back: rate budgets, poll leases and live events are shared by the fleet again.' : 'fleet: rate budgets, poll leases and live events shared through Redis');
      this.everShared = true;
    } else if (this.everShared) {
      this.logger.warn({ replica: this.replicaId }, `Redis lost: this replica runs alone until it is back (${share}, its own cache, its own pollers).`);
    }
    for (const listener of this.listeners) listener(mode);
  }
}
