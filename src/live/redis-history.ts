import type { Redis } from 'ioredis';
import { createRedisClient, type RedisSettings } from '../redis/client.js';
import { batchGlobalId, type BatchKey } from '../domain/ids.js';
import type { BatchRecord } from '../domain/model.js';
import { progressTotals, type ProgressTotals } from '../domain/status.js';
import type { Logger } from '../logger.js';
import { ProgressHistory, selectSnapshots, type HistorySettings, type HistoryStore, type ProgressSnapshot } from './progress-history.js';

/**
 * Progress history in Redis, shared by every instance and kept across restarts: one list per
 * batch, appended only when the counts differ from its last entry (checked in Redis, so two
 * instances observing the same answer add it once), trimmed to HISTORY_PER_BATCH entries and
 * dropped after HISTORY_MAX_AGE_MS unobserved. While Redis is unavailable the process keeps its
 * own history and answers from it.
 */

const APPEND = `
local last = redis.call('LINDEX', KEYS[1], -1)
if last then
  local entry = cjson.decode(last)
  if entry.f == ARGV[2] or tonumber(entry.t) >= tonumber(ARGV[3]) then return 0 end
end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[4]), -1)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

interface StoredSnapshot {
  readonly t: number;
  /** The counts as one string: equal counts, equal strings. */
  readonly f: string;
  readonly c: ProgressTotals;
}

type AppendingRedis = Redis & { historyAppend(key: string, entry: string, fingerprint: string, at: number, max: number, keepMs: number): Promise<number> };

export class RedisProgressHistory implements HistoryStore {
  private readonly redis: AppendingRedis;
  private readonly local: ProgressHistory;

  constructor(
    private readonly redisSettings: RedisSettings,
    private readonly settings: HistorySettings,
    private readonly logger: Logger,
  ) {
    this.local = new ProgressHistory(settings);
    this.redis = createRedisClient(redisSettings) as AppendingRedis;
    this.redis.defineCommand('historyAppend', { numberOfKeys: 1, lua: APPEND });
    // Unavailability is reported by the read cache's own connection; here it only means "use the local copy".
    this.redis.on('error', () => {});
  }

  observe(batch: BatchRecord): void {
    this.local.observe(batch);
    if (batch.statusCounts === undefined || this.redis.status !== 'ready') return;
    const totals = progressTotals(batch.statusCounts);
    const fingerprint = JSON.stringify(totals);
    const entry: StoredSnapshot = { t: batch.fetchedAt, f: fingerprint, c: totals };
    const key = this.keyOf({ vendor: batch.vendor, batchId: batch.vendorBatchId });
    this.redis.historyAppend(key, JSON.stringify(entry), fingerprint, batch.fetchedAt, this.settings.perBatch, this.settings.maxAgeMs).catch((error: unknown) => {
      this.logger.debug({ error: error instanceof Error ? error.message : String(error) }, 'progress history: Redis append failed');
    });
  }

  async of(key: BatchKey, since?: number | null, last?: number | null): Promise<readonly ProgressSnapshot[]> {
    if (this.redis.status !== 'ready') return this.local.of(key, since, last);
    try {
      const entries = await this.redis.lrange(this.keyOf(key), 0, -1);
      const snapshots = entries.map((text) => JSON.parse(text) as StoredSnapshot).map((entry) => ({ at: entry.t, totals: entry.c }));
      return selectSnapshots(snapshots, this.settings.maxAgeMs, since, last);
    } catch {
      return this.local.of(key, since, last);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    await this.local.close();
  }

  private keyOf(key: BatchKey): string {
    return `${this.redisSettings.keyPrefix}:history:${batchGlobalId(key)}`;
  }
}
