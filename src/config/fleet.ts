import { z } from 'zod';
import { integer } from '../env.js';

/** Several replicas sharing one Redis (see "Running several replicas"); Redis itself is the cache's setting. */

export const fleetEnv = z.object({
  FLEET_SIZE_HINT: integer('FLEET_SIZE_HINT', 1, 1, 1_000),
});

/** Replicas the fleet is sized for: with Redis lost, each keeps to 1/sizeHint of every vendor budget. */
export function fleetSizeHint(e: z.output<typeof fleetEnv>): number {
  return e.FLEET_SIZE_HINT;
}
