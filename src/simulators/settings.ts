import { z } from 'zod';
import { integer, optionalString, parseEnv, type Env } from '../env.js';
import { faultProblem, type FaultSpec } from './faults.js';
import type { ProgressSettings } from './progress.js';

/** How the simulators start, from the environment: `npm run simulate`, demo mode and the benchmark. */
export interface SimulatorSettings {
  /** Seed of the demo data. @default 42 */
  readonly seed: number;
  /** Faults injected from the start, per vendor (SIM_SYLLABLE_FAULTS / SIM_BOLNA_FAULTS). */
  readonly faults: { readonly syllable: readonly FaultSpec[]; readonly bolna: readonly FaultSpec[] };
  /** Ports for `npm run simulate`. @default 4010 and 4020 */
  readonly syllablePort: number;
  readonly bolnaPort: number;
  /** Targets of one extra batch per vendor, for trying big batches; 0 = none. @default 0 */
  readonly largeBatchTargets: number;
  /** Delay before every vendor answer. @default 0 */
  readonly latencyMs: number;
  /** The Bolna simulator's own limit, as Bolna publishes it. @default 1000 */
  readonly bolnaRateLimitPerMinute: number;
  /** Running batches move as time passes (SIM_PROGRESS=realtime) or stay as generated (off). @default realtime */
  readonly progress: ProgressSettings;
}

/** A JSON array of simulator faults (see faults.ts). */
function faultList(name: string) {
  return optionalString.transform((text, ctx): FaultSpec[] => {
    if (text === undefined) return [];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: `${name} must be a JSON array of faults` });
      return z.NEVER;
    }
    const items = Array.isArray(value) ? value : [value];
    const problem = items.map(faultProblem).find((p) => p !== null);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `${name}: ${problem}` });
      return z.NEVER;
    }
    return items as FaultSpec[];
  });
}

const simulatorEnv = z.object({
  SIMULATOR_SEED: integer('SIMULATOR_SEED', 42, 0, 2 ** 31 - 1),
  SIM_SYLLABLE_FAULTS: faultList('SIM_SYLLABLE_FAULTS'),
  SIM_BOLNA_FAULTS: faultList('SIM_BOLNA_FAULTS'),
  SIM_SYLLABLE_PORT: integer('SIM_SYLLABLE_PORT', 4010, 0, 65535),
  SIM_BOLNA_PORT: integer('SIM_BOLNA_PORT', 4020, 0, 65535),
  SIM_LARGE_BATCH_TARGETS: integer('SIM_LARGE_BATCH_TARGETS', 0, 0, 1_000_000),
  SIM_LATENCY_MS: integer('SIM_LATENCY_MS', 0, 0, 600_000),
  SIM_BOLNA_RATE_LIMIT_PER_MINUTE: integer('SIM_BOLNA_RATE_LIMIT_PER_MINUTE', 1000, 1, 1_000_000_000),
  SIM_PROGRESS: z.enum(['realtime', 'off'], { message: 'SIM_PROGRESS must be realtime or off' }).default('realtime'),
  SIM_PROGRESS_RATE_PER_HOUR: integer('SIM_PROGRESS_RATE_PER_HOUR', 0, 0, 100_000_000),
});

export function loadSimulatorSettings(env: Env = process.env): SimulatorSettings {
  const e = parseEnv(simulatorEnv, env);
  return {
    seed: e.SIMULATOR_SEED,
    faults: { syllable: e.SIM_SYLLABLE_FAULTS, bolna: e.SIM_BOLNA_FAULTS },
    syllablePort: e.SIM_SYLLABLE_PORT,
    bolnaPort: e.SIM_BOLNA_PORT,
    largeBatchTargets: e.SIM_LARGE_BATCH_TARGETS,
    latencyMs: e.SIM_LATENCY_MS,
    bolnaRateLimitPerMinute: e.SIM_BOLNA_RATE_LIMIT_PER_MINUTE,
    progress: { mode: e.SIM_PROGRESS, ...(e.SIM_PROGRESS_RATE_PER_HOUR > 0 ? { ratePerHour: e.SIM_PROGRESS_RATE_PER_HOUR } : {}) },
  };
}
