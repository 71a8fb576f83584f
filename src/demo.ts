import type { Logger } from './logger.js';
import type { VendorEndpoints } from './server/server.js';
import { startSimulators, type RunningSimulators, type StartSimulatorsOptions } from './simulators/index.js';

/**
 * Demo mode (no vendor key set): both vendor simulators on loopback, each with a fresh key, and
 * where the API finds them. Started by the entry point (`main.ts`, the tests' harness), never by
 * the server itself, which only ever knows vendor endpoints.
 */
export async function startDemoVendors(options: StartSimulatorsOptions, logger: Logger): Promise<{ simulators: RunningSimulators; endpoints: VendorEndpoints }> {
  const simulators = await startSimulators(options);
  logger.info(`demo mode: no vendor credentials set, serving the embedded simulators (Syllable ${simulators.syllable.url}, Bolna ${simulators.bolna.url})`);
  for (const vendor of ['syllable', 'bolna'] as const) {
    const faults = options.faults?.[vendor] ?? [];
    if (faults.length > 0) logger.warn(`the ${vendor} simulator injects faults: ${JSON.stringify(faults)}`);
  }
  return {
    simulators,
    endpoints: {
      syllable: { baseUrl: simulators.syllable.url, apiKey: simulators.syllable.apiKey },
      bolna: { baseUrl: simulators.bolna.url, apiKey: simulators.bolna.apiKey, agentIds: simulators.bolna.agentIds },
    },
  };
}
