import { describe, expect, it } from 'vitest';
import { dataOf, harnessPerDescribe as harnessFor, type GraphQLResponse, type Harness } from './helpers/harness.js';

/**
 * The shared read layer over loopback: coalescing, TTL, size bound, write eviction, stale-if-error
 * and freshness, asserted on the simulators' own request counters.
 */

const SYLLABLE_GET = 'GET /api/v1/outbound/batches/{batch_id}';
const SYLLABLE_LIST = 'GET /api/v1/outbound/batches';
const SYLLABLE_PUT = 'PUT /api/v1/outbound/batches/{batch_id}';
const SYLLABLE_RESULTS = 'GET /api/v1/outbound/batches/{batch_id}/results';
const BATCH = `query($id: ID!) { batch(id: $id) { id status paused fetchedAt } }`;

type BatchData = { batch: { id: string; status: string; paused: boolean; fetchedAt: string } | null };

const read = (h: Harness, id: string) => h.gql<BatchData, { id: string }>(BATCH, { id });
const pathOf = (id: string) => `/api/v1/outbound/batches/${encodeURIComponent(id.slice('syllable:'.length))}`;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('single-flight across requests', () => {
  const t = harnessFor();

  it('50 concurrent identical batch(id) reads make one vendor GET', async () => {
    const id = t.batches.syllable[0]!;
    await t.h.fault('syllable', { method: 'GET', path: pathOf(id), latencyMs: 300 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => read(t.h, id)));
    expect(answers.map((a) => dataOf(a).batch?.id)).toEqual(Array.from({ length: 50 }, () => id));
    expect((await t.h.calls()).syllable).toEqual({ [SYLLABLE_GET]: 1 });
  });

  it('a waiter that leaves does not cancel the call for the others', async () => {
    const id = t.batches.syllable[1]!;
    await t.h.fault('syllable', { method: 'GET', path: pathOf(id), latencyMs: 800 });
    const leaving = fetch(t.h.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: BATCH, variables: { id } }),
      signal: AbortSignal.timeout(100),
    }).catch((error: unknown) => error);
    await wait(20);
    const staying = read(t.h, id);
    expect(await leaving).toBeInstanceOf(Error);
    expect(dataOf(await staying).batch?.id).toBe(id);
    const stats = await t.h.stats('syllable');
    expect(stats.requests).toEqual({ [SYLLABLE_GET]: 1 });
    expect(stats.closedEarly).toBe(0);
  });

  it('a shared call that fails fails each waiter with the same typed error', async () => {
    const id = t.batches.syllable[2]!;
    // 500 is not retried, and nothing is cached yet to serve instead.
    await t.h.fault('syllable', { method: 'GET', path: pathOf(id), latencyMs: 200, status: 500 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => read(t.h, id)));
    for (const answer of answers) {
      expect(answer.data?.batch).toBeNull();
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_ERROR', vendor: 'syllable', statusCode: 500 });
    }
    expect((await t.h.calls()).syllable).toEqual({ [SYLLABLE_GET]: 1 });
  });
});

describe('the read cache', () => {
  const t = harnessFor();

  it('serves a batch read again within the TTL without a vendor call, with the fetchedAt of the vendor answer', async () => {
    const id = t.batches.syllable[0]!;
    const before = Date.now();
    const first = dataOf(await read(t.h, id)).batch!;
    const second = dataOf(await read(t.h, id)).batch!;
    expect(second).toEqual(first);
    const fetchedAt = Date.parse(first.fetchedAt);
    expect(fetchedAt).toBeGreaterThanOrEqual(before - 5);
    expect(fetchedAt).toBeLessThanOrEqual(Date.now());
    expect((await t.h.calls()).syllable).toEqual({ [SYLLABLE_GET]: 1 });
  });

  it('a successful pause evicts the batch and the list before it answers: the next reads show it paused', async () => {
    const id = t.batches.active[0]!;
    const listQuery = `{ batches(first: 100, vendor: SYLLABLE) { edges { node { id paused } } } }`;
    type List = { batches: { edges: Array<{ node: { id: string; paused: boolean } }> } };
    const pausedIn = (list: List) => list.batches.edges.find((e) => e.node.id === id)?.node.paused;
    expect(dataOf(await read(t.h, id)).batch?.paused).toBe(false);
    expect(pausedIn(dataOf(await t.h.gql<List, Record<string, never>>(listQuery)))).toBe(false);

    const pause = await t.h.gql<{ pauseBatch: { __typename: string } }, { id: string }>(`mutation($id: ID!) { pauseBatch(id: $id) { __typename } }`, { id });
    expect(dataOf(pause).pauseBatch.__typename).toBe('BatchMutationSuccess');

    expect(dataOf(await read(t.h, id)).batch).toMatchObject({ paused: true, status: 'PAUSED' });
    expect(pausedIn(dataOf(await t.h.gql<List, Record<string, never>>(listQuery)))).toBe(true);
    // Read, list, the mutation's own read of the vendor's state, the PUT, then one read each again.
    expect((await t.h.calls()).syllable).toEqual({ [SYLLABLE_GET]: 3, [SYLLABLE_LIST]: 2, [SYLLABLE_PUT]: 1 });
    await t.h.gql(`mutation($id: ID!) { resumeBatch(id: $id) { __typename } }`, { id });
  });

  it('a write the vendor refuses evicts nothing', async () => {
    const id = t.batches.active[1]!;
    dataOf(await read(t.h, id));
    await t.h.fault('syllable', { method: 'PUT', status: 409, body: { detail: 'Batch is being re-imported' } });
    const pause = await t.h.gql<{ pauseBatch: { __typename: string } }, { id: string }>(`mutation($id: ID!) { pauseBatch(id: $id) { __typename } }`, { id });
    expect(dataOf(pause).pauseBatch.__typename).toBe('VendorError');
    expect(dataOf(await read(t.h, id)).batch?.paused).toBe(false);
    // The cached read still serves: no GET beyond the first and the mutation's own.
    expect((await t.h.calls()).syllable).toEqual({ [SYLLABLE_GET]: 2, [SYLLABLE_PUT]: 1 });
  });

  it('batch(id) { results } costs one vendor call, and an unknown id is null with NOT_FOUND after one call', async () => {
    const query = `query($id: ID!) { batch(id: $id) { id results(first: 5) { totalCount fetchedAt edges { node { id } } } } }`;
    type Data = { batch: { id: string; results: { totalCount: number; fetchedAt: string; edges: unknown[] } } | null };
    const known = dataOf(await t.h.gql<Data, { id: string }>(query, { id: t.batches.syllable[3]! }));
    expect(known.batch?.results.edges).toHaveLength(5);
    expect(Date.parse(known.batch!.results.fetchedAt)).toBeLessThanOrEqual(Date.now());
    expect((await t.h.calls()).syllable).toEqual({ [SYLLABLE_RESULTS]: 1 });

    await t.h.reset();
    const unknown = await t.h.gql<Data, { id: string }>(query, { id: 'syllable:19990101.1' });
    expect(unknown.data?.batch).toBeNull();
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await t.h.calls()).syllable).toEqual({ [SYLLABLE_RESULTS]: 1 });

    await t.h.reset();
    const bolna = dataOf(await t.h.gql<Data, { id: string }>(query, { id: t.batches.bolna[0]! }));
    expect(bolna.batch?.id).toBe(t.batches.bolna[0]);
    expect((await t.h.calls()).bolna).toEqual({ 'GET /batches/{batch_id}/executions': 1 });
  });

  it('passes filters the vendor applies exactly down to it, and filters cached rows without another call', async () => {
    const id = t.batches.syllable[3]!; // the showcase batch: one row of every request status
    const query = `query($id: ID!, $status: ResultStatus, $ref: String, $insights: String) {
      batch(id: $id) { results(first: 100, status: $status, referenceId: $ref, insightsStatus: $insights) { totalCount edges { node { referenceId status vendorStatus insightsStatus } } } } }`;
    type Data = { batch: { results: { totalCount: number; edges: Array<{ node: { referenceId: string; status: string; vendorStatus: string; insightsStatus: string | null } }> } } };
    const ask = (variables: Record<string, string>) => t.h.gql<Data, Record<string, string>>(query, { id, ...variables });

    const pending = dataOf(await ask({ status: 'PENDING' })).batch.results;
    expect(pending.totalCount).toBeGreaterThan(0);
    expect(pending.edges.every((e) => e.node.status === 'PENDING')).toBe(true);
    const insights = dataOf(await ask({ insights: 'COMPLETED' })).batch.results;
    const completed = dataOf(await ask({ status: 'COMPLETED' })).batch.results;
    const queries = (await t.h.requests('syllable')).filter((r) => r.path.endsWith('/results')).map((r) => new URLSearchParams(r.query));
    // PENDING is exactly one request status; COMPLETED also depends on the channel, so it is filtered here.
    expect(queries.map((q) => [q.get('status'), q.get('insights_status')])).toEqual([
      ['PENDING', null],
      [null, 'COMPLETED'],
      [null, null],
    ]);
    expect(insights.edges.every((e) => e.node.insightsStatus === 'COMPLETED')).toBe(true);

    // The unfiltered read is now cached: every filter is answered from it, the same as the vendor's.
    await t.h.reset();
    const all = dataOf(await ask({})).batch.results;
    const again = dataOf(await ask({ status: 'PENDING' })).batch.results;
    const ref = all.edges[2]!.node.referenceId;
    const one = dataOf(await ask({ ref })).batch.results;
    expect(again).toEqual(pending);
    expect(one.edges.map((e) => e.node.referenceId)).toEqual([ref]);
    expect(dataOf(await ask({ status: 'COMPLETED' })).batch.results).toEqual(completed);
    expect((await t.h.calls()).syllable).toEqual({ [SYLLABLE_RESULTS]: 1 });
  });
});

describe('TTL', () => {
  const t = harnessFor({ env: { CACHE_TTL_MS: '200' } });

  it('after the TTL the next read reaches the vendor again', async () => {
    const id = t.batches.syllable[0]!;
    dataOf(await read(t.h, id));
    await wait(300);
    dataOf(await read(t.h, id));
    expect((await t.h.calls()).syllable).toEqual({ [SYLLABLE_GET]: 2 });
  });
});

describe('CACHE_TTL_MS=0', () => {
  const t = harnessFor({ env: { CACHE_TTL_MS: '0' } });

  it('every read reaches the vendor, sequential or concurrent', async () => {
    const id = t.batches.syllable[0]!;
    dataOf(await read(t.h, id));
    dataOf(await read(t.h, id));
    await t.h.fault('syllable', { method: 'GET', path: pathOf(id), latencyMs: 100 });
    await Promise.all(Array.from({ length: 5 }, () => read(t.h, id)));
    expect((await t.h.calls()).syllable).toEqual({ [SYLLABLE_GET]: 7 });
  });
});

describe('size bound', () => {
  // A batch record counts 1 KiB: this cache holds three.
  const t = harnessFor({ env: { CACHE_MAX_BYTES: String(3 * 1024) } });

  it('evicts the least recently used answer first', async () => {
    const ids = t.batches.syllable.slice(0, 5);
    for (const id of ids) dataOf(await read(t.h, id));
    expect((await t.h.calls()).syllable).toEqual({ [SYLLABLE_GET]: 5 });
    dataOf(await read(t.h, ids[4]!)); // still held
    dataOf(await read(t.h, ids[0]!)); // pushed out by the later ones
    expect((await t.h.calls()).syllable).toEqual({ [SYLLABLE_GET]: 6 });
  });
});

describe('stale if error', () => {
  // The breaker stays out of it: these tests are about the cache.
  const t = harnessFor({ env: { CACHE_TTL_MS: '200', VENDOR_RETRY_BASE_MS: '5', BREAKER_CONSECUTIVE_FAILURES: '1000', BREAKER_MIN_CALLS: '1000' } });

  it('a failing vendor read answers with the older data and a warning naming the vendor and its age', async () => {
    const id = t.batches.syllable[0]!;
    const first = dataOf(await read(t.h, id)).batch!;
    await wait(300);
    await t.h.fault('syllable', { method: 'GET', status: 503 });
    const stale = (await read(t.h, id)) as GraphQLResponse<BatchData> & { extensions?: { warnings?: Array<Record<string, unknown>> } };
    expect(stale.errors).toBeUndefined();
    expect(stale.data?.batch).toEqual(first);
    expect(stale.extensions?.warnings).toEqual([
      expect.objectContaining({ code: 'STALE_DATA', vendor: 'syllable', reason: 'VENDOR_ERROR', fetchedAt: first.fetchedAt, ageSeconds: expect.any(Number) as unknown }),
    ]);
    expect(String(stale.extensions?.warnings?.[0]?.message)).toMatch(/Syllable is failing/);
  });

  it('without an answer to fall back on, the error comes through', async () => {
    await t.h.fault('syllable', { method: 'GET', status: 503 });
    const answer = await read(t.h, t.batches.syllable[1]!);
    expect(answer.data?.batch).toBeNull();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_ERROR', statusCode: 503 });
  });
});

describe('stale if error off', () => {
  const t = harnessFor({ env: { CACHE_TTL_MS: '200', CACHE_STALE_IF_ERROR_MS: '0', VENDOR_RETRY_BASE_MS: '5' } });

  it('CACHE_STALE_IF_ERROR_MS=0 serves no older data', async () => {
    const id = t.batches.syllable[0]!;
    dataOf(await read(t.h, id));
    await wait(300);
    await t.h.fault('syllable', { method: 'GET', status: 503 });
    const answer = await read(t.h, id);
    expect(answer.data?.batch).toBeNull();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_ERROR' });
  });
});

describe('results bodies', () => {
  const t = harnessFor({ env: { VENDOR_MAX_RESULTS_BYTES: '4096', VENDOR_RETRY_BASE_MS: '5' } });
  const query = `query($id: ID!) { batch(id: $id) { id status results(first: 5) { totalCount } } }`;
  type Data = { batch: { id: string; status: string; results: { totalCount: number } } | null };

  it('a results body over VENDOR_MAX_RESULTS_BYTES is a typed error on the results only; other bodies keep their own limit', async () => {
    const big = t.batches.syllable[0]!; // 20,000 rows, megabytes of JSON
    const answer = await t.h.gql<Data, { id: string }>(query, { id: big });
    // The error is the field's: the batch still answers.
    expect(answer.data?.batch).toMatchObject({ id: big, status: 'ACTIVE', results: null });
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]).toMatchObject({ path: ['batch', 'results'], extensions: { code: 'VENDOR_BAD_RESPONSE', vendor: 'syllable' } });
    expect(answer.errors?.[0]?.message).toMatch(/larger than 4096 bytes/);
    // The batch itself, a small body, reads fine.
    expect(dataOf(await read(t.h, big)).batch?.id).toBe(big);
  });

  it('a results body that is not a JSON array is VENDOR_BAD_RESPONSE', async () => {
    const id = t.batches.syllable[3]!;
    await t.h.fault('syllable', { method: 'GET', path: `${pathOf(id)}/results`, kind: 'malformed-json' });
    const answer = await t.h.gql<Data, { id: string }>(query, { id });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'VENDOR_BAD_RESPONSE', vendor: 'syllable' });
  });
});
