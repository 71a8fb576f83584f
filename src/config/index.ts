import type { CacheSettings } from '../cache/settings.js';
import { ConfigError, parseEnv, type Env } from '../env.js';
import type { LiveSettings } from '../live/settings.js';
import type { LimitSettings } from '../security/settings.js';
import { cacheEnv, cacheSettings } from './cache.js';
import { fleetEnv, fleetSizeHint } from './fleet.js';
import { limitSettings, limitsEnv } from './limits.js';
import { liveEnv, liveSettings } from './live.js';
import { serverConfig, serverEnv, type ServerConfig } from './server.js';
import { vendorConfig, vendorsEnv, type VendorConfig } from './vendors.js';

export { ConfigError } from '../env.js';
export { DEFAULT_BASE_URLS } from './vendors.js';
export type { ObservabilitySettings, ServerSettings } from './server.js';

/**
 * The API's settings, read from the environment once at start, by concern: the server
 * (`server.ts`), the vendors (`vendors.ts`), what a request may cost (`limits.ts`), the read cache
 * (`cache.ts`), live progress (`live.ts`) and the fleet (`fleet.ts`), each a zod object with its
 * defaults beside it. Every problem of every concern is reported together.
 */
export interface AppConfig extends ServerConfig, VendorConfig {
  /** The shared read cache (in process, and in Redis when REDIS_URL is set). */
  readonly cache: CacheSettings;
  readonly limits: LimitSettings;
  /** Live progress (subscriptions): poll intervals, slots and history. */
  readonly live: LiveSettings;
  /** Secret of `POST /webhooks/bolna`; null: webhooks are off. */
  readonly bolnaWebhookSecret: string | null;
  /** Replicas the fleet is sized for (FLEET_SIZE_HINT): with Redis lost, each keeps to 1/fleetSizeHint of every vendor budget. @default 1 */
  readonly fleetSizeHint: number;
  readonly warnings: readonly string[];
}

/** Every variable the API reads, by concern; parsed as one, so every wrong value is reported at once. */
const appEnv = serverEnv.extend(vendorsEnv.shape).extend(limitsEnv.shape).extend(cacheEnv.shape).extend(liveEnv.shape).extend(fleetEnv.shape);

/** Reads and validates the environment once; every problem is reported together. */
export function loadConfig(env: Env = process.env): AppConfig {
  const e = parseEnv(appEnv, env);
  const warnings: string[] = [];
  const problems: string[] = [];
  const vendors = vendorConfig(e, warnings);
  const server = serverConfig(e, vendors.demo, problems, warnings);
  if (problems.length > 0) throw new ConfigError(problems);
  const { live, bolnaWebhookSecret } = liveSettings(e);
  return {
    ...server,
    ...vendors,
    cache: cacheSettings(e),
    limits: limitSettings(e),
    live,
    bolnaWebhookSecret,
    fleetSizeHint: fleetSizeHint(e),
    warnings,
  };
}
