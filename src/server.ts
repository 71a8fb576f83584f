import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, GRAPHQL_PATH } from './app.js';
import type { AppConfig, BolnaSettings, VendorSettings } from './config.js';
import type { Logger } from './logger.js';
import { startSimulators, type RunningSimulators, type StartSimulatorsOptions } from './simulators/index.js';
import { BolnaAdapter } from './vendors/bolna/bolna-adapter.js';
import { SyllableAdapter } from './vendors/syllable/syllable-adapter.js';
import type { VendorAdapter } from './vendors/vendor-adapter.js';
import { VendorRegistry } from './vendors/vendor-registry.js';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:4000/graphql` */
  readonly graphqlUrl: string;
  /** The embedded simulators in demo mode; null when real vendors are configured. */
  readonly simulators: RunningSimulators | null;
  close(): Promise<void>;
}

export interface StartServerOptions {
  readonly logger: Logger;
  /** Simulator options for demo mode (seed, latency, ports). */
  readonly simulator?: StartSimulatorsOptions;
}

interface VendorEndpoints {
  readonly syllable: VendorSettings | null;
  readonly bolna: BolnaSettings | null;
}

export function createVendorRegistry(config: AppConfig, endpoints: VendorEndpoints): VendorRegistry {
  const adapters: VendorAdapter[] = [];
  if (endpoints.syllable) adapters.push(new SyllableAdapter(endpoints.syllable, config.http.syllable));
  if (endpoints.bolna) adapters.push(new BolnaAdapter(endpoints.bolna, config.http.bolna));
  return new VendorRegistry(adapters);
}

/** Starts the API; with no vendor key configured, on both embedded simulators. */
export async function startServer(config: AppConfig, options: StartServerOptions): Promise<RunningServer> {
  const { logger } = options;
  let simulators: RunningSimulators | null = null;
  let endpoints: VendorEndpoints = { syllable: config.syllable, bolna: config.bolna };
  if (config.demo) {
    simulators = await startSimulators({ seed: config.simulatorSeed, faults: config.simulatorFaults, ...options.simulator });
    endpoints = {
      syllable: { baseUrl: simulators.syllable.url, apiKey: simulators.syllable.apiKey },
      bolna: { baseUrl: simulators.bolna.url, apiKey: simulators.bolna.apiKey, agentIds: simulators.bolna.agentIds },
    };
    logger.info(`demo mode: no vendor credentials set, serving the embedded simulators (Syllable ${simulators.syllable.url}, Bolna ${simulators.bolna.url})`);
    for (const vendor of ['syllable', 'bolna'] as const) {
      const faults = config.simulatorFaults[vendor];
      if (faults.length > 0) logger.warn(`the ${vendor} simulator injects faults: ${JSON.stringify(faults)}`);
    }
  } else {
    logger.info(`vendors enabled: ${[config.syllable && `Syllable (${config.syllable.baseUrl})`, config.bolna && `Bolna (${config.bolna.baseUrl}, ${config.bolna.agentIds.length} agents)`].filter(Boolean).join(', ')}`);
    for (const vendor of ['syllable', 'bolna'] as const) {
      if (!config[vendor]) logger.info(`${vendor === 'syllable' ? 'Syllable' : 'Bolna'} disabled: no ${vendor.toUpperCase()}_API_KEY`);
    }
  }
  for (const warning of config.warnings) logger.warn(warning);

  const vendors = createVendorRegistry(config, endpoints);
  const yoga = createApp({ vendors, logger, requestDeadlineMs: config.requestDeadlineMs });
  const server = createServer((req, res) => void yoga(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const graphqlUrl = `http://${host}:${port}${GRAPHQL_PATH}`;

  return {
    graphqlUrl,
    simulators,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await vendors.close();
      await simulators?.close();
    },
  };
}
