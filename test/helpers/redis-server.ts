import { REDIS_MISSING, redisServerInstalled } from '../../scripts/redis-server.js';

export { startRedis, type RedisProcess } from '../../scripts/redis-server.js';

/**
 * The Redis tests' real redis-server (scripts/redis-server.ts). Without the binary they skip with
 * one line saying what to install, unless REQUIRE_REDIS is set (CI sets it), where a missing
 * binary is a failure.
 */
export function redisAvailable(): boolean {
  const found = redisServerInstalled();
  if (!found && process.env.REQUIRE_REDIS) throw new Error(`REQUIRE_REDIS is set but ${REDIS_MISSING}`);
  if (!found) console.warn(`${REDIS_MISSING} The tests that need it skip.`);
  return found;
}
