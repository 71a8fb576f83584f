import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { corsFor, createApp, GRAPHIQL_DOCUMENT, GRAPHQL_PATH } from './app.js';
import { createGraphqlJsonRoute } from './graphql-json-route.js';
import { answerFinish } from './plugins.js';
import { BatchWatchers } from '../live/batch-watchers.js';
import { ProgressHistory, type HistoryStore } from '../live/progress-history.js';
import { RedisProgressHistory } from '../live/redis-history.js';
import { attachGraphqlWs } from './ws-transport.js';
import { handleBolnaWebhook } from './bolna-webhook.js';
import { LocalReplayGuard } from '../live/replay-guard.js';
import { FleetReplayGuard } from '../fleet/fleet-replay-guard.js';
import { CachingVendorAdapter, type SharedVendor } from '../cache/caching-adapter.js';
import { RedisTier } from '../cache/redis-tier.js';
import { SharedReads } from '../cache/shared-reads.js';
import type { AppConfig } from '../config/index.js';
import type { VendorSettings } from '../http/settings.js';
import type { BatchRecord, Vendor } from '../domain/model.js';
import type { Logger } from '../logger.js';
import { FleetCallGates } from '../fleet/fleet-call-gate.js';
import { FleetLink } from '../fleet/fleet-link.js';
import { FleetPollers } from '../fleet/fleet-pollers.js';
import type { CallGates } from '../http/settings.js';
import { AdmissionGate } from './admission.js';
import { DashboardFiles } from './dashboard-files.js';
import { GraphiqlPage } from './graphiql-page.js';
import { guardUnhandledRejections } from './request-scope.js';
import { createRequestHandler, metricsOnlyHandler } from './http-handler.js';
import { handleUpload } from './uploads-route.js';
import { handleResultsExport } from './results-export-route.js';
import type { StoreSources } from '../store/operation-store.js';
import { ServiceMetrics } from '../ops/metrics.js';
import { Authenticator } from '../security/auth.js';
import { CallerVendorBudgets, LocalCallerWindows } from '../security/caller-vendor-budget.js';
import { FleetCallerWindows } from '../fleet/fleet-caller-windows.js';
import { FleetLaunchLedger } from '../fleet/fleet-launch-ledger.js';
import { FleetUploadStore } from '../fleet/fleet-upload-store.js';
import { LocalLaunchLedger } from '../launch/launch-ledger.js';
import { LocalUploadStore } from '../launch/upload-store.js';
import { BolnaAdapter, type BolnaSettings } from '../vendors/bolna/bolna-adapter.js';
import { SyllableAdapter } from '../vendors/syllable/syllable-adapter.js';
import type { VendorAdapter } from '../vendors/vendor-adapter.js';
import { VendorRegistry } from '../vendors/vendor-registry.js';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:4000/graphql` */
  readonly graphqlUrl: string;
  /** e.g. `http://127.0.0.1:4000`: `/health` and `/ready` are below it. */
  readonly baseUrl: string;
  /** e.g. `http://127.0.0.1:4000/`; null when DASHBOARD is off or the page was not built. */
  readonly dashboardUrl: string | null;
  /** Where Prometheus scrapes: the API's port, or METRICS_PORT; null when /metrics is not served (see `metricsExposure`). */
  readonly metricsUrl: string | null;
  /** The shared read layer of this server. */
  readonly reads: SharedReads;
  /**
   * Stops accepting connections, lets requests in flight finish for up to `graceMs` (then cuts
   * what is left), and closes vendor pools and Redis. @default graceMs 0
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

export interface StartServerOptions {
  readonly logger: Logger;
  /** Where the vendors are: the configured ones, or in demo mode the simulators' (src/demo.ts). @default the configuration's */
  readonly endpoints?: VendorEndpoints;
  /** Where the built dashboard is. @default dist/web (what `npm run build` writes) */
  readonly dashboardDir?: string;
}

/** Where each enabled vendor is, with its credentials; null: the vendor is off. */
export interface VendorEndpoints {
  readonly syllable: VendorSettings | null;
  readonly bolna: BolnaSettings | null;
}

/**
 * The vendors as the request store sees them: each adapter behind the shared read layer, which
 * keeps answers in this process and, with REDIS_URL, in Redis for every instance.
 */
export async function createVendorRegistry(
  config: AppConfig,
  endpoints: VendorEndpoints,
  logger: Logger,
  metrics?: ServiceMetrics,
  history?: HistoryStore,
  gates?: CallGates,
): Promise<{ vendors: VendorRegistry<SharedVendor>; reads: SharedReads; tier: RedisTier | null }> {
  let tier: RedisTier | null = null;
  if (config.cache.redis && config.cache.ttlMs > 0) {
    tier = new RedisTier(config.cache.redis, logger);
    if (await tier.ready(Math.max(1_000, config.cache.redis.timeoutMs * 4))) logger.info('read cache shared through Redis');
    else logger.warn('Redis did not answer at start: reads use this process\'s cache until it does.');
  }
  const reads = new SharedReads(config.cache, tier, metrics ? (vendor, outcome) => metrics.cacheLookup(vendor, outcome) : undefined);
  const http = (vendor: Vendor) => ({ ...config.http[vendor], observer: metrics, gates });
  const adapters: VendorAdapter[] = [];
  if (endpoints.syllable) adapters.push(new SyllableAdapter(endpoints.syllable, http('syllable')));
  if (endpoints.bolna) adapters.push(new BolnaAdapter(endpoints.bolna, http('bolna')));
  const observe = history ? (batch: BatchRecord) => history.observe(batch) : undefined;
  return { vendors: new VendorRegistry(adapters.map((adapter) => new CachingVendorAdapter(adapter, reads, observe))), reads, tier };
}

function describeAuth(config: AppConfig): string {
  const { auth } = config;
  const router = auth.routerSecret ? '; `_service`/`_entities` also answer the router (ROUTER_SECRET)' : '';
  if (!auth.enabled) {
    return config.demo
      ? `demo mode: callers are not authenticated (set AUTH_JWT_SECRET to try tokens)${router}`
      : `AUTH_DISABLED=true: callers are not authenticated${router}`;
  }
  const keys = auth.jwtSecret ? 'HS256 secret' : `JWKS at ${auth.jwksUrl}`;
  return `callers need a bearer token (${keys}${auth.issuer ? `, issuer ${auth.issuer}` : ''}${auth.audience ? `, audience ${auth.audience}` : ''}) with batches:read / batches:write${router}`;
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Starts the API on the vendors at `endpoints` (the configured ones by default). */
export async function startServer(config: AppConfig, options: StartServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const endpoints: VendorEndpoints = options.endpoints ?? { syllable: config.syllable, bolna: config.bolna };
  if (config.demo && !options.endpoints) throw new Error('demo mode serves the vendor simulators: start them first (startDemoVendors) and pass their endpoints');
  if (!config.demo) {
    logger.info(`vendors enabled: ${[config.syllable && `Syllable (${config.syllable.baseUrl})`, config.bolna && `Bolna (${config.bolna.baseUrl}, ${config.bolna.agentIds.length} agents)`].filter(Boolean).join(', ')}`);
    for (const vendor of ['syllable', 'bolna'] as const) {
      if (!config[vendor]) logger.info(`${vendor === 'syllable' ? 'Syllable' : 'Bolna'} disabled: no ${vendor.toUpperCase()}_API_KEY`);
    }
  }
  for (const warning of config.warnings) logger.warn(warning);
  logger.info(describeAuth(config));

  // With Redis the replicas are a fleet: one rate budget per vendor credential, one poller per batch.
  const fleet = config.cache.redis ? new FleetLink({ redis: config.cache.redis, sizeHint: config.fleetSizeHint }, logger) : null;
  if (fleet && !(await fleet.ready(Math.max(1_000, fleet.settings.redis.timeoutMs * 4)))) {
    logger.warn(`Redis did not answer at start: this replica runs alone (1/${config.fleetSizeHint} of each vendor budget, FLEET_SIZE_HINT) until it does.`);
  }
  let vendorsForMetrics: VendorRegistry<SharedVendor> | null = null;
  const metrics = new ServiceMetrics(() => vendorsForMetrics?.health() ?? [], fleet ? () => fleet.currentMode === 'shared' : null);
  const unguard = guardUnhandledRejections(logger, () => metrics.unhandledRejection());
  // With Redis, history is shared by the instances and survives restarts.
  const history: HistoryStore = config.cache.redis ? new RedisProgressHistory(config.cache.redis, config.live.history, logger) : new ProgressHistory(config.live.history);
  const { vendors, reads, tier } = await createVendorRegistry(config, endpoints, logger, metrics, history, fleet ? new FleetCallGates(fleet) : undefined);
  vendorsForMetrics = vendors;
  const authenticator = new Authenticator(config.auth);
  const pollsPerMinute = (vendor: Vendor) => (config.http[vendor].rateLimitPerMinute * config.live.pollBudgetPercent) / 100;
  const live = new BatchWatchers(
    vendors,
    { ...config.live, pollDeadlineMs: config.requestDeadlineMs, pollsPerMinute: { syllable: pollsPerMinute('syllable'), bolna: pollsPerMinute('bolna') } },
    logger,
    fleet ? new FleetPollers(fleet) : null,
    metrics,
  );
  metrics.watchedBatches = () => live.heldSlots();
  const callerBudgets = new CallerVendorBudgets(
    { syllable: config.http.syllable.rateLimitPerMinute, bolna: config.http.bolna.rateLimitPerMinute },
    config.limits.callerVendorBudgetPercent,
    fleet ? new FleetCallerWindows(fleet) : new LocalCallerWindows(),
  );
  // With Redis, idempotency keys and uploads hold for every replica and across restarts.
  const launches = fleet
    ? { ledger: new FleetLaunchLedger(fleet), uploads: new FleetUploadStore(fleet) }
    : { ledger: new LocalLaunchLedger(), uploads: new LocalUploadStore() };
  const storeSources: StoreSources = {
    vendors,
    watchers: live,
    history,
    callerBudgets,
    maxVendorCalls: config.limits.maxVendorCallsPerOperation,
    deadlineMs: config.requestDeadlineMs,
    listWait: config.listWait,
    launches,
    publicUrl: config.server.publicUrl,
  };
  const yoga = createApp({
    store: storeSources,
    logger,
    authenticator,
    limits: config.limits,
    browser: config.browser,
    introspection: config.server.introspection,
    compileAtRun: config.server.compileAtRun,
  });
  let draining = false;
  const { server: serverSettings, observability } = config;
  const dashboard = serverSettings.dashboard ? DashboardFiles.load(options.dashboardDir) : null;
  if (serverSettings.dashboard && !dashboard) logger.warn('the dashboard is not built (`npm run build` builds it): `/` serves no page');
  const webhookOptions = { secret: config.bolnaWebhookSecret, watchers: live, replays: fleet ? new FleetReplayGuard(fleet) : new LocalReplayGuard(), logger };
  const admission = new AdmissionGate(config.limits.maxInflightOperations);
  const graphiql = serverSettings.graphiql ? new GraphiqlPage({
        // GraphiQL subscribes over SSE with a GET: the header shows it is not a cross-site request (CSRF).
        render: { title: 'outbound-graph', defaultQuery: GRAPHIQL_DOCUMENT, additionalHeaders: { 'x-graphql-yoga-csrf': 'graphiql' } },
        authenticator,
        logger,
      }) : null;
  const handler = createRequestHandler({
    graphql: createGraphqlJsonRoute({
      yoga,
      path: GRAPHQL_PATH,
      cors: corsFor(config.browser),
      finish: answerFinish(config.server.introspection),
      maxBodyBytes: config.limits.maxRequestBodyBytes,
      logger,
    }),
    metrics,
    metricsHere: observability.metricsExposure === 'token' || observability.metricsExposure === 'open',
    metricsToken: observability.metricsToken,
    readiness: {
      vendors: () => vendors.health(),
      redisUp: tier ? () => tier.ping(config.cache.redis?.timeoutMs ?? 250) : null,
      draining: () => draining,
      fleet: fleet ? () => ({ mode: fleet.currentMode, replica: fleet.replicaId, sizeHint: config.fleetSizeHint }) : undefined,
    },
    admission,
    graphqlPath: GRAPHQL_PATH,
    graphiql: graphiql ?? undefined,
    logger,
    bolnaWebhook: (req, res, path) => handleBolnaWebhook(req, res, path, webhookOptions),
    dashboard: dashboard ? (req, res, path) => dashboard.serve(req, res, path) : undefined,
    uploads: (req, res, record) => void handleUpload(req, res, record, { authenticator, uploads: launches.uploads, vendors, logger }),
    resultsExport: (req, res, record, encodedId) =>
      void handleResultsExport(req, res, record, encodedId, { authenticator, store: storeSources, logger, timeoutMs: serverSettings.exportTimeoutMs }),
  });
  const server = createServer(
    {
      // Slow clients are cut: headers within headersTimeout, the whole request within requestTimeout.
      headersTimeout: serverSettings.headersTimeoutMs,
      requestTimeout: serverSettings.requestTimeoutMs,
      keepAliveTimeout: serverSettings.keepAliveTimeoutMs,
      // Node checks those timeouts on this interval (30 s by default, which would let a slow client stay that long).
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(serverSettings.headersTimeoutMs / 4))),
    },
    handler,
  );
  const ws = attachGraphqlWs(server, yoga, {
    path: GRAPHQL_PATH,
    authenticator,
    maxSubscriptionsPerConnection: config.live.maxSubscriptionsPerConnection,
    maxPayloadBytes: config.limits.maxRequestBodyBytes,
    admission,
    maxConnections: config.limits.maxWsConnections,
  });
  const port = await listen(server, config.port, config.host);
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const graphqlUrl = `http://${host}:${port}${GRAPHQL_PATH}`;
  let metricsServer: Server | null = null;
  let metricsUrl: string | null = observability.metricsExposure === 'off' ? null : `http://${host}:${port}/metrics`;
  if (observability.metricsExposure === 'off') {
    logger.warn('/metrics is not served: with vendor keys or caller auth it needs METRICS_PORT (a listener of its own) or METRICS_TOKEN (a bearer token on the API port).');
  }
  if (observability.metricsPort !== null) {
    metricsServer = createServer(metricsOnlyHandler(metrics, observability.metricsToken));
    const metricsPort = await listen(metricsServer, observability.metricsPort, observability.metricsHost);
    const metricsHost = observability.metricsHost.includes(':') ? `[${observability.metricsHost}]` : observability.metricsHost;
    metricsUrl = `http://${metricsHost}:${metricsPort}/metrics`;
  }

  return {
    graphqlUrl,
    baseUrl: `http://${host}:${port}`,
    dashboardUrl: dashboard ? `http://${host}:${port}/` : null,
    metricsUrl,
    reads,
    close: async ({ graceMs = 0 } = {}) => {
      draining = true;
      // Subscriptions end first: their streams complete, and their connections can close.
      live.close();
      await ws.close();
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
      if (metricsServer) {
        metricsServer.closeAllConnections();
        await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      }
      await vendors.close();
      await reads.close();
      await history.close();
      await fleet?.close();
      unguard();
    },
  };
}
