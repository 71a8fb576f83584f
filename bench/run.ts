/**
 * `npm run bench [-- --quick] [-- --core] [-- --latency 0,25] [-- --seconds 5] [-- --profile]`
 *
 * The API (compiled first, run with plain node as in production), the vendor simulators and the floor (bench/floor.ts: the same vendor calls and answer
 * shapes with plain node:http + undici) each run as their own process on 127.0.0.1; autocannon
 * drives them at fixed connections for a fixed time. For every scenario and vendor latency it
 * prints ops/s, p50/p99, vendor calls per op beside the floor's (the ideal minimum), the API's CPU
 * ms per op and peak RSS, and the ratios API/floor; then how cost grows with batch size and with
 * the number of dashboards, and how fast the dashboard page loads in Chromium. One Markdown report on stdout, the figures as JSON in .bench/.
 */
import autocannon from 'autocannon';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { EXAMPLE_QUERY } from '../src/server/app.js';
import { encodeCursor } from '../src/domain/pagination.js';
import { execFileSync } from 'node:child_process';
import { chromiumPath } from '../test/helpers/chromium.js';
import { measurePageLoad, type PageLoad } from './page-load.js';
import { parse as csvParse } from 'csv-parse/sync';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { fictionalNumber } from '../src/simulators/prng.js';
import { cpuMs, peakRssMiB, resetPeakRss, spawnNode, spawnTs, type Spawned } from './processes.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const quick = args.includes('--quick');
/** `--core`: the scenario table only (S1–S7 against both floors), for iterating on the cost of a request. */
const core = args.includes('--core');
const latencies = (flag('latency') ?? (quick ? '0' : '0,25')).split(',').map(Number);
const seconds = Number(flag('seconds') ?? (quick ? 1 : 5));
const connections = 10;
const BIG = quick ? 10_000 : 100_000;
const ROW_SIZES = quick ? [1_000] : [1_000, 10_000, 100_000];
const DASHBOARDS = quick ? [10] : [10, 100, 120, 1_000];
const DASHBOARD_SECONDS = quick ? 3 : 20;
/** `--profile`: every API process writes a CPU profile (node --cpu-prof) to .bench/profiles. */
const profileArgs = () => (args.includes('--profile') ? ['--cpu-prof', '--cpu-prof-dir=.bench/profiles'] : []);

execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });

interface Vendors {
  readonly process: Spawned;
  readonly env: Record<string, string>;
  readonly syllableUrl: string;
  readonly bolnaUrl: string;
  readonly syllableKey: string;
}

async function startSimulators(latencyMs: number, largeBatchTargets: number, bolnaLimit: number): Promise<Vendors> {
  const spawned = await spawnTs(
    'src/simulate.ts',
    { SIM_PROGRESS: 'off', SIM_SYLLABLE_PORT: '0', SIM_BOLNA_PORT: '0', SIM_LATENCY_MS: String(latencyMs), SIM_LARGE_BATCH_TARGETS: String(largeBatchTargets), SIM_BOLNA_RATE_LIMIT_PER_MINUTE: String(bolnaLimit) },
    /SYLLABLE_BASE_URL=(\S+) SYLLABLE_API_KEY=(\S+) BOLNA_BASE_URL=(\S+) BOLNA_API_KEY=(\S+) BOLNA_AGENT_IDS=(\S+)/,
  );
  const [, syllableUrl, syllableKey, bolnaUrl, bolnaKey, agents] = spawned.match as unknown as string[];
  const env = { AUTH_DISABLED: 'true', SYLLABLE_BASE_URL: syllableUrl!, SYLLABLE_API_KEY: syllableKey!, BOLNA_BASE_URL: bolnaUrl!, BOLNA_API_KEY: bolnaKey!, BOLNA_AGENT_IDS: agents! };
  return { process: spawned, env, syllableUrl: syllableUrl!, bolnaUrl: bolnaUrl!, syllableKey: syllableKey! };
}

interface Target {
  readonly process: Spawned;
  readonly url: string;
}

/** The API as it runs in production: compiled (`npm run build`), plain node, no TypeScript loader. */
async function startApi(vendors: Vendors, env: Record<string, string>): Promise<Target> {
  const spawned = await spawnNode([...profileArgs(), 'dist/main.js'], { ...vendors.env, PORT: '0', ...env }, /GraphQL API (?:and GraphiQL )?at (http:\/\/[^\s"]+)/);
  return { process: spawned, url: spawned.match[1]! };
}

/** The second floor: a bare yoga server with the same query shapes and vendor calls (bench/yoga-floor.ts). */
async function startYogaFloor(vendors: Vendors): Promise<Target> {
  const spawned = await spawnTs('bench/yoga-floor.ts', { ...vendors.env, PORT: '0' }, /yoga floor at (http:\/\/\S+)/);
  return { process: spawned, url: spawned.match[1]! };
}

async function startFloor(vendors: Vendors): Promise<Target> {
  const spawned = await spawnTs('bench/floor.ts', { ...vendors.env, PORT: '0' }, /floor at (http:\/\/\S+)/);
  return { process: spawned, url: spawned.match[1]! };
}

async function simStats(vendors: Vendors, reset = false): Promise<{ syllable: number; bolna: number; rateLimited: number }> {
  const read = async (url: string) => {
    const stats = (await (await fetch(`${url}/__sim/stats`)).json()) as { total: number; rateLimited: number };
    if (reset) await fetch(`${url}/__sim/stats/reset`, { method: 'POST' });
    return stats;
  };
  const [s, b] = await Promise.all([read(vendors.syllableUrl), read(vendors.bolnaUrl)]);
  return { syllable: s.total, bolna: b.total, rateLimited: s.rateLimited + b.rateLimited };
}

/** One request of a scenario: for the API a GraphQL POST, for the floor a GET. */
interface Request {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
}

const graphql = (query: string, variables?: Record<string, unknown>): Request => ({ method: 'POST', path: '/graphql', body: JSON.stringify({ query, variables }) });

interface Measured {
  opsPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  vendorCallsPerOp: number;
  vendorCallsPerMinute: number;
  bolnaCallsPerMinute: number;
  cpuMsPerOp: number | null;
  peakRssMiB: number | null;
  ops: number;
}

interface Load {
  /** Requests per connection, cycled; connection i gets `perConnection(i)`. */
  readonly perConnection: (connection: number) => Request[];
  readonly connections: number;
  readonly seconds: number;
  /** Total requests a second over all connections, for "dashboards that reload". */
  readonly overallRate?: number;
}

async function measure(target: Target, vendors: Vendors, load: Load, warm = true): Promise<Measured> {
  const base = new URL(target.url).origin;
  const run = (duration: number) => {
    let connection = 0;
    let errors = 0;
    const track = (status: number, body: string) => {
      if (status !== 200 || body.includes('"errors"')) errors += 1;
    };
    return new Promise<{ result: autocannon.Result; errors: number }>((resolve, reject) => {
      autocannon(
        {
          url: base,
          connections: load.connections,
          duration,
          overallRate: load.overallRate,
          headers: { 'content-type': 'application/json' },
          requests: load.perConnection(0).map((r) => ({ ...r, onResponse: track })),
          setupClient: (client) => {
            client.setRequests(load.perConnection(connection++).map((r) => ({ ...r, onResponse: track })));
          },
        },
        (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve({ result, errors })),
      );
    });
  };
  if (warm && !quick) await run(Math.min(1, load.seconds / 2));
  await simStats(vendors, true);
  const pid = target.process.child.pid!;
  resetPeakRss(pid);
  const cpuBefore = cpuMs(pid);
  const { result, errors } = await run(load.seconds);
  const cpuAfter = cpuMs(pid);
  const calls = await simStats(vendors, true);
  const ops = result.requests.total;
  const elapsed = result.duration;
  return {
    ops,
    opsPerSec: ops / elapsed,
    p50: ops === 0 ? NaN : result.latency.p50,
    p99: ops === 0 ? NaN : result.latency.p99,
    errors: errors + result.errors + result.timeouts,
    // No op finished: calls per op would only count the calls still in flight.
    vendorCallsPerOp: ops === 0 ? NaN : (calls.syllable + calls.bolna) / ops,
    vendorCallsPerMinute: ((calls.syllable + calls.bolna) / elapsed) * 60,
    bolnaCallsPerMinute: (calls.bolna / elapsed) * 60,
    cpuMsPerOp: cpuBefore === null || cpuAfter === null || ops === 0 ? null : (cpuAfter - cpuBefore) / ops,
    peakRssMiB: peakRssMiB(pid),
  };
}

/** The ids the scenarios use, read from the simulators as a vendor client would. */
async function pickBatches(vendors: Vendors) {
  const headers = { 'Syllable-API-Key': vendors.syllableKey };
  const list = (await (await fetch(`${vendors.syllableUrl}/api/v1/outbound/batches?limit=100`, { headers })).json()) as {
    items: Array<{ batch_id: string; status: string; upload_filename: string | null }>;
  };
  const sized = await Promise.all(
    list.items.map(async (item) => {
      const detail = (await (await fetch(`${vendors.syllableUrl}/api/v1/outbound/batches/${encodeURIComponent(item.batch_id)}`, { headers })).json()) as { status_counts: Record<string, number> };
      return { ...item, size: Object.values(detail.status_counts).reduce((a, b) => a + b, 0) };
    }),
  );
  const bySize = [...sized].sort((a, b) => a.size - b.size);
  const bolnaIds: string[] = [];
  for (const agent of vendors.env.BOLNA_AGENT_IDS!.split(',')) {
    const items = (await (await fetch(`${vendors.bolnaUrl}/batches/${agent}/all`, { headers: { authorization: `Bearer ${vendors.env.BOLNA_API_KEY}` } })).json()) as Array<{ batch_id: string }>;
    bolnaIds.push(...items.map((item) => item.batch_id));
  }
  return {
    detail: sized.find((b) => b.status === 'EXPIRED' && b.size >= 200) ?? bySize[0]!,
    small: bySize.find((b) => b.size >= 100)!,
    steerable: bySize.filter((b) => b.status === 'ACTIVE' || b.status === 'PENDING').slice(0, connections),
    all: [...sized.map((b) => `syllable:${b.batch_id}`), ...bolnaIds.map((id) => `bolna:${id}`)],
    /** The extra batch of SIM_LARGE_BATCH_TARGETS rows (absent without it). */
    large: sized.find((b) => b.upload_filename?.startsWith('LARGE_BATCH')),
  };
}

const DETAIL = `id status totalCount statusCounts { vendorStatus count } progress { completed notReached failed finishedFraction }`;
const RESULTS_PAGE = `query($id: ID!, $after: String) { batch(id: $id) { results(first: 100, after: $after) { totalCount edges { cursor node { id referenceId target status vendorStatus } } } } }`;

function resultsCursor(referenceIdAt: (index: number) => string, index: number): string {
  return encodeCursor({ ref: referenceIdAt(index), at: index });
}

interface Row extends Measured {
  readonly scenario: string;
  readonly latencyMs: number;
  readonly cache: 'off' | 'on' | '–';
  readonly floor: Measured | null;
  /** The bare yoga floor, for the scenarios it serves (S1–S3). */
  readonly yogaFloor: Measured | null;
}

const rows: Row[] = [];
const growthRows: Array<Record<string, number | string | null>> = [];
const dashboardRows: Array<Record<string, number | string | null>> = [];

for (const latencyMs of latencies) {
  // Vendor limits are off for the throughput scenarios: they measure this API, not Bolna's quota.
  const sims = await startSimulators(latencyMs, 0, 1_000_000_000);
  const bigSims = await startSimulators(latencyMs, BIG, 1_000_000_000);
  const ids = await pickBatches(sims);
  const big = await pickBatches(bigSims);
  const largeId = big.large!.batch_id;
  // Syllable reference ids are `<batch>-<row, 5 digits>`, starting at 1.
  const largeRef = (index: number) => `${largeId}-${String(index + 1).padStart(5, '0')}`;
  const page50 = Math.min(49, BIG / 100 - 1) * 100;

  const scenarios: Array<{ name: string; api: (c: number) => Request[]; floor: (c: number) => Request[]; onBig?: boolean; yoga?: boolean }> = [
    { name: 'S1 batch(id) with statusCounts and progress', yoga: true, api: () => [graphql(`query($id: ID!) { batch(id: $id) { ${DETAIL} } }`, { id: `syllable:${ids.detail.batch_id}` })], floor: () => [{ method: 'GET', path: `/s1?batch=${encodeURIComponent(ids.detail.batch_id)}` }] },
    {
      name: 'S2 the same id under 15 aliases (MAX_ALIASES)',
      yoga: true,
      api: () => [graphql(`query($id: ID!) { ${Array.from({ length: 15 }, (_, i) => `b${i}: batch(id: $id) { ${DETAIL} }`).join(' ')} }`, { id: `syllable:${ids.detail.batch_id}` })],
      floor: () => [{ method: 'GET', path: `/s2?batch=${encodeURIComponent(ids.detail.batch_id)}` }],
    },
    { name: `S3 results(first: 100) of a ${ids.small.size}-target batch`, yoga: true, api: () => [graphql(RESULTS_PAGE, { id: `syllable:${ids.small.batch_id}` })], floor: () => [{ method: 'GET', path: `/s3?batch=${encodeURIComponent(ids.small.batch_id)}` }] },
    { name: 'S4 the README dashboard query', api: () => [graphql(EXAMPLE_QUERY)], floor: () => [{ method: 'GET', path: '/s4' }] },
    {
      name: `S5 page ${page50 / 100 + 1} of results(first: 100), ${BIG.toLocaleString('en')} targets`,
      api: () => [graphql(RESULTS_PAGE, { id: `syllable:${largeId}`, after: resultsCursor(largeRef, page50 - 1) })],
      floor: () => [{ method: 'GET', path: `/s5?batch=${encodeURIComponent(largeId)}&after=${page50}` }],
      onBig: true,
    },
    {
      name: 'S6 _entities with 100 representations',
      api: () => {
        const representations = Array.from({ length: 100 }, (_, i) => ({ __typename: 'Batch', id: ids.all[i % ids.all.length] }));
        return [graphql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Batch { ${DETAIL} } } }`, { r: representations })];
      },
      floor: () => [{ method: 'GET', path: `/s6?ids=${encodeURIComponent(Array.from({ length: 100 }, (_, i) => ids.all[i % ids.all.length]).join(','))}` }],
    },
    {
      name: 'S7 pauseBatch / resumeBatch, alternating',
      api: (c) => {
        const id = `syllable:${ids.steerable[c % ids.steerable.length]!.batch_id}`;
        return [graphql(`mutation($id: ID!) { pauseBatch(id: $id) { __typename } }`, { id }), graphql(`mutation($id: ID!) { resumeBatch(id: $id) { __typename } }`, { id })];
      },
      floor: (c) => {
        const batch = encodeURIComponent(ids.steerable[c % ids.steerable.length]!.batch_id);
        return [{ method: 'GET', path: `/s7?batch=${batch}&paused=true` }, { method: 'GET', path: `/s7?batch=${batch}&paused=false` }];
      },
    },
  ];

  const floor = await startFloor(sims);
  const bigFloor = await startFloor(bigSims);
  const floorResults = new Map<string, Measured>();
  for (const scenario of scenarios) {
    const vendors = scenario.onBig ? bigSims : sims;
    floorResults.set(scenario.name, await measure(scenario.onBig ? bigFloor : floor, vendors, { perConnection: scenario.floor, connections, seconds }));
    // Leave every steered batch running for the next run.
    for (const batch of ids.steerable) await fetch(`${floor.url}/s7?batch=${encodeURIComponent(batch.batch_id)}&paused=false`);
  }
  await Promise.all([floor.process.stop(), bigFloor.process.stop()]);
  // The bare yoga floor answers the API's own requests (the same documents).
  const yogaFloor = await startYogaFloor(sims);
  const yogaResults = new Map<string, Measured>();
  for (const scenario of scenarios.filter((s) => s.yoga)) yogaResults.set(scenario.name, await measure(yogaFloor, sims, { perConnection: scenario.api, connections, seconds }));
  await yogaFloor.process.stop();

  for (const cache of ['off', 'on'] as const) {
    const env = { CACHE_TTL_MS: cache === 'off' ? '0' : '2000', BOLNA_RATE_LIMIT_PER_MINUTE: '0' };
    const api = await startApi(sims, env);
    const bigApi = await startApi(bigSims, env);
    for (const scenario of scenarios) {
      const measured = await measure(scenario.onBig ? bigApi : api, scenario.onBig ? bigSims : sims, { perConnection: scenario.api, connections, seconds });
      rows.push({ scenario: scenario.name, latencyMs, cache, ...measured, floor: floorResults.get(scenario.name) ?? null, yogaFloor: yogaResults.get(scenario.name) ?? null });
      for (const batch of ids.steerable) await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `mutation($id: ID!) { resumeBatch(id: $id) { __typename } }`, variables: { id: `syllable:${batch.batch_id}` } }) });
    }
    if (cache === 'on') {
      const s1 = scenarios[0]!;
      const measured = await measure(api, sims, { perConnection: s1.api, connections: 50, seconds });
      rows.push({ scenario: 'S1 at 50 connections', latencyMs, cache, ...measured, floor: null, yogaFloor: null });
    }
    await Promise.all([api.process.stop(), bigApi.process.stop()]);
  }
  await Promise.all([sims.process.stop(), bigSims.process.stop()]);
}

// How cost grows with the batch: rows are read and parsed once per TTL, whatever the page.
for (const size of core ? [] : ROW_SIZES) {
  const sims = await startSimulators(0, size, 1_000_000_000);
  const batchId = (await pickBatches(sims)).large!.batch_id;
  const ref = (index: number) => `${batchId}-${String(index + 1).padStart(5, '0')}`;
  const api = await startApi(sims, { CACHE_TTL_MS: '60000' });
  const middle = Math.floor(size / 200) * 100;
  const pageAt = (at: number) => graphql(RESULTS_PAGE, { id: `syllable:${batchId}`, after: at === 0 ? null : resultsCursor(ref, at - 1) });
  // Warm the process (JIT, yoga's caches) on another batch, so the first page measures the read.
  const warmId = `syllable:${(await pickBatches(sims)).small.batch_id}`;
  for (let i = 0; i < 50; i += 1) await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: graphql(RESULTS_PAGE, { id: warmId }).body });
  resetPeakRss(api.process.child.pid!);
  const started = performance.now();
  await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: pageAt(0).body });
  const firstPageMs = performance.now() - started;
  const later = await measure(api, sims, { perConnection: () => [pageAt(middle)], connections, seconds: Math.max(1, seconds / 2) }, false);
  growthRows.push({ rows: size, firstPageMs, laterPagesP50: later.p50, laterPagesOpsPerSec: later.opsPerSec, vendorCallsLaterPages: later.vendorCallsPerOp * later.ops, peakRssMiB: later.peakRssMiB });
  await api.process.stop();
  await sims.process.stop();
}

// How cost grows with viewers: each dashboard reloads the README query every 4 s, vendor limits on.
if (!core) {
  const sims = await startSimulators(0, 0, 1_000);
  for (const dashboards of DASHBOARDS) {
    const api = await startApi(sims, {});
    const measured = await measure(api, sims, { perConnection: () => [graphql(EXAMPLE_QUERY)], connections: Math.min(dashboards, 100), seconds: DASHBOARD_SECONDS, overallRate: dashboards / 4 }, false);
    const { rateLimited } = await simStats(sims);
    dashboardRows.push({ dashboards, loadsPerMinute: measured.opsPerSec * 60, vendorCallsPerMinute: measured.vendorCallsPerMinute, bolnaCallsPerMinute: measured.bolnaCallsPerMinute, errors: measured.errors, vendor429s: rateLimited, p99: measured.p99 });
    await api.process.stop();
    // The next row starts with a fresh minute of Bolna's budget.
    await fetch(`${sims.bolnaUrl}/__sim/stats/reset`, { method: 'POST' });
  }
  await sims.process.stop();
}

// Launching: a 5,000-row JSON list checked, and a 100,000-row CSV uploaded as it streams, against
// a floor of the irreducible work in this process (csv-parse and libphonenumber-js over the same rows).
const launchRows: Array<{ what: string; rows: number; runs: number; p50Ms: number; rowsPerSec: number; floorMs: number; peakRssMiB: number | null; extra: string }> = [];
if (!core) {
  const sims = await startSimulators(0, 0, 1_000_000_000);
  let api = await startApi(sims, {});
  let apiBase = new URL(api.url).origin;
  const numbers = (count: number) => Array.from({ length: count }, (_, i) => fictionalNumber(i));
  const post = (path: string, body: string, headers: Record<string, string>) => fetch(`${apiBase}${path}`, { method: 'POST', headers, body }).then(async (r) => ({ status: r.status, text: await r.text() }));
  const timed = async (runs: number, once: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      await once();
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  };
  const floorOf = (lines: readonly string[]) => {
    const started = performance.now();
    const cells = csvParse(lines.join('\n'));
    for (const [number] of cells) parsePhoneNumberFromString(number ?? '', 'US')?.isValid();
    return performance.now() - started;
  };

  const jsonRows = numbers(5_000).map((phoneNumber, i) => ({ phoneNumber, referenceId: `r${i}`, variables: [{ name: 'first_name', value: `Person ${i}` }] }));
  const validate = JSON.stringify({ query: 'query($t: [TargetInput!]) { validateTargets(vendor: SYLLABLE, targets: $t) { total valid } }', variables: { t: jsonRows } });
  const json = { 'content-type': 'application/json' };
  for (let i = 0; i < 3; i += 1) await post('/graphql', validate, json);
  resetPeakRss(api.process.child.pid!);
  const runs = quick ? 5 : 20;
  const validateMs = await timed(runs, () => post('/graphql', validate, json));
  const validateFloor = Math.min(...[0, 1, 2].map(() => floorOf(jsonRows.map((row) => row.phoneNumber))));
  launchRows.push({ what: 'validateTargets, 5,000 JSON rows', rows: 5_000, runs, p50Ms: validateMs, rowsPerSec: 5_000 / (validateMs / 1000), floorMs: validateFloor, peakRssMiB: peakRssMiB(api.process.child.pid!), extra: '0 vendor calls' });

  await api.process.stop();

  // The upload in a process of its own, warmed by a small one: its peak is the upload's.
  api = await startApi(sims, {});
  apiBase = new URL(api.url).origin;
  const csvOf = (count: number) => ['phone_number,reference_id,first_name', ...numbers(count).map((n, i) => `${n},r${i},Person ${i}`)];
  const csvLines = csvOf(100_000);
  const csv = `${csvLines.join('\r\n')}\r\n`;
  const csvHeaders = { 'content-type': 'text/csv', 'x-graphql-yoga-csrf': 'bench' };
  await post('/uploads?vendor=syllable', csvOf(1_000).join('\r\n'), csvHeaders);
  resetPeakRss(api.process.child.pid!);
  let uploadId = '';
  const uploadRuns = quick ? 2 : 5;
  const uploadMs = await timed(uploadRuns, async () => {
    uploadId = (JSON.parse((await post('/uploads?vendor=syllable', csv, csvHeaders)).text) as { uploadId: string }).uploadId;
  });
  const uploadRss = peakRssMiB(api.process.child.pid!);
  const uploadFloor = Math.min(...[0, 1].map(() => floorOf(csvLines.slice(1))));
  launchRows.push({ what: 'POST /uploads, 100,000-row CSV', rows: 100_000, runs: uploadRuns, p50Ms: uploadMs, rowsPerSec: 100_000 / (uploadMs / 1000), floorMs: uploadFloor, peakRssMiB: uploadRss, extra: `${(csv.length / 1_048_576).toFixed(1)} MB` });

  await simStats(sims, true);
  resetPeakRss(api.process.child.pid!);
  const create = JSON.stringify({ query: 'mutation($i: CreateBatchInput!) { createBatch(input: $i) { __typename } }', variables: { i: { vendor: 'SYLLABLE', idempotencyKey: `bench-${Date.now()}`, campaignId: '101', uploadId } } });
  const createMs = await timed(1, async () => {
    const answer = await post('/graphql', create, json);
    if (!answer.text.includes('BatchMutationSuccess')) throw new Error(`createBatch failed: ${answer.text.slice(0, 300)}`);
  });
  const createCalls = await simStats(sims);
  launchRows.push({ what: 'createBatch from that upload (Syllable)', rows: 100_000, runs: 1, p50Ms: createMs, rowsPerSec: 100_000 / (createMs / 1000), floorMs: uploadFloor, peakRssMiB: peakRssMiB(api.process.child.pid!), extra: `${createCalls.syllable} vendor calls` });
  await api.process.stop();
  await sims.process.stop();
}

// Finishing: a 100,000-row Syllable batch exported as CSV (cold: with its one vendor read; warm:
// from the shared read, within CACHE_TTL_MS), and the cost of Bolna's two ways to read a big
// batch's executions: the unpaged batch route (what the API uses) and the paged v2 agent route.
const EXPORT_ROWS = 100_000;
const exportRows: Array<{ what: string; rows: number; runs: number; p50Ms: number; rowsPerSec: number; megabytes: number; vendorCalls: number; peakRssMiB: number | null }> = [];
const bolnaRouteRows: Array<{ route: string; rows: number; calls: number; ms: number; megabytes: number; minutesAtLimit: number; minutesAtCallerShare: number }> = [];
if (!core) {
  const sims = await startSimulators(0, EXPORT_ROWS, 1_000_000_000);
  const api = await startApi(sims, { CACHE_TTL_MS: '300000' });
  const apiBase = new URL(api.url).origin;
  const picked = await pickBatches(sims);
  const exportOnce = async (id: string) => {
    const started = performance.now();
    const response = await fetch(`${apiBase}/batches/${encodeURIComponent(id)}/results.csv`);
    if (response.status !== 200) throw new Error(`export of ${id}: HTTP ${response.status}`);
    let bytes = 0;
    const reader = response.body!.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength;
    return { ms: performance.now() - started, bytes };
  };
  // Warm the process (JIT) on a small batch, so the rows measure the export.
  for (let i = 0; i < 5; i += 1) await exportOnce(`syllable:${picked.small.batch_id}`);
  const largeId = `syllable:${picked.large!.batch_id}`;
  await simStats(sims, true);
  resetPeakRss(api.process.child.pid!);
  const cold = await exportOnce(largeId);
  const coldCalls = (await simStats(sims)).syllable;
  exportRows.push({ what: 'cold: with its vendor read', rows: EXPORT_ROWS, runs: 1, p50Ms: cold.ms, rowsPerSec: EXPORT_ROWS / (cold.ms / 1000), megabytes: cold.bytes / 1_048_576, vendorCalls: coldCalls, peakRssMiB: peakRssMiB(api.process.child.pid!) });
  await simStats(sims, true);
  const warmRuns = quick ? 3 : 5;
  const warm: number[] = [];
  for (let i = 0; i < warmRuns; i += 1) warm.push((await exportOnce(largeId)).ms);
  const warmMs = warm.sort((a, b) => a - b)[Math.floor(warm.length / 2)]!;
  exportRows.push({ what: 'warm: from the shared read', rows: EXPORT_ROWS, runs: warmRuns, p50Ms: warmMs, rowsPerSec: EXPORT_ROWS / (warmMs / 1000), megabytes: cold.bytes / 1_048_576, vendorCalls: (await simStats(sims)).syllable, peakRssMiB: peakRssMiB(api.process.child.pid!) });
  await api.process.stop();

  // Bolna: the same 100,000 executions, one unpaged call against 50 a page (Bolna's most).
  const bolnaHeaders = { authorization: `Bearer ${sims.env.BOLNA_API_KEY}` };
  const agentId = sims.env.BOLNA_AGENT_IDS!.split(',')[0]!;
  const bolnaList = (await (await fetch(`${sims.bolnaUrl}/batches/${agentId}/all`, { headers: bolnaHeaders })).json()) as Array<{ batch_id: string; total_contacts: number }>;
  const bolnaLarge = bolnaList.find((batch) => batch.total_contacts === EXPORT_ROWS)!;
  const perMinute = { limit: 500, callerShare: 500 * 0.25 };
  {
    const started = performance.now();
    const text = await (await fetch(`${sims.bolnaUrl}/batches/${bolnaLarge.batch_id}/executions`, { headers: bolnaHeaders })).text();
    const rows = (JSON.parse(text) as unknown[]).length;
    bolnaRouteRows.push({ route: 'GET /batches/{id}/executions (unpaged; used)', rows, calls: 1, ms: performance.now() - started, megabytes: text.length / 1_048_576, minutesAtLimit: 1 / 1_000, minutesAtCallerShare: 1 / 250 });
  }
  {
    const to = new Date(Date.now() + 3_600_000);
    const window = `from=${encodeURIComponent(new Date(to.getTime() - 7 * 24 * 3_600_000).toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
    const started = performance.now();
    let calls = 0;
    let rows = 0;
    let bytes = 0;
    for (let page = 1; ; page += 1) {
      const text = await (await fetch(`${sims.bolnaUrl}/v2/agent/${agentId}/executions?batch_id=${bolnaLarge.batch_id}&page_number=${page}&page_size=50&${window}`, { headers: bolnaHeaders })).text();
      calls += 1;
      bytes += text.length;
      const envelope = JSON.parse(text) as { has_more: boolean; data: unknown[] };
      rows += envelope.data.length;
      if (!envelope.has_more) break;
    }
    bolnaRouteRows.push({ route: 'GET /v2/agent/{id}/executions, 50 a page', rows, calls, ms: performance.now() - started, megabytes: bytes / 1_048_576, minutesAtLimit: calls / perMinute.limit, minutesAtCallerShare: calls / perMinute.callerShare });
  }
  await sims.process.stop();
}

// The dashboard at `/`, loaded in headless Chromium (skipped without it): its files, then its list with bars.
const pageLoads: Array<PageLoad & { latencyMs: number }> = [];
const chromium = core ? null : chromiumPath();
if (chromium) {
  for (const latencyMs of latencies) {
    const sims = await startSimulators(latencyMs, 0, 1_000_000_000);
    // The bench runs the API with NODE_ENV=production, where the dashboard is off unless asked for.
    const api = await startApi(sims, { DASHBOARD: 'true' });
    try {
      pageLoads.push({ latencyMs, ...(await measurePageLoad(new URL('/', api.url).href, chromium, quick ? 3 : 9)) });
    } finally {
      await api.process.stop();
      await sims.process.stop();
    }
  }
}

const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));
const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : '–');
const when = new Date().toISOString().slice(0, 10);
const lines = [
  `## Benchmark (${when}; ${cpus().length} cores, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}; Node ${process.version}; ${connections} connections, ${seconds} s a row${quick ? '; --quick' : ''})`,
  '',
  '| scenario | vendor latency | cache | ops/s | floor ops/s | ops ratio | yoga floor ops/s | ratio to yoga | p50 ms | floor p50 | p50 ratio | p50 Δ ms | p99 ms | yoga p99 | vendor calls/op | floor (ideal) | vendor calls/min | CPU ms/op | floor CPU ms/op | yoga CPU ms/op | peak RSS MiB | errors |',
  '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.scenario} | ${r.latencyMs} ms | ${r.cache} | ${fmt(r.opsPerSec, 0)} | ${fmt(r.floor?.opsPerSec, 0)} | ${ratio(r.opsPerSec, r.floor?.opsPerSec)} | ${fmt(r.yogaFloor?.opsPerSec, 0)} | ${ratio(r.opsPerSec, r.yogaFloor?.opsPerSec)} | ${fmt(r.p50)} | ${fmt(r.floor?.p50)} | ${ratio(r.p50, r.floor?.p50)} | ${r.floor ? fmt(r.p50 - r.floor.p50) : '–'} | ${fmt(r.p99)} | ${fmt(r.yogaFloor?.p99)} | ${fmt(r.vendorCallsPerOp, 3)} | ${fmt(r.floor?.vendorCallsPerOp, 2)} | ${fmt(r.vendorCallsPerMinute, 0)} | ${fmt(r.cpuMsPerOp, 2)} | ${fmt(r.floor?.cpuMsPerOp, 2)} | ${fmt(r.yogaFloor?.cpuMsPerOp, 2)} | ${fmt(r.peakRssMiB, 0)} | ${r.errors} |`,
  ),
  '',
  '| targets in the batch | first page ms | later pages p50 ms | later pages ops/s | vendor calls, later pages | peak RSS MiB |',
  '|---:|---:|---:|---:|---:|---:|',
  ...growthRows.map((g) => `| ${Number(g.rows).toLocaleString('en')} | ${fmt(g.firstPageMs as number, 0)} | ${fmt(g.laterPagesP50 as number)} | ${fmt(g.laterPagesOpsPerSec as number, 0)} | ${g.vendorCallsLaterPages} | ${fmt(g.peakRssMiB as number, 0)} |`),
  '',
  '| launching | rows | runs | p50 ms | rows/s | floor ms | ratio | peak RSS MiB | |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ...launchRows.map((l) => `| ${l.what} | ${l.rows.toLocaleString('en')} | ${l.runs} | ${fmt(l.p50Ms, 0)} | ${fmt(l.rowsPerSec, 0)} | ${fmt(l.floorMs, 0)} | ${ratio(l.p50Ms, l.floorMs)} | ${fmt(l.peakRssMiB, 0)} | ${l.extra} |`),
  '',
  `| results export (${EXPORT_ROWS.toLocaleString('en')}-row Syllable batch, GET /batches/{id}/results.csv) | rows | runs | p50 ms | rows/s | MB | vendor calls | peak RSS MiB |`,
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...exportRows.map((e) => `| ${e.what} | ${e.rows.toLocaleString('en')} | ${e.runs} | ${fmt(e.p50Ms, 0)} | ${fmt(e.rowsPerSec, 0)} | ${fmt(e.megabytes)} | ${e.vendorCalls} | ${fmt(e.peakRssMiB, 0)} |`),
  '',
  '| Bolna executions of one batch, read straight from the simulator | rows | vendor calls | ms (loopback, 0 ms latency) | MB | minutes of the org limit for that route | minutes of one caller\'s 25 % share |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...bolnaRouteRows.map((b) => `| ${b.route} | ${b.rows.toLocaleString('en')} | ${b.calls} | ${fmt(b.ms, 0)} | ${fmt(b.megabytes)} | ${fmt(b.minutesAtLimit, 3)} | ${fmt(b.minutesAtCallerShare, 3)} |`),
  '',
  '| dashboards (one load each 4 s) | loads a minute | vendor calls a minute | Bolna calls a minute | errors | vendor 429s | p99 ms |',
  '|---:|---:|---:|---:|---:|---:|---:|',
  ...dashboardRows.map((d) => `| ${d.dashboards} | ${fmt(d.loadsPerMinute as number, 0)} | ${fmt(d.vendorCallsPerMinute as number, 0)} | ${fmt(d.bolnaCallsPerMinute as number, 0)} | ${d.errors} | ${d.vendor429s} | ${fmt(d.p99 as number)} |`),
  '',
  ...(pageLoads.length === 0
    ? ['The dashboard load was not measured: chromium is not installed.']
    : [
        '| dashboard at / in Chromium, fresh context each load | vendor latency | loads | files in (load event), median ms | list drawn with bars, median ms | slowest load to bars ms | bars |',
        '|---|---:|---:|---:|---:|---:|---:|',
        ...pageLoads.map((p) => `| first page of the batch list | ${p.latencyMs} ms | ${p.loads} | ${fmt(p.filesMs, 0)} | ${fmt(p.barsMs, 0)} | ${fmt(p.worstBarsMs, 0)} | ${p.bars} |`),
      ]),
];
console.log(lines.join('\n'));
mkdirSync('.bench', { recursive: true });
const file = `.bench/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), quick, connections, seconds, rows, growth: growthRows, dashboards: dashboardRows, launches: launchRows, exports: exportRows, bolnaRoutes: bolnaRouteRows, pageLoads }, null, 2));
console.log(`\nfigures: ${file}`);
