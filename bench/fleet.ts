/**
 * `npm run bench:fleet [-- --seconds 10]`: the fleet of `npm run fleet` (redis-server, simulators,
 * replicas, Hive Gateway) with 1 and then 3 replicas, driven by autocannon through the gateway
 * with the README's dashboard query, and one replica asked directly as the floor (no gateway). Per
 * row: ops/s, p50/p99, errors, vendor calls per op and Redis commands per op. Markdown on stdout.
 */
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { EXAMPLE_QUERY } from '../src/server/app.js';
import { startFleet, type RunningFleet } from '../scripts/fleet.js';

const args = process.argv.slice(2);
const at = args.indexOf('--seconds');
const seconds = at >= 0 ? Number(args[at + 1]) : 10;
const connections = 10;

interface Row {
  readonly setup: string;
  readonly opsPerSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly vendorCallsPerOp: number;
  readonly redisCommandsPerOp: number;
  /** GraphQL operations the replicas answered per operation sent: below 1 where the gateway deduplicates. */
  readonly replicaOpsPerOp: number;
}

async function vendorCalls(fleet: RunningFleet): Promise<number> {
  let total = 0;
  for (const vendor of ['syllable', 'bolna'] as const) total += ((await (await fetch(`${fleet.simulators[vendor].url}/__sim/stats`)).json()) as { total: number }).total;
  return total;
}

async function redisCommands(fleet: RunningFleet): Promise<number> {
  const client = new Redis(fleet.redis.url);
  const info = await client.info('stats');
  client.disconnect();
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0);
}

/** Operations the replicas answered so far, all of them. */
async function replicaOperations(fleet: RunningFleet): Promise<number> {
  let total = 0;
  for (const replica of fleet.replicas) {
    const text = await (await fetch(`${replica.baseUrl}/metrics`, { headers: { authorization: `Bearer ${fleet.metricsToken}` } })).text();
    for (const match of text.matchAll(/^outbound_graph_graphql_operations_total\{[^}]*\} (\S+)$/gm)) total += Number(match[1]);
  }
  return total;
}

async function drive(fleet: RunningFleet, url: string, setup: string, load: { connections: number; overallRate?: number } = { connections }): Promise<Row> {
  const body = JSON.stringify({ query: EXAMPLE_QUERY });
  const run = (duration: number) =>
    new Promise<{ result: autocannon.Result; errors: number }>((resolve, reject) => {
      let errors = 0;
      autocannon(
        {
          url,
          connections: load.connections,
          overallRate: load.overallRate,
          duration,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          requests: [{ method: 'POST', body, onResponse: (status: number, text: string) => void ((status !== 200 || text.includes('"errors"')) && (errors += 1)) }],
        },
        (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve({ result, errors })),
      );
    });
  await run(1);
  const callsBefore = await vendorCalls(fleet);
  const redisBefore = await redisCommands(fleet);
  const replicaOpsBefore = await replicaOperations(fleet);
  const { result, errors } = await run(seconds);
  const replicaOps = (await replicaOperations(fleet)) - replicaOpsBefore;
  const ops = result.requests.total;
  // The two INFO calls of this measurement are Redis commands too: one each.
  const redisCommandsUsed = (await redisCommands(fleet)) - redisBefore - 1;
  return {
    setup,
    opsPerSec: ops / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: errors + result.errors + result.timeouts,
    vendorCallsPerOp: ((await vendorCalls(fleet)) - callsBefore) / ops,
    redisCommandsPerOp: redisCommandsUsed / ops,
    replicaOpsPerOp: replicaOps / ops,
  };
}

execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
const rows: Row[] = [];
for (const replicas of [1, 3]) {
  const fleet = await startFleet({ replicas, build: false, simulator: { progress: { mode: 'off' } } });
  try {
    if (replicas === 1) rows.push(await drive(fleet, fleet.replicas[0]!.graphqlUrl, 'floor: 1 replica asked directly (no gateway)'));
    rows.push(await drive(fleet, fleet.gatewayUrl, `${replicas} replica${replicas > 1 ? 's' : ''} through Hive Gateway`));
    // 1,000 dashboards, each reloading every 4 s: 250 loads a second, over 100 connections.
    if (replicas === 3) rows.push(await drive(fleet, fleet.gatewayUrl, '1,000 dashboards (250 loads/s), 3 replicas through Hive Gateway', { connections: 100, overallRate: 250 }));
  } finally {
    await fleet.stop();
  }
}
const floor = rows[0]!;
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
console.log(
  [
    `## Fleet benchmark (${new Date().toISOString().slice(0, 10)}; README dashboard query, ${connections} connections, ${seconds} s a row, cache TTL 2 s)`,
    '',
    '| set-up | ops/s | ops vs floor | p50 ms | p99 ms | replica ops/op | vendor calls/op | vendor calls/min | Redis commands/op | Redis commands/replica op | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.setup} | ${fmt(r.opsPerSec, 0)} | ${fmt(r.opsPerSec / floor.opsPerSec, 2)}× | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.replicaOpsPerOp, 2)} | ${fmt(r.vendorCallsPerOp, 3)} | ${fmt(r.vendorCallsPerOp * r.opsPerSec * 60, 0)} | ${fmt(r.redisCommandsPerOp, 2)} | ${fmt(r.redisCommandsPerOp / r.replicaOpsPerOp, 2)} | ${r.errors} |`,
    ),
  ].join('\n'),
);
