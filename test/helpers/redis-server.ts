import { spawnSync } from 'node:child_process';

export { startRedis, type RedisProcess } from '../../scripts/redis-server.js';

/**
 * The Redis tests' real redis-server (scripts/redis-server.ts). Without the binary they skip with
 * one line saying what to install, unless REQUIRE_REDIS is set (CI sets it), where a missing
 * binary is a failure.
 */
export const REDIS_MISSING = 'redis-server not found: install the Debian package redis-server (apt-get install -y redis-server) to run the Redis tests.';

export function redisAvailable(): boolean {
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!found && process.env.REQUIRE_REDIS) throw new Error(`REQUIRE_REDIS is set but ${REDIS_MISSING}`);
  if (!found) console.warn(REDIS_MISSING);
  return found;
}
