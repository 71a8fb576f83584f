import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BatchPageDocument } from './generated/graphql.js';
import { dataOf, startHarness, type Harness } from './helpers/harness.js';
import { allBolnaBatches, allSyllableBatches } from './helpers/vendor-raw.js';

/**
 * Exact vendor-call counts, read from the simulators' own counters. Each expectation is the
 * number of vendor requests the operation needs and no more.
 */

const SYLLABLE_LIST = 'GET /api/v1/outbound/batches';
const SYLLABLE_GET = 'GET /api/v1/outbound/batches/{batch_id}';
const SYLLABLE_PUT = 'PUT /api/v1/outbound/batches/{batch_id}';
const BOLNA_LIST = 'GET /batches/{agent_id}/all';
const BOLNA_GET = 'GET /batches/{batch_id}';

let h: Harness;
let syllableId: string;
let pausableId: string;
let bolnaId: string;

beforeAll(async () => {
  h = await startHarness();
  const [syllable, bolna] = await Promise.all([allSyllableBatches(h.simulators), allBolnaBatches(h.simulators)]);
  syllableId = `syllable:${syllable.find((b) => b.status === 'EXPIRED')!.batch_id}`;
  pausableId = `syllable:${syllable.find((b) => b.status === 'ACTIVE')!.batch_id}`;
  bolnaId = `bolna:${bolna[0]!.batch_id}`;
});
afterAll(() => h.close());
beforeEach(() => h.reset());

describe('vendor calls per operation', () => {
  it('one batch with counts and progress: one GET', async () => {
    dataOf(await h.gql(`query($id: ID!) { batch(id: $id) { status totalCount statusCounts { count } progress { finishedFraction } canPause } }`, { id: syllableId }));
    expect(await h.calls()).toEqual({ syllable: { [SYLLABLE_GET]: 1 }, bolna: {} });
  });

  it('the same batch five ways (aliases, node, nodes): one GET per vendor', async () => {
    const query = `query($s: ID!, $b: ID!) {
      a: batch(id: $s) { status statusCounts { count } }
      b: batch(id: $s) { totalCount progress { total } }
      n: node(id: $s) { id ... on Batch { vendorStatus } }
      ns: nodes(ids: [$s, $s, $b]) { id }
      c: batch(id: $b) { statusCounts { count } }
      d: node(id: $b) { ... on Batch { totalCount } }
    }`;
    const data = dataOf(await h.gql<{ ns: Array<{ id: string }> }, { s: string; b: string }>(query, { s: syllableId, b: bolnaId }));
    expect(data.ns.map((n) => n.id)).toEqual([syllableId, syllableId, bolnaId]);
    expect(await h.calls()).toEqual({ syllable: { [SYLLABLE_GET]: 1 }, bolna: { [BOLNA_GET]: 1 } });
  });

  it('a 25-batch page over both vendors without statusCounts: only the list reads', async () => {
    const { batches } = dataOf(await h.gql(BatchPageDocument, { first: 25, withCounts: false }));
    expect(batches.edges).toHaveLength(25);
    expect(new Set(batches.edges.map((e) => e.node.vendor))).toEqual(new Set(['SYLLABLE', 'BOLNA']));
    // Syllable: one page of up to 100; Bolna: one list per configured agent (2).
    expect(await h.calls()).toEqual({ syllable: { [SYLLABLE_LIST]: 1 }, bolna: { [BOLNA_LIST]: 2 } });
  });

  it('the same page with statusCounts: plus one GET per Syllable batch on the page, none for Bolna', async () => {
    const { batches } = dataOf(await h.gql(BatchPageDocument, { first: 25, withCounts: true }));
    const syllableOnPage = batches.edges.filter((e) => e.node.vendor === 'SYLLABLE').length;
    expect(syllableOnPage).toBeGreaterThan(5);
    expect(batches.edges.every((e) => Array.isArray(e.node.statusCounts))).toBe(true);
    expect(await h.calls()).toEqual({
      syllable: { [SYLLABLE_LIST]: 1, [SYLLABLE_GET]: syllableOnPage },
      bolna: { [BOLNA_LIST]: 2 },
    });
  });

  it('a list beside a single read of a listed batch: the list answers both', async () => {
    const query = `query($b: ID!) { batches(first: 3) { totalCount } batch(id: $b) { status statusCounts { count } } }`;
    dataOf(await h.gql(query, { b: bolnaId }));
    expect(await h.calls()).toEqual({ syllable: { [SYLLABLE_LIST]: 1 }, bolna: { [BOLNA_LIST]: 2 } });
  });

  it('a mutation followed by reads of the batch: one GET and one PUT per change', async () => {
    const query = `mutation($id: ID!) {
      pause: pauseBatch(id: $id) { ... on BatchMutationSuccess { batch { status paused statusCounts { count } progress { total } } } }
      expiry: updateBatchExpiry(id: $id, expiresOn: "2099-01-01T00:00:00Z") { ... on BatchMutationSuccess { batch { expiresOn paused totalCount } } }
      resume: resumeBatch(id: $id) { ... on BatchMutationSuccess { batch { status paused statusCounts { count } } } }
    }`;
    const data = dataOf(
      await h.gql<{ pause: { batch: { paused: boolean; status: string } }; expiry: { batch: { expiresOn: string; paused: boolean } }; resume: { batch: { paused: boolean; status: string } } }, { id: string }>(
        query,
        { id: pausableId },
      ),
    );
    expect(data.pause.batch).toMatchObject({ paused: true, status: 'PAUSED' });
    expect(data.expiry.batch).toMatchObject({ paused: true, expiresOn: '2099-01-01T00:00:00.000Z' });
    expect(data.resume.batch).toMatchObject({ paused: false, status: 'ACTIVE' });
    expect(await h.calls()).toEqual({ syllable: { [SYLLABLE_GET]: 1, [SYLLABLE_PUT]: 3 }, bolna: {} });
  });

  it('the same query twice within the cache TTL reads the vendor once', async () => {
    const query = `query($id: ID!) { batch(id: $id) { status } }`;
    dataOf(await h.gql(query, { id: syllableId }));
    dataOf(await h.gql(query, { id: syllableId }));
    expect((await h.calls()).syllable).toEqual({ [SYLLABLE_GET]: 1 });
  });
});

describe('concurrency', () => {
  let slow: Harness;
  beforeAll(async () => {
    slow = await startHarness({ latencyMs: 40, env: { SYLLABLE_MAX_CONCURRENCY: '3' } });
  });
  afterAll(() => slow.close());

  it('runs independent vendor calls at once, bounded per vendor', async () => {
    await slow.reset();
    const { batches } = dataOf(await slow.gql(BatchPageDocument, { first: 100, vendor: 'SYLLABLE', withCounts: true }));
    expect(batches.edges.length).toBeGreaterThan(10);
    const stats = await slow.stats('syllable');
    expect(stats.requests[SYLLABLE_GET]).toBe(batches.edges.length);
    expect(stats.maxInFlight).toBe(3);
  });
});
