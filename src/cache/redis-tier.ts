import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { createRedisClient, untilReady, type RedisSettings } from '../redis/client.js';
import { decodeRecords, encodeRecords } from '../redis/codec.js';
import type { SharedTier, StoredAnswer } from './shared-reads.js';

/**
 * The shared tier in Redis (ioredis). Keys: `<prefix>:v:<key>` an answer, `<prefix>:g:<tag>` the
 * tag's generation (moved on by every write), `<prefix>:t:<tag>` the answers filed under the tag,
 * `<prefix>:l:<key>` the fill lock. Stores and evictions are Lua scripts, so a fill that read the
 * generation before a write can never store after it.
 *
 * Redis down or slow never fails a request: commands fail fast (no offline queue, a command
 * timeout), every method then answers "unavailable", the log says so once, and ioredis
 * reconnects by itself; the log says when it is back.
 */

const STORE = `
local current = redis.call('GET', KEYS[2]) or ''
if current ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SADD', KEYS[3], KEYS[1])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
return 1`;

const EVICT = `
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local members = redis.call('SMEMBERS', KEYS[2])
for i = 1, #members, 500 do
  redis.call('DEL', unpack(members, i, math.min(i + 499, #members)))
end
redis.call('DEL', KEYS[2])
return #members`;

const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Generations outlive any fill that may still be reading the vendor. */
const GENERATION_KEEP_MS = 3_600_000;

/** An answer as Redis keeps it: when the vendor gave it, and the records (or a note that it is kept locally). */
export function encodeAnswer(answer: StoredAnswer): string {
  return encodeRecords(answer.localOnly ? { t: answer.storedAt, l: 1 } : { t: answer.storedAt, v: answer.value });
}

export function decodeAnswer(text: string): StoredAnswer | null {
  const parsed = decodeRecords(text) as { t?: unknown; v?: unknown; l?: unknown };
  if (typeof parsed.t !== 'number') return null;
  return parsed.l === 1 ? { storedAt: parsed.t, value: undefined, localOnly: true } : { storedAt: parsed.t, value: parsed.v };
}

export class RedisTier implements SharedTier {
  private readonly redis: Redis;
  private readonly token = randomBytes(8).toString('hex');
  private available = true;

  constructor(
    private readonly settings: RedisSettings,
    private readonly logger: Logger,
  ) {
    this.redis = createRedisClient(settings);
    this.redis.defineCommand('cacheStore', { numberOfKeys: 3, lua: STORE });
    this.redis.defineCommand('cacheEvict', { numberOfKeys: 2, lua: EVICT });
    this.redis.defineCommand('cacheUnlock', { numberOfKeys: 1, lua: UNLOCK });
    this.redis.on('error', (error: Error) => this.lost(error));
    this.redis.on('ready', () => {
      if (this.available) return;
      this.available = true;
      this.logger.info('Redis is back: the read cache is shared again.');
    });
  }

  /** Whether Redis answers a PING within `ms` (readiness). */
  async ping(ms: number): Promise<boolean> {
    if (this.redis.status !== 'ready') return false;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([this.redis.ping().then((reply) => reply === 'PONG', () => false), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits until connected, at most `ms`; the tier works (falling back) either way. */
  ready(ms: number): Promise<boolean> {
    return untilReady(this.redis, ms);
  }

  get isAvailable(): boolean {
    return this.available && this.redis.status === 'ready';
  }

  async lookup(key: string, tag: string): Promise<{ hit: StoredAnswer | null; generation: string } | null> {
    const values = await this.attempt(() => this.redis.mget(this.valueKey(key), this.generationKey(tag)));
    if (!values) return null;
    const [text, generation] = values;
    let hit: StoredAnswer | null = null;
    try {
      hit = text ? decodeAnswer(text) : null;
    } catch {
      hit = null;
    }
    return { hit, generation: generation ?? '' };
  }

  async generation(tag: string): Promise<string | null> {
    const value = await this.attempt(() => this.redis.get(this.generationKey(tag)));
    return value === undefined ? null : (value ?? '');
  }

  async store(key: string, tag: string, answer: StoredAnswer, keepMs: number, generation: string, bytes: number): Promise<void> {
    // A 100,000-row result set is tens of MB: moving it through Redis would take longer than a
    // command may. Other instances are told to read it themselves instead of waiting for it.
    const shared = bytes <= this.settings.maxEntryBytes ? answer : { storedAt: answer.storedAt, value: undefined, localOnly: true };
    await this.attempt(() =>
      (this.redis as unknown as ScriptCommands).cacheStore(this.valueKey(key), this.generationKey(tag), this.tagKey(tag), encodeAnswer(shared), String(keepMs), generation),
    );
  }

  async lock(key: string, holdMs: number): Promise<'acquired' | 'held' | 'unavailable'> {
    const result = await this.attempt(() => this.redis.set(this.lockKey(key), this.token, 'PX', holdMs, 'NX'));
    if (result === undefined) return 'unavailable';
    return result === 'OK' ? 'acquired' : 'held';
  }

  async unlock(key: string): Promise<void> {
    await this.attempt(() => (this.redis as unknown as ScriptCommands).cacheUnlock(this.lockKey(key), this.token));
  }

  async evict(tags: readonly string[]): Promise<void> {
    await Promise.all(
      tags.map((tag) => this.attempt(() => (this.redis as unknown as ScriptCommands).cacheEvict(this.generationKey(tag), this.tagKey(tag), String(GENERATION_KEEP_MS)))),
    );
  }

  close(): Promise<void> {
    this.available = true; // a deliberate close is not an outage to report
    this.redis.disconnect();
    return Promise.resolve();
  }

  /** Runs a command; `undefined` when Redis is unavailable (reported once until it is back). */
  private async attempt<T>(command: () => Promise<T>): Promise<T | undefined> {
    if (this.redis.status !== 'ready') {
      this.lost(new Error(`connection ${this.redis.status}`));
      return undefined;
    }
    try {
      return await command();
    } catch (error) {
      this.lost(error instanceof Error ? error : new Error(String(error)));
      return undefined;
    }
  }

  private lost(error: Error): void {
    if (!this.available) return;
    this.available = false;
    // The URL may hold a password: name the failure, not the address.
    this.logger.warn(`Redis is unavailable (${error.message.slice(0, 120)}): reads fall back to this process's cache and the vendors until it is back.`);
  }

  private valueKey(key: string): string {
    return `${this.settings.keyPrefix}:v:${key}`;
  }
  private generationKey(tag: string): string {
    return `${this.settings.keyPrefix}:g:${tag}`;
  }
  private tagKey(tag: string): string {
    return `${this.settings.keyPrefix}:t:${tag}`;
  }
  private lockKey(key: string): string {
    return `${this.settings.keyPrefix}:l:${key}`;
  }
}

interface ScriptCommands {
  cacheStore(valueKey: string, generationKey: string, tagKey: string, payload: string, keepMs: string, generation: string): Promise<number>;
  cacheEvict(generationKey: string, tagKey: string, keepMs: string): Promise<number>;
  cacheUnlock(lockKey: string, token: string): Promise<number>;
}
