import { performance } from 'node:perf_hooks';
import { createClient } from 'graphql-ws';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/logger.js';
import { startServer } from '../src/server/server.js';
import { BatchPageDocument, PauseBatchDocument } from './generated/graphql.js';
import { startBlackhole } from './helpers/blackhole.js';
import { dataOf, harnessPerDescribe, startHarness, type GraphQLResponse, type Harness } from './helpers/harness.js';

/**
 * Vendor faults injected into the real simulators over loopback. Each scenario states its pass
 * criterion; every one is bounded in time and requests.
 */

const SYLLABLE_GET = 'GET /api/v1/outbound/batches/{batch_id}';
const BATCH_QUERY = `query($id: ID!) { batch(id: $id) { id status } }`;

type BatchData = { batch: { id: string; status: string } | null };
type BatchAnswer = GraphQLResponse<BatchData>;

function readBatch(h: Harness, id: string): Promise<BatchAnswer> {
  return h.gql<BatchData, { id: string }>(BATCH_QUERY, { id });
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

const harnessFor = harnessPerDescribe;

describe('429 with Retry-After', () => {
  const t = harnessFor();

  it('Retry-After: 2 → waits at least 2 s, then the query succeeds with 2 attempts', async () => {
    const id = t.batches.syllable[0]!;
    await t.h.fault('syllable', { method: 'GET', path: `/api/v1/outbound/batches/${id.slice(9)}`, status: 429, retryAfter: '2', times: 1 });
    const { value, ms } = await timed(() => readBatch(t.h, id));
    expect(dataOf(value).batch?.id).toBe(id);
    expect(ms).toBeGreaterThanOrEqual(2000);
    expect((await t.h.calls()).syllable[SYLLABLE_GET]).toBe(2);
  });

  // Margins: "at once" means far below the 120 s the vendor asked for, on a busy machine too.
  it('Retry-After: 120 beyond the deadline → RATE_LIMITED with retryAfter at once; the vendor is not called again; the other vendor serves', async () => {
    const [first, second] = t.batches.bolna;
    await t.h.fault('bolna', { method: 'GET', path: `/batches/${first!.slice(6)}`, status: 429, retryAfter: '120', times: 1 });
    const { value, ms } = await timed(() => readBatch(t.h, first!));
    expect(ms).toBeLessThan(5_000);
    expect(value.data?.batch).toBeNull();
    expect(value.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', vendor: 'bolna', retryAfter: 120 });

    const again = await timed(() => readBatch(t.h, second!));
    expect(again.ms).toBeLessThan(5_000);
    expect(again.value.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect((await t.h.stats('bolna')).total).toBe(1);

    const syllable = await readBatch(t.h, t.batches.syllable[0]!);
    expect(dataOf(syllable).batch?.id).toBe(t.batches.syllable[0]);
  });
});

describe('Retry-After values that are not whole seconds', () => {
  const t = harnessFor();

  it('Retry-After: -1 is no hint: the retry follows the normal backoff and succeeds', async () => {
    const id = t.batches.bolna[0]!;
    await t.h.fault('bolna', { method: 'GET', path: `/batches/${id.slice(6)}`, status: 429, retryAfter: '-1', times: 1 });
    const value = await readBatch(t.h, id);
    expect(dataOf(value).batch?.id).toBe(id);
    expect((await t.h.calls()).bolna['GET /batches/{batch_id}']).toBe(2);
  });

  it('Retry-After: 90.5 is 90.5 s, beyond the deadline: RATE_LIMITED with retryAfter 91, no retry (not a date in 2001, retried at once)', async () => {
    const id = t.batches.syllable[0]!;
    await t.h.fault('syllable', { method: 'GET', path: `/api/v1/outbound/batches/${id.slice(9)}`, status: 429, retryAfter: '90.5', times: 1 });
    const value = await readBatch(t.h, id);
    expect(value.data?.batch).toBeNull();
    expect(value.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', vendor: 'syllable', retryAfter: 91 });
    expect((await t.h.calls()).syllable[SYLLABLE_GET]).toBe(1);
  });
});

describe('isolation', () => {
  const t = harnessFor();

  it("one vendor's slowness never slows the other's answers", async () => {
    await t.h.fault('syllable', { latencyMs: 3_000 });
    const slow = readBatch(t.h, t.batches.syllable[0]!);
    const fast = await timed(() => readBatch(t.h, t.batches.bolna[0]!));
    expect(dataOf(fast.value).batch?.id).toBe(t.batches.bolna[0]);
    // The slow vendor takes 3 s; the fast one answers well before it, however busy the machine.
    expect(fast.ms).toBeLessThan(2_000);
    expect(dataOf(await slow).batch?.id).toBe(t.batches.syllable[0]);
  });
});

describe('sustained 503: retries, circuit breaker, partial data, recovery', () => {
  const t = harnessFor({ env: { BREAKER_OPEN_MS: '800', VENDOR_RETRY_BASE_MS: '20' } });

  it('makes at most 3 attempts a call, opens, fails fast without calling, keeps Bolna serving, and closes after recovery', async () => {
    await t.h.fault('syllable', { status: 503 });
    const id = t.batches.syllable[0]!;

    const first = (await readBatch(t.h, id));
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_ERROR', vendor: 'syllable', statusCode: 503 });
    expect((await t.h.calls()).syllable[SYLLABLE_GET]).toBe(3);

    // Two more failures make five in a row: the breaker opens during this call.
    const second = (await readBatch(t.h, id));
    expect(second.errors?.[0]?.extensions?.code).toMatch(/VENDOR_ERROR|VENDOR_UNAVAILABLE/);
    expect((await t.h.calls()).syllable[SYLLABLE_GET]).toBe(5);

    const open = await timed(() => readBatch(t.h, id));
    // Fails without reaching the vendor (the count below); speed itself is measured by the benchmark.
    expect(open.ms).toBeLessThan(2_000);
    expect(open.value.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', vendor: 'syllable' });
    expect((await t.h.calls()).syllable[SYLLABLE_GET]).toBe(5);

    const page = await t.h.gql(`{ batches(first: 100) { totalCount incompleteVendors edges { node { vendor } } } }`);
    const data = page.data as { batches: { totalCount: number; incompleteVendors: string[]; edges: Array<{ node: { vendor: string } }> } };
    expect(data.batches.incompleteVendors).toEqual(['SYLLABLE']);
    expect(data.batches.totalCount).toBe(t.batches.bolna.length);
    expect(new Set(data.batches.edges.map((e) => e.node.vendor))).toEqual(new Set(['BOLNA']));
    expect(page.errors).toHaveLength(1);
    expect(page.errors?.[0]).toMatchObject({ path: ['batches'], extensions: { code: 'VENDOR_UNAVAILABLE', vendor: 'syllable' } });

    await t.h.reset();
    await new Promise((resolve) => setTimeout(resolve, 850));
    const probe = (await readBatch(t.h, id));
    expect(dataOf(probe).batch?.id).toBe(id);
    const after = (await readBatch(t.h, t.batches.syllable[1]!));
    expect(dataOf(after).batch?.id).toBe(t.batches.syllable[1]);
    expect((await t.h.calls()).syllable[SYLLABLE_GET]).toBe(2);
  });
});

describe('rate limit', () => {
  let h: Harness;
  beforeAll(async () => {
    // 40 requests of 50 aliases each: the per-operation and per-caller limits are raised so the vendor limiter is what is tested.
    h = await startHarness({ env: { MAX_ALIASES: '50', MAX_VENDOR_CALLS_PER_OPERATION: '50', CALLER_VENDOR_BUDGET_PERCENT: '100' } });
    await h.reset();
  });
  afterAll(() => h.close());

  it('2,000 reads in a burst: Bolna never sees more than 900 a minute and answers no 429; the rest are RATE_LIMITED within 1 s', async () => {
    const requests = 40;
    const perRequest = 50;
    let counter = 0;
    const hex = () => (counter++).toString(16).padStart(32, '0');
    const results = await Promise.all(
      Array.from({ length: requests }, async () => {
        const aliases = Array.from({ length: perRequest }, (_, i) => `b${i}: batch(id: "bolna:${hex()}") { id }`).join('\n');
        const { value, ms } = await timed(() => h.gql(`{ ${aliases} }`));
        return { codes: (value.errors ?? []).map((e) => e.extensions?.code as string), ms };
      }),
    );
    const codes = results.flatMap((r) => r.codes);
    expect(codes).toHaveLength(2000);
    expect(codes.filter((c) => c === 'NOT_FOUND')).toHaveLength(900);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(1100);
    const stats = await h.stats('bolna');
    expect(stats.total).toBe(900);
    expect(stats.maxInWindow).toBeLessThanOrEqual(900);
    expect(stats.rateLimited).toBe(0);
    // Requests refused entirely were answered at once, not after the minute a slot would take
    // (a generous margin: this must hold on a busy 2-core machine; speed is the benchmark's).
    for (const r of results.filter((r) => r.codes.every((c) => c === 'RATE_LIMITED'))) expect(r.ms).toBeLessThan(10_000);
  });
});

describe('timeouts: every stall ends by the deadline with VENDOR_TIMEOUT', () => {
  const DEADLINE = 1500;
  const t = harnessFor({ env: { REQUEST_DEADLINE_MS: String(DEADLINE) } });

  function activeTimers(): number {
    return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  }

  it.each([
    ['headers never come', { kind: 'stall-headers' as const }],
    ['the body stalls half-way', { kind: 'stall-body' as const }],
    ['the body drips at 1 byte/s', { kind: 'drip' as const, bytesPerSecond: 1 }],
    ['the vendor takes 30 s', { latencyMs: 30_000 }],
  ])('%s', async (_name, fault) => {
    const id = t.batches.syllable[2]!;
    await readBatch(t.h, t.batches.syllable[3]!); // warm the pool, so the baseline has its socket
    await new Promise((resolve) => setTimeout(resolve, 50));
    const timersBefore = activeTimers();
    await t.h.fault('syllable', { method: 'GET', path: `/api/v1/outbound/batches/${id.slice(9)}`, ...fault });
    const { value, ms } = await timed(() => readBatch(t.h, id));
    expect(value.data?.batch).toBeNull();
    expect(value.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_TIMEOUT', vendor: 'syllable' });
    expect(ms).toBeGreaterThanOrEqual(DEADLINE - 50);
    // Ends by the deadline, not after the stall (10 s and more); the margin holds on a busy machine.
    expect(ms).toBeLessThan(DEADLINE + 2_000);
    // The stalled exchange is torn down on both ends, and no timer outlives it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const vendorSide = await t.h.stats('syllable');
    expect(vendorSide.closedEarly).toBe(1);
    expect(vendorSide.inFlight).toBe(0);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it('a connection that never opens', async () => {
    const blackhole = await startBlackhole(20);
    const config = loadConfig({ PORT: '0', AUTH_DISABLED: 'true', SYLLABLE_API_KEY: 'k', SYLLABLE_BASE_URL: blackhole.url, REQUEST_DEADLINE_MS: String(DEADLINE) });
    const server = await startServer(config, { logger: silentLogger });
    try {
      const { value, ms } = await timed(async () => {
        const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ batch(id: "syllable:1") { id } }' }) });
        return (await response.json()) as BatchAnswer;
      });
      expect(value.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_TIMEOUT', vendor: 'syllable' });
      expect(ms).toBeLessThan(DEADLINE + 2_000);
    } finally {
      await server.close();
      blackhole.close();
    }
  });

  it('a client that leaves after 100 ms: the simulator sees the vendor connection closed soon after', async () => {
    const id = t.batches.syllable[4]!;
    await t.h.fault('syllable', { method: 'GET', path: `/api/v1/outbound/batches/${id.slice(9)}`, latencyMs: 5_000 });
    const aborted = fetch(t.h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: BATCH_QUERY, variables: { id } }),
      signal: AbortSignal.timeout(100),
    }).catch((error: unknown) => error);
    expect(await aborted).toBeInstanceOf(Error);
    const abortedAt = performance.now();
    while ((await t.h.stats('syllable')).closedEarly === 0 && performance.now() - abortedAt < 4_000) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await t.h.stats('syllable')).closedEarly).toBe(1);
    // Closed because the client left, long before the vendor's 5 s answer.
    expect(performance.now() - abortedAt).toBeLessThan(4_000);
  });

  it('a WebSocket client that drops its socket mid-query: the vendor connection is closed soon after too', async () => {
    const id = t.batches.syllable[5]!;
    await t.h.fault('syllable', { method: 'GET', path: `/api/v1/outbound/batches/${id.slice(9)}`, latencyMs: 5_000 });
    const before = (await t.h.stats('syllable')).closedEarly;
    const client = createClient({ url: t.h.graphqlUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const settled = new Promise<void>((resolve) => {
      client.subscribe({ query: BATCH_QUERY, variables: { id } }, { next: () => {}, error: () => resolve(), complete: () => resolve() });
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    client.terminate();
    await settled;
    const droppedAt = performance.now();
    while ((await t.h.stats('syllable')).closedEarly === before && performance.now() - droppedAt < 4_000) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await t.h.stats('syllable')).closedEarly).toBe(before + 1);
    expect(performance.now() - droppedAt).toBeLessThan(4_000);
    await client.dispose();
  });
});

describe('broken answers are typed errors on their field only', () => {
  const t = harnessFor({ env: { VENDOR_RETRY_BASE_MS: '10' } });

  const TWO = `query($bad: ID!, $good: ID!) { bad: batch(id: $bad) { id status } good: batch(id: $good) { id status } }`;

  it.each([
    ['an HTML error page', { kind: 'html' as const, status: 502 }, 'VENDOR_ERROR'],
    ['a truncated body', { kind: 'truncated' as const }, 'VENDOR_UNAVAILABLE'],
    ['malformed JSON', { kind: 'malformed-json' as const }, 'VENDOR_BAD_RESPONSE'],
    ['a 50 MiB body, over the 10 MiB cap', { kind: 'oversize' as const, sizeBytes: 50 * 1024 * 1024 }, 'VENDOR_BAD_RESPONSE'],
  ])('%s', async (_name, fault, code) => {
    const [bad, good] = [t.batches.syllable[5]!, t.batches.syllable[6]!];
    await t.h.fault('syllable', { method: 'GET', path: `/api/v1/outbound/batches/${bad.slice(9)}`, ...fault });
    const rssBefore = process.memoryUsage().rss;
    const response = await t.h.gql<{ bad: unknown; good: { id: string } | null }, { bad: string; good: string }>(TWO, { bad, good });
    expect(response.data?.bad).toBeNull();
    expect(response.data?.good?.id).toBe(good);
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]).toMatchObject({ path: ['bad'], extensions: { code, vendor: 'syllable' } });
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(3 * 10 * 1024 * 1024);
    // The server keeps serving.
    expect(dataOf((await readBatch(t.h, good))).batch?.id).toBe(good);
  });

  it('unknown enum values and extra fields pass through raw, without errors', async () => {
    await t.h.fault('syllable', { method: 'GET', path: '/api/v1/outbound/batches', kind: 'unknown-enums' });
    await t.h.fault('bolna', { method: 'GET', kind: 'extra-fields' });
    const response = await t.h.gql(BatchPageDocument, { first: 100, withCounts: false });
    expect(response.errors).toBeUndefined();
    const edges = dataOf(response).batches.edges;
    const syllable = edges.filter((e) => e.node.vendor === 'SYLLABLE');
    expect(syllable.length).toBe(t.batches.syllable.length);
    expect(syllable.every((e) => e.node.status === 'UNKNOWN' || e.node.status === 'PAUSED')).toBe(true);
    expect(edges.filter((e) => e.node.vendor === 'BOLNA')).toHaveLength(t.batches.bolna.length);
    const raw = await t.h.gql<{ batches: { edges: Array<{ node: { vendorStatus: string } }> } }, Record<string, never>>(`{ batches(first: 100, vendor: SYLLABLE) { edges { node { vendorStatus } } } }`);
    expect(raw.data?.batches.edges.every((e) => e.node.vendorStatus.endsWith('_V2'))).toBe(true);
  });
});

const STOP = `mutation($id: ID!) {
  stopBatch(id: $id) {
    __typename
    ... on BatchMutationSuccess { batch { id status } }
    ... on Error { code message }
    ... on WriteOutcomeUnknownError { operation readBack { id status } }
  }
}`;

describe('mutations under faults', () => {
  const t = harnessFor({ env: { VENDOR_RETRY_BASE_MS: '10' } });

  function activeBatch(index: number) {
    return t.batches.rawSyllable.filter((b) => b.status === 'ACTIVE')[index]!;
  }

  it('a pause the vendor rejects leaves the batch unchanged and says why', async () => {
    const batch = activeBatch(0);
    await t.h.fault('syllable', { method: 'PUT', status: 409, body: { detail: 'Batch is being re-imported' } });
    const { pauseBatch } = dataOf(await t.h.gql(PauseBatchDocument, { id: `syllable:${batch.batch_id}` }));
    expect(pauseBatch).toMatchObject({ __typename: 'VendorError', statusCode: 409, message: 'Syllable answered HTTP 409: Batch is being re-imported' });
    const { batch: after } = dataOf(await t.h.gql<{ batch: { paused: boolean; status: string } }, { id: string }>(`query($id: ID!) { batch(id: $id) { paused status } }`, { id: `syllable:${batch.batch_id}` }));
    expect(after).toEqual({ paused: false, status: 'ACTIVE' });
    expect((await t.h.requests('syllable')).filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('a Bolna stop whose answer is lost is not sent again: the batch is read back, and as Bolna shows it stopped, that is the answer', async () => {
    const id = await firstActiveBolna();
    const batchId = id.slice('bolna:'.length);
    await t.h.fault('bolna', { method: 'POST', path: `/batches/${batchId}/stop`, kind: 'reset-after-handling', times: 1 });
    const answer = dataOf(await t.h.gql<{ stopBatch: Record<string, unknown> }, { id: string }>(STOP, { id }));
    expect(answer.stopBatch).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { id, status: 'COMPLETED' } });
    expect((await t.h.requests('bolna')).filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('a write whose answer is lost and that the batch does not show is WriteOutcomeUnknownError, with the batch as read back', async () => {
    const id = await firstActiveBolna();
    const batchId = id.slice('bolna:'.length);
    // The stop never reaches the vendor's handler, and the connection drops: the outcome is unknown to us.
    await t.h.fault('bolna', { method: 'POST', path: `/batches/${batchId}/stop`, kind: 'reset', times: 1 });
    const answer = dataOf(await t.h.gql<{ stopBatch: Record<string, unknown> }, { id: string }>(STOP, { id }));
    expect(answer.stopBatch).toMatchObject({ __typename: 'WriteOutcomeUnknownError', code: 'WRITE_OUTCOME_UNKNOWN', operation: 'stopBatch', readBack: { id, status: 'ACTIVE' } });
    expect((answer.stopBatch as { message: string }).message).toMatch(/answer to stopBatch was lost .*check it before trying again/);
    expect((await t.h.requests('bolna')).filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  async function firstActiveBolna(): Promise<string> {
    const listed = dataOf(await t.h.gql<{ batches: { edges: Array<{ node: { id: string } }> } }, Record<string, never>>('{ batches(first: 100, vendor: BOLNA, status: ACTIVE) { edges { node { id } } } }', {}));
    await t.h.reset();
    return listed.batches.edges[0]!.node.id;
  }

  it('a pause whose answer is lost is retried (the PUT sets an absolute value) and ends paused', async () => {
    const batch = activeBatch(1);
    await t.h.fault('syllable', { method: 'PUT', kind: 'reset-after-handling', times: 1 });
    const { pauseBatch } = dataOf(await t.h.gql(PauseBatchDocument, { id: `syllable:${batch.batch_id}` }));
    expect(pauseBatch).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { paused: true, status: 'PAUSED' } });
    const puts = (await t.h.requests('syllable')).filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.body)).toEqual([{ paused: true }, { paused: true }]);
    const { batch: after } = dataOf(await t.h.gql<{ batch: { paused: boolean; status: string } }, { id: string }>(`query($id: ID!) { batch(id: $id) { paused status } }`, { id: `syllable:${batch.batch_id}` }));
    expect(after).toEqual({ paused: true, status: 'PAUSED' });
  });
});
