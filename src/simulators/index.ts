import { randomBytes } from 'node:crypto';
import { createBolnaSimulator } from './bolna-simulator.js';
import type { FaultSpec } from './faults.js';
import type { SimulatorOptions, SimulatorServer } from './sim-server.js';
import { createSyllableSimulator } from './syllable-simulator.js';

export interface RunningSimulator {
  readonly url: string;
  readonly apiKey: string;
  readonly server: SimulatorServer;
}

export interface RunningSimulators {
  readonly syllable: RunningSimulator;
  readonly bolna: RunningSimulator & { readonly agentIds: readonly string[] };
  close(): Promise<void>;
}

export interface StartSimulatorsOptions extends Omit<SimulatorOptions, 'faults'> {
  /** Faults active from the start, per vendor. */
  readonly faults?: { readonly syllable?: readonly FaultSpec[]; readonly bolna?: readonly FaultSpec[] };
  /** @default 42 */
  readonly seed?: number;
  /** Demo times are relative to this instant. @default the start of the current UTC day */
  readonly anchor?: Date;
  /** @default 0 (any free port) */
  readonly syllablePort?: number;
  /** @default 0 (any free port) */
  readonly bolnaPort?: number;
  /** The Bolna simulator's own limit. @default 1000, as Bolna publishes */
  readonly bolnaRateLimitPerMinute?: number;
  /** Targets of one extra running batch per vendor; 0 = none. @default 0 */
  readonly largeBatchTargets?: number;
}

function startOfUtcDay(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** Starts both simulators on loopback, each with a fresh random key. */
export async function startSimulators(options: StartSimulatorsOptions = {}): Promise<RunningSimulators> {
  const seed = options.seed ?? 42;
  const anchor = options.anchor ?? startOfUtcDay();
  const syllableKey = `sim-syllable-${randomBytes(12).toString('hex')}`;
  const bolnaKey = `sim-bolna-${randomBytes(12).toString('hex')}`;
  const syllable = createSyllableSimulator({ ...options, faults: options.faults?.syllable, apiKey: syllableKey, seed, anchor });
  const bolna = createBolnaSimulator({ ...options, faults: options.faults?.bolna, rateLimitPerMinute: options.bolnaRateLimitPerMinute, apiKey: bolnaKey, seed, anchor });
  const [syllableUrl, bolnaUrl] = await Promise.all([syllable.listen(options.syllablePort), bolna.server.listen(options.bolnaPort)]);
  return {
    syllable: { url: syllableUrl, apiKey: syllableKey, server: syllable },
    bolna: { url: bolnaUrl, apiKey: bolnaKey, server: bolna.server, agentIds: bolna.agentIds },
    close: async () => {
      await Promise.all([syllable.close(), bolna.server.close()]);
    },
  };
}

/** The API's settings that point it at these simulators, as environment variables. */
export function vendorEnvFor(simulators: RunningSimulators): Record<string, string> {
  return {
    SYLLABLE_BASE_URL: simulators.syllable.url,
    SYLLABLE_API_KEY: simulators.syllable.apiKey,
    BOLNA_BASE_URL: simulators.bolna.url,
    BOLNA_API_KEY: simulators.bolna.apiKey,
    BOLNA_AGENT_IDS: simulators.bolna.agentIds.join(','),
  };
}
