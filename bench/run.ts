/**
 * `npm run bench`: speed, vendor calls and memory of typical operations, on 127.0.0.1 against
 * the embedded simulators (0 ms vendor latency unless BENCH_VENDOR_LATENCY_MS is set). Each
 * scenario is bounded in requests and seconds; the figures go to stdout as a Markdown table.
 */
import { performance } from 'node:perf_hooks';
import { EXAMPLE_QUERY } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { startServer } from '../src/server.js';

const latencyMs = Number(process.env.BENCH_VENDOR_LATENCY_MS ?? 0);
// Vendor rate limits are off here: the bench measures this API, and Bolna's 900 a minute would cap
// it at about 450 dashboards a minute (two agent lists each) long before the code is the limit.
const server = await startServer(loadConfig({ PORT: '0', BOLNA_RATE_LIMIT_PER_MINUTE: '0' }), {
  logger: silentLogger,
  simulator: { latencyMs, bolnaRateLimitPerMinute: 1_000_000_000 },
});
const sims = server.simulators!;

/** Posts a query; `expectCode`, when given, is the error code every error must carry. */
async function post(query: string, variables?: Record<string, unknown>, expectCode?: string): Promise<void> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
  const unexpected = (body.errors ?? []).filter((e) => e.extensions?.code !== expectCode);
  if (!response.ok || unexpected.length > 0 || (expectCode && !body.errors)) throw new Error(`bench query failed: ${JSON.stringify(body).slice(0, 300)}`);
}

async function injectFault(fault: Record<string, unknown> | null): Promise<void> {
  const url = `${sims.syllable.url}/__sim/faults`;
  await fetch(url, fault ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) } : { method: 'DELETE' });
}

function vendorCalls(): number {
  return sims.syllable.server.stats().total + sims.bolna.server.stats().total;
}

function resetCalls(): void {
  sims.syllable.server.resetStats();
  sims.bolna.server.resetStats();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Row {
  scenario: string;
  requests: number;
  concurrency: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  vendorCallsPerOp: number;
  rssMiB: number;
}

const rows: Row[] = [];

/** Runs `op` with `concurrency` workers until `maxRequests` or `maxSeconds`, whichever comes first. */
async function scenario(name: string, op: () => Promise<void>, options: { concurrency: number; maxRequests: number; maxSeconds: number }): Promise<void> {
  await op(); // warm-up, not counted
  resetCalls();
  const times: number[] = [];
  const deadline = performance.now() + options.maxSeconds * 1000;
  let started = 0;
  const begin = performance.now();
  const worker = async () => {
    while (started < options.maxRequests && performance.now() < deadline) {
      started += 1;
      const t0 = performance.now();
      await op();
      times.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsed = (performance.now() - begin) / 1000;
  times.sort((a, b) => a - b);
  rows.push({
    scenario: name,
    requests: times.length,
    concurrency: options.concurrency,
    rps: times.length / elapsed,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    vendorCallsPerOp: vendorCalls() / times.length,
    rssMiB: process.memoryUsage().rss / 2 ** 20,
  });
}

const simList = (await (await fetch(`${sims.syllable.url}/api/v1/outbound/batches?limit=100`, { headers: { 'Syllable-API-Key': sims.syllable.apiKey } })).json()) as {
  items: Array<{ batch_id: string; status: string }>;
};
const syllableId = `syllable:${simList.items.find((b) => b.status === 'EXPIRED')!.batch_id}`;
// The 20,000-target batch is the first one seeded.
const bigId = `syllable:${simList.items[0]!.batch_id}`;

const directGet = async () => {
  const response = await fetch(`${sims.syllable.url}/api/v1/outbound/batches/${syllableId.slice('syllable:'.length)}`, {
    headers: { 'Syllable-API-Key': sims.syllable.apiKey },
  });
  await response.arrayBuffer();
};
const detail = `query($id: ID!) { batch(id: $id) { id status totalCount statusCounts { vendorStatus count breakdown { vendorStatus count } } progress { completedFraction } } }`;
const page25 = `{ batches(first: 25) { edges { node { id status statusCounts { count } progress { completedFraction } } } } }`;
const bigResults = `query($id: ID!) { batch(id: $id) { results(first: 100) { totalCount edges { node { id target status vendorStatus } } } } }`;

await scenario('vendor GET straight to the simulator (baseline)', directGet, { concurrency: 1, maxRequests: 500, maxSeconds: 5 });
await scenario('batch(id) with counts and progress', () => post(detail, { id: syllableId }), { concurrency: 1, maxRequests: 500, maxSeconds: 5 });
await scenario('dashboard (GraphiQL example, 10 batches)', () => post(EXAMPLE_QUERY), { concurrency: 1, maxRequests: 300, maxSeconds: 5 });
await scenario('25-batch page with statusCounts', () => post(page25), { concurrency: 1, maxRequests: 200, maxSeconds: 5 });
await scenario('results(first: 100) of the 20,000-target batch', () => post(bigResults, { id: bigId }), { concurrency: 1, maxRequests: 40, maxSeconds: 8 });
await scenario('batch(id) under load', () => post(detail, { id: syllableId }), { concurrency: 32, maxRequests: 5_000, maxSeconds: 8 });
await scenario('dashboard under load', () => post(EXAMPLE_QUERY), { concurrency: 32, maxRequests: 3_000, maxSeconds: 8 });

// Syllable down (503 on every call): the breaker opens after the first calls, then answers fast.
await injectFault({ status: 503 });
for (let i = 0; i < 3; i += 1) await post(detail, { id: syllableId }).catch(() => undefined); // five failures open the breaker
await scenario('Syllable down: batch(id) fails fast (breaker open)', () => post(detail, { id: syllableId }, 'VENDOR_UNAVAILABLE'), {
  concurrency: 1,
  maxRequests: 500,
  maxSeconds: 5,
});
await scenario('Syllable down: batches over both vendors (partial data)', () => post(`{ batches(first: 25) { incompleteVendors edges { node { id } } } }`, undefined, 'VENDOR_UNAVAILABLE'), {
  concurrency: 1,
  maxRequests: 300,
  maxSeconds: 5,
});
await injectFault(null);

const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
await server.close();

const fmt = (n: number, digits = 1) => n.toFixed(digits);
console.log(`\noutbound-graph benchmark: Node ${process.version}, vendor latency ${latencyMs} ms, vendor rate limits off, API and simulators in one process\n`);
console.log('| scenario | requests | conc. | req/s | p50 ms | p95 ms | p99 ms | vendor calls/op | RSS MiB |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.scenario} | ${r.requests} | ${r.concurrency} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.vendorCallsPerOp, 2)} | ${fmt(r.rssMiB, 0)} |`);
}
console.log(`\nheap used at the end: ${fmt(heapMiB, 0)} MiB`);
