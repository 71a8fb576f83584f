import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, GRAPHQL_PATH } from './app.js';
import { CachingVendorAdapter } from './cache/caching-adapter.js';
import { RedisTier } from './cache/redis-tier.js';
import { SharedReads } from './cache/shared-reads.js';
import type { AppConfig } from './config.js';
import type { VendorSettings } from './http/settings.js';
import type { Logger } from './logger.js';
import { startSimulators, type RunningSimulators, type StartSimulatorsOptions } from './simulators/index.js';
import { BolnaAdapter, type BolnaSettings } from './vendors/bolna/bolna-adapter.js';
import { SyllableAdapter } from './vendors/syllable/syllable-adapter.js';
import type { VendorAdapter } from './vendors/vendor-adapter.js';
import { VendorRegistry } from './vendors/vendor-registry.js';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:4000/graphql` */
  readonly graphqlUrl: string;
  /** The embedded simulators in demo mode; null when real vendors are configured. */
  readonly simulators: RunningSimulators | null;
  /** The shared read layer of this server. */
  readonly reads: SharedReads;
  /**
   * Stops accepting connections, lets requests in flight finish for up to `graceMs` (then cuts
   * what is left), and closes vendor pools, Redis and the simulators. @default graceMs 0
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

export interface StartServerOptions {
  readonly logger: Logger;
  /** How the simulators start in demo mode (seed, faults, latency, big batches); see loadSimulatorSettings. */
  readonly simulator?: StartSimulatorsOptions;
}

interface VendorEndpoints {
  readonly syllable: VendorSettings | null;
  readonly bolna: BolnaSettings | null;
}

/**
 * The vendors as the request store sees them: each adapter behind the shared read layer, which
 * keeps answers in this process and, with REDIS_URL, in Redis for every instance.
 */
export async function createVendorRegistry(config: AppConfig, endpoints: VendorEndpoints, logger: Logger): Promise<{ vendors: VendorRegistry; reads: SharedReads }> {
  let tier: RedisTier | null = null;
  if (config.cache.redis && config.cache.ttlMs > 0) {
    tier = new RedisTier(config.cache.redis, logger);
    if (await tier.ready(Math.max(1_000, config.cache.redis.timeoutMs * 4))) logger.info('read cache shared through Redis');
    else logger.warn('Redis did not answer at start: reads use this process\'s cache until it does.');
  }
  const reads = new SharedReads(config.cache, tier);
  const adapters: VendorAdapter[] = [];
  if (endpoints.syllable) adapters.push(new SyllableAdapter(endpoints.syllable, config.http.syllable));
  if (endpoints.bolna) adapters.push(new BolnaAdapter(endpoints.bolna, config.http.bolna));
  return { vendors: new VendorRegistry(adapters.map((adapter) => new CachingVendorAdapter(adapter, reads))), reads };
}

/** Starts the API; with no vendor key configured, on both embedded simulators. */
export async function startServer(config: AppConfig, options: StartServerOptions): Promise<RunningServer> {
  const { logger } = options;
  let simulators: RunningSimulators | null = null;
  let endpoints: VendorEndpoints = { syllable: config.syllable, bolna: config.bolna };
  if (config.demo) {
    simulators = await startSimulators(options.simulator);
    endpoints = {
      syllable: { baseUrl: simulators.syllable.url, apiKey: simulators.syllable.apiKey },
      bolna: { baseUrl: simulators.bolna.url, apiKey: simulators.bolna.apiKey, agentIds: simulators.bolna.agentIds },
    };
    logger.info(`demo mode: no vendor credentials set, serving the embedded simulators (Syllable ${simulators.syllable.url}, Bolna ${simulators.bolna.url})`);
    for (const vendor of ['syllable', 'bolna'] as const) {
      const faults = options.simulator?.faults?.[vendor] ?? [];
      if (faults.length > 0) logger.warn(`the ${vendor} simulator injects faults: ${JSON.stringify(faults)}`);
    }
  } else {
    logger.info(`vendors enabled: ${[config.syllable && `Syllable (${config.syllable.baseUrl})`, config.bolna && `Bolna (${config.bolna.baseUrl}, ${config.bolna.agentIds.length} agents)`].filter(Boolean).join(', ')}`);
    for (const vendor of ['syllable', 'bolna'] as const) {
      if (!config[vendor]) logger.info(`${vendor === 'syllable' ? 'Syllable' : 'Bolna'} disabled: no ${vendor.toUpperCase()}_API_KEY`);
    }
  }
  for (const warning of config.warnings) logger.warn(warning);

  const { vendors, reads } = await createVendorRegistry(config, endpoints, logger);
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
    reads,
    close: async ({ graceMs = 0 } = {}) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections go now; busy ones as soon as their answer is out.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([closed, grace]);
      clearInterval(sweep);
      clearTimeout(timer);
      server.closeAllConnections();
      await closed;
      await vendors.close();
      await reads.close();
      await simulators?.close();
    },
  };
}
