/**
 * `npm run fleet`: outbound-graph as a fleet on this machine, all on 127.0.0.1 and free ports: a
 * real redis-server, the vendor simulators, N replicas of the API (compiled, plain node, as in
 * production) sharing Redis, and Hive Gateway over a supergraph of this API and a small second
 * subgraph (campaign notes). It prints the gateway's URL; Ctrl-C stops everything it started.
 * `startFleet` is the same set-up for the fleet test.
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway';
import { OperationTypeNode } from 'graphql';
import { spawnNode, type Spawned } from '../bench/processes.js';
import { startSimulators, type RunningSimulators, type StartSimulatorsOptions } from '../src/simulators/index.js';
import { startNotesSubgraph, type NotesSubgraph } from './federation/notes-subgraph.js';
import { composeSupergraph } from './federation/supergraph.js';
import { REDIS_MISSING, redisServerInstalled, startRedis, type RedisProcess } from './redis-server.js';

/** The supergraph names outbound-graph by this URL; the gateway's balancer sends each request to a replica. */
const FLEET_SUBGRAPH_URL = 'http://outbound-graph.fleet/graphql';
/** A replica that refused a connection is skipped this long. */
const SKIP_DOWN_REPLICA_MS = 2_000;

export interface FleetOptions {
  /** @default 3 */
  readonly replicas?: number;
  /** Settings of every replica (POLL_INTERVAL_MS, CACHE_TTL_MS…). */
  readonly env?: Readonly<Record<string, string>>;
  readonly simulator?: StartSimulatorsOptions;
  /** Compile `src/` first. @default true */
  readonly build?: boolean;
}

export interface Replica {
  readonly index: number;
  /** e.g. `http://127.0.0.1:41234/graphql` */
  readonly graphqlUrl: string;
  readonly baseUrl: string;
  readonly pid: number;
  /** The id it holds poll leases under (its `/ready` says it). */
  readonly replicaId: string;
  readonly alive: boolean;
  /** The replica's log, but for its line per request. */
  readonly lines: readonly string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface RunningFleet {
  readonly gatewayUrl: string;
  /** Every replica's /metrics wants `Authorization: Bearer <metricsToken>` (METRICS_TOKEN). */
  readonly metricsToken: string;
  readonly replicas: readonly Replica[];
  readonly redis: RedisProcess;
  readonly simulators: RunningSimulators;
  stop(): Promise<void>;
}

/** Sends each request for the fleet's subgraph to the next live replica; a refused connection moves on to the next. */
function fleetBalancer(replicas: () => readonly Replica[]): GatewayPlugin {
  let next = 0;
  const downUntil = new Map<number, number>();
  return {
    onFetch({ url, setFetchFn, fetchFn, executionRequest }) {
      if (!url.startsWith(FLEET_SUBGRAPH_URL)) return;
      // A query may go to another replica after its connection failed; a mutation only when it never got through.
      const mayResend = executionRequest?.operationType !== OperationTypeNode.MUTATION;
      setFetchFn(async (target, init, ...rest) => {
        const all = replicas().filter((r) => r.alive);
        const live = all.filter((r) => (downUntil.get(r.index) ?? 0) <= Date.now());
        const order = live.length > 0 ? live : all;
        let failure: unknown = new Error('no replica of outbound-graph is running');
        for (let attempt = 0; attempt < order.length; attempt += 1) {
          const replica = order[(next += 1) % order.length]!;
          try {
            return await fetchFn(String(target).replace(FLEET_SUBGRAPH_URL, replica.graphqlUrl), init, ...rest);
          } catch (error) {
            failure = error;
            const code = connectionErrorCode(error);
            if (code === null) throw error;
            downUntil.set(replica.index, Date.now() + SKIP_DOWN_REPLICA_MS);
            if (code !== 'ECONNREFUSED' && !mayResend) throw error;
          }
        }
        throw failure;
      });
    },
  };
}

function connectionErrorCode(error: unknown): string | null {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'].includes(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Starts one replica; `spawned` hears of it as soon as it runs, so a failed start of another still stops it. */
async function startReplica(index: number, env: Record<string, string>, spawned: (replica: Replica) => void): Promise<void> {
  const child = await spawnNode(['dist/main.js'], env, /GraphQL API (?:and GraphiQL )?at (http:\/\/[^\s"]+)/);
  spawned(await replicaOf(index, child));
}

async function replicaOf(index: number, spawned: Spawned & { match: RegExpExecArray }): Promise<Replica> {
  const graphqlUrl = spawned.match[1]!;
  const baseUrl = new URL(graphqlUrl).origin;
  const ready = (await (await fetch(`${baseUrl}/ready`)).json()) as { fleet?: { replica: string } };
  let alive = true;
  spawned.child.once('exit', () => (alive = false));
  const lines = spawned.lines.filter((line) => !line.includes('"msg":"request"'));
  spawned.child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line && !line.includes('"msg":"request"')) lines.push(line);
  });
  return {
    index,
    graphqlUrl,
    baseUrl,
    pid: spawned.child.pid!,
    replicaId: ready.fleet?.replica ?? '',
    get alive() {
      return alive;
    },
    lines,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (!alive) return;
      const exited = new Promise<void>((resolve) => spawned.child.once('exit', () => resolve()));
      spawned.child.kill(signal);
      await exited;
    },
  };
}

export async function startFleet(options: FleetOptions = {}): Promise<RunningFleet> {
  if (options.build !== false) execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const count = options.replicas ?? 3;
  const started: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of started.reverse()) await stop().catch(() => {});
  };
  try {
    const redis = await startRedis();
    started.push(() => redis.stop());
    const metricsToken = `fleet-metrics-${randomBytes(12).toString('hex')}`;
    const routerSecret = `fleet-router-${randomBytes(12).toString('hex')}`;
    const simulators = await startSimulators({ syllablePort: 0, bolnaPort: 0, ...options.simulator });
    started.push(() => simulators.close());
    const env: Record<string, string> = {
      SYLLABLE_BASE_URL: simulators.syllable.url,
      SYLLABLE_API_KEY: simulators.syllable.apiKey,
      BOLNA_BASE_URL: simulators.bolna.url,
      BOLNA_API_KEY: simulators.bolna.apiKey,
      BOLNA_AGENT_IDS: simulators.bolna.agentIds.join(','),
      // The fleet's callers are the gateway's: this demo set-up checks no tokens (see "Callers" in the README).
      AUTH_DISABLED: 'true',
      // With vendor keys, /metrics answers only with a token (or on a port of its own).
      METRICS_TOKEN: metricsToken,
      // The gateway proves itself with it (and so passes the CSRF check on its subscriptions).
      ROUTER_SECRET: routerSecret,
      REDIS_URL: redis.url,
      FLEET_SIZE_HINT: String(count),
      HOST: '127.0.0.1',
      PORT: '0',
      ...options.env,
    };
    const replicas: Replica[] = [];
    started.push(async () => {
      await Promise.all(replicas.map((replica) => replica.kill()));
    });
    const starting = Array.from({ length: count }, (_, index) => startReplica(index, env, (replica) => replicas.push(replica)));
    await Promise.all(starting);
    replicas.sort((a, b) => a.index - b.index);
    const notes: NotesSubgraph = await startNotesSubgraph([]);
    started.push(() => notes.close());
    const { supergraphSdl } = composeSupergraph({ outbound: FLEET_SUBGRAPH_URL, notes: notes.url });
    const runtime = createGatewayRuntime({
      supergraph: supergraphSdl,
      logging: false,
      // No request through the gateway waits longer than this for a replica.
      upstreamTimeout: 30_000,
      plugins: () => [fleetBalancer(() => replicas)],
      // As deploy/gateway.config.ts: the caller's token, and the router's secret.
      propagateHeaders: {
        fromClientToSubgraphs: ({ request }) => ({
          authorization: request.headers.get('authorization') ?? '',
          'router-authorization': `Bearer ${routerSecret}`,
          traceparent: request.headers.get('traceparent') ?? '',
        }),
      },
    });
    const gateway = createServer((req, res) => void runtime(req, res));
    const port = await listen(gateway);
    started.push(async () => {
      gateway.closeAllConnections();
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
      await runtime.dispose();
    });
    return { gatewayUrl: `http://127.0.0.1:${port}/graphql`, metricsToken, replicas, redis, simulators, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!redisServerInstalled()) {
    console.error(REDIS_MISSING);
    process.exit(1);
  }
  const fleet = await startFleet({ replicas: Number(process.env.FLEET_REPLICAS ?? 3), simulator: { progress: { mode: 'realtime' } } });
  console.log(`redis-server ${fleet.redis.url} (pid ${fleet.redis.pid})`);
  for (const replica of fleet.replicas) console.log(`replica ${replica.index + 1}: ${replica.graphqlUrl} (pid ${replica.pid}, lease id ${replica.replicaId})`);
  console.log(`Gateway (Hive Gateway, supergraph of outbound-graph and notes) at ${fleet.gatewayUrl}`);
  console.log(`Each replica's /metrics answers with: Authorization: Bearer ${fleet.metricsToken}`);
  console.log('Ctrl-C stops the gateway, the replicas, the simulators and redis-server.');
  const stop = () => {
    fleet.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
