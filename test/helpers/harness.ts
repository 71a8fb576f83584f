import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger, lineDestination, silentLogger } from '../../src/logger.js';
import { startDemoVendors } from '../../src/demo.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import type { RunningSimulators } from '../../src/simulators/index.js';
import type { FaultSpec } from '../../src/simulators/faults.js';
import type { LoggedRequest, SimOverride, SimStats } from '../../src/simulators/sim-server.js';
import { allBolnaBatches, allSyllableBatches, type RawBatch } from './vendor-raw.js';

/** A GraphQL response as the client sees it. */
export interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

export type VendorName = 'syllable' | 'bolna';

export interface HttpAnswer<TData> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: GraphQLResponse<TData>;
}

export interface Harness {
  readonly server: RunningServer;
  readonly simulators: RunningSimulators;
  readonly graphqlUrl: string;
  gql<TData, TVariables>(document: TypedDocumentNode<TData, TVariables> | string, variables?: TVariables): Promise<GraphQLResponse<TData>>;
  /** A GraphQL POST with these headers, answered with its status and headers. */
  post<TData = unknown>(body: unknown, headers?: Record<string, string>): Promise<HttpAnswer<TData>>;
  /** Vendor requests since the last reset, both vendors, all routes. */
  totalCalls(): Promise<number>;
  stats(vendor: VendorName): Promise<SimStats>;
  /** Vendor requests since the last reset, per route (`GET /batches/{batch_id}`), both vendors. */
  calls(): Promise<Record<VendorName, Record<string, number>>>;
  requests(vendor: VendorName): Promise<LoggedRequest[]>;
  override(vendor: VendorName, override: SimOverride): Promise<void>;
  /** Injects a fault over the simulator's admin API. */
  fault(vendor: VendorName, fault: FaultSpec): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly env?: Record<string, string>;
  readonly latencyMs?: number;
  /** Collects the server's JSON log lines (level debug); silent otherwise. */
  readonly logs?: string[];
  /** Running demo batches move as time passes at this many calls an hour; still otherwise. */
  readonly callsPerHour?: number;
  /** Running demo batches move as time passes, each at its own pace, as `npm start` runs them. */
  readonly demoPace?: boolean;
  /** Serve the dashboard built in this folder (the default is `dist/web`). */
  readonly dashboardDir?: string;
  /** Adds one running batch of this many targets per vendor, the newest of each. */
  readonly largeBatchTargets?: number;
}

/** The real server in demo mode on 127.0.0.1, over the real simulators, all on ephemeral ports. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const config = loadConfig({ PORT: '0', ...options.env });
  const logs = options.logs;
  const logger = logs ? createLogger({ level: 'debug', destination: lineDestination((line) => logs.push(line)) }) : silentLogger;
  const progress = options.callsPerHour ? { mode: 'realtime' as const, ratePerHour: options.callsPerHour } : options.demoPace ? { mode: 'realtime' as const } : undefined;
  if (!config.demo) throw new Error('the harness needs demo mode');
  const { simulators, endpoints } = await startDemoVendors({ latencyMs: options.latencyMs, progress, largeBatchTargets: options.largeBatchTargets }, logger);
  const server = await startServer(config, { logger, endpoints, dashboardDir: options.dashboardDir });
  const simUrl = (vendor: VendorName) => simulators[vendor].url;
  const admin = async (vendor: VendorName, path: string, init?: RequestInit) => {
    const response = await fetch(`${simUrl(vendor)}/__sim/${path}`, init);
    if (!response.ok) throw new Error(`simulator admin ${path}: HTTP ${response.status}`);
    return response.status === 204 ? null : ((await response.json()) as unknown);
  };
  const harness: Harness = {
    server,
    simulators,
    graphqlUrl: server.graphqlUrl,
    async gql(document, variables) {
      return (await harness.post<never>({ query: typeof document === 'string' ? document : print(document), variables })).body;
    },
    async post(body, headers = {}) {
      const response = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<never> };
    },
    async totalCalls() {
      const calls = await harness.calls();
      return [...Object.values(calls.syllable), ...Object.values(calls.bolna)].reduce((sum, n) => sum + n, 0);
    },
    stats: async (vendor) => (await admin(vendor, 'stats')) as SimStats,
    async calls() {
      const [syllable, bolna] = await Promise.all([harness.stats('syllable'), harness.stats('bolna')]);
      return { syllable: syllable.requests, bolna: bolna.requests };
    },
    requests: async (vendor) => (await admin(vendor, 'requests')) as LoggedRequest[],
    async override(vendor, override) {
      await admin(vendor, 'overrides', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(override) });
    },
    async fault(vendor, fault) {
      await admin(vendor, 'faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
    },
    async reset() {
      // Each test starts from what the vendors hold, not from answers an earlier test left cached.
      server.reads.clearLocal();
      await Promise.all(
        (['syllable', 'bolna'] as const).flatMap((vendor) => [
          admin(vendor, 'stats/reset', { method: 'POST' }),
          admin(vendor, 'overrides', { method: 'DELETE' }),
          admin(vendor, 'faults', { method: 'DELETE' }),
        ]),
      );
    },
    close: async () => {
      await server.close();
      await simulators.close();
    },
  };
  return harness;
}

/** The data of a response that must have no errors. */
export function dataOf<TData>(response: GraphQLResponse<TData>): TData {
  if (response.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
  if (!response.data) throw new Error('no data');
  return response.data;
}

/** The demo batches as global ids, read from the simulators as a vendor client would. */
export interface DemoBatches {
  readonly syllable: string[];
  /** Syllable batches in status ACTIVE: the ones that can be paused. */
  readonly active: string[];
  readonly bolna: string[];
  readonly rawSyllable: RawBatch[];
}

/**
 * A harness for one describe block: started before its tests, closed after them, reset (simulator
 * counters, faults, the server's cache) before each test, with the demo batch ids.
 */
export function harnessPerDescribe(options?: HarnessOptions): { readonly h: Harness; readonly batches: DemoBatches } {
  const state: { h?: Harness; batches?: DemoBatches } = {};
  beforeAll(async () => {
    const h = (state.h = await startHarness(options));
    const [syllable, bolna] = await Promise.all([allSyllableBatches(h.simulators), allBolnaBatches(h.simulators)]);
    state.batches = {
      syllable: syllable.map((b) => `syllable:${b.batch_id}`),
      active: syllable.filter((b) => b.status === 'ACTIVE').map((b) => `syllable:${b.batch_id}`),
      bolna: bolna.map((b) => `bolna:${b.batch_id}`),
      rawSyllable: syllable,
    };
    await h.reset();
  });
  afterAll(() => state.h?.close());
  beforeEach(() => state.h?.reset());
  return {
    get h() {
      return state.h!;
    },
    get batches() {
      return state.batches!;
    },
  };
}
