import { describe, expect, it } from 'vitest';
import { BatchListDocument } from './generated/graphql.js';
import { dataOf, harnessPerDescribe } from './helpers/harness.js';
import { allSyllableBatches } from './helpers/vendor-raw.js';

/**
 * Answers that cannot be whole say so: an argument error stays on its field, items a vendor sent
 * without an id are counted and named, and a slow vendor does not hold back the others.
 */

const SYLLABLE_LIST = '/api/v1/outbound/batches';

describe('argument errors on a connection', () => {
  const t = harnessPerDescribe();

  it('a bad cursor or first with last is an error on `results`; the batch still answers', async () => {
    const id = t.batches.syllable[3]!;
    const query = 'query($id: ID!, $after: String, $first: Int, $last: Int) { batch(id: $id) { id status results(after: $after, first: $first, last: $last) { totalCount } } }';
    for (const variables of [{ after: 'not-a-cursor' }, { first: 5, last: 5 }]) {
      const answer = await t.h.gql<{ batch: { id: string; status: string; results: null } | null }, Record<string, unknown>>(query, { id, ...variables });
      expect(answer.data?.batch, JSON.stringify(variables)).toMatchObject({ id, results: null });
      expect(answer.data?.batch?.status).toBeTruthy();
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors![0]).toMatchObject({ path: ['batch', 'results'], extensions: { code: 'INVALID_INPUT' } });
    }
  });
});

describe('items without an id', () => {
  const t = harnessPerDescribe();

  it('a batch without batch_id is counted and named; the rest are listed', async () => {
    const items = await allSyllableBatches(t.h.simulators);
    const [broken, ...rest] = items;
    const withoutId: Record<string, unknown> = { ...broken };
    delete withoutId.batch_id;
    await t.h.override('syllable', {
      method: 'GET',
      path: SYLLABLE_LIST,
      status: 200,
      body: { items: [withoutId, ...rest], page: 0, page_size: 100, total_pages: 1, total_count: items.length },
    });
    const answer = await t.h.gql(BatchListDocument, { first: 100, vendor: 'SYLLABLE' });
    const batches = answer.data!.batches;
    expect(batches.edges).toHaveLength(items.length - 1);
    expect(batches.totalCount).toBe(items.length);
    expect(batches.incompleteVendors).toEqual(['SYLLABLE']);
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]).toMatchObject({ path: ['batches'], extensions: { code: 'VENDOR_BAD_RESPONSE', vendor: 'syllable', unreadable: 1 } });
    expect(answer.errors![0]!.message).toBe('Syllable sent 1 of its batches without an id, which could not be read: left out of the page but counted in `totalCount`.');
  });
});

describe('a slow vendor in a combined list', () => {
  // Syllable answers its list after 4 s; a combined list waits 1 s for it (Bolna, on loopback, answers within it on a busy machine too).
  const t = harnessPerDescribe({ env: { VENDOR_LIST_WAIT_MS: '1000', CACHE_TTL_MS: '60000' } });

  async function untilSyllableIdle() {
    for (let i = 0; i < 400 && (await t.h.stats('syllable')).inFlight > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    expect((await t.h.stats('syllable')).inFlight).toBe(0);
  }

  it('lists the vendors that answered, names the slow one, and lets its call fill the cache for the next read', async () => {
    await t.h.fault('syllable', { method: 'GET', path: SYLLABLE_LIST, latencyMs: 4_000 });
    const answer = await t.h.gql(BatchListDocument, { first: 100 });
    const batches = answer.data!.batches;
    expect(batches.incompleteVendors).toEqual(['SYLLABLE']);
    expect(batches.edges.map((e) => e.node.vendor)).toEqual(t.batches.bolna.map(() => 'BOLNA'));
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]).toMatchObject({ path: ['batches'], extensions: { code: 'VENDOR_TIMEOUT', vendor: 'syllable' } });
    // Given up on a fifth of Bolna's time after Bolna answered (at least 100 ms), not at the 1 s cap.
    const waited = Number(/Syllable did not answer within (\d+) ms/.exec(answer.errors![0]!.message)?.[1]);
    expect(waited).toBeLessThan(1_000);

    // The call was left to finish, not cancelled: its answer serves the next read.
    await untilSyllableIdle();
    expect((await t.h.stats('syllable')).closedEarly).toBe(0);
    const next = dataOf(await t.h.gql(BatchListDocument, { first: 100 }));
    expect(next.batches.incompleteVendors).toEqual([]);
    expect(next.batches.totalCount).toBe(t.batches.syllable.length + t.batches.bolna.length);
    expect((await t.h.calls()).syllable).toEqual({ [`GET ${SYLLABLE_LIST}`]: 1 });
  });

  it('a list of that vendor alone waits for it', async () => {
    await t.h.fault('syllable', { method: 'GET', path: SYLLABLE_LIST, latencyMs: 800 });
    const only = dataOf(await t.h.gql(BatchListDocument, { first: 100, vendor: 'SYLLABLE' }));
    expect(only.batches.totalCount).toBe(t.batches.syllable.length);
  });
});

describe('a slow vendor with an older answer kept', () => {
  const t = harnessPerDescribe({ env: { VENDOR_LIST_WAIT_MS: '1000', CACHE_TTL_MS: '100', CACHE_STALE_IF_ERROR_MS: '60000' } });

  it('serves the older answer with a STALE_DATA warning instead of leaving the vendor out', async () => {
    dataOf(await t.h.gql(BatchListDocument, { first: 100 }));
    // Past the TTL: the kept answer is stale, not fresh.
    await new Promise((resolve) => setTimeout(resolve, 150));
    await t.h.fault('syllable', { method: 'GET', path: SYLLABLE_LIST, latencyMs: 4_000 });
    const answer = await t.h.post<{ batches: { totalCount: number; incompleteVendors: string[] } }>({
      query: 'query { batches(first: 100) { totalCount incompleteVendors } }',
    });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.batches).toEqual({ totalCount: t.batches.syllable.length + t.batches.bolna.length, incompleteVendors: [] });
    const warnings = (answer.body as { extensions?: { warnings?: Array<Record<string, unknown>> } }).extensions?.warnings;
    expect(warnings).toHaveLength(1);
    expect(warnings![0]).toMatchObject({ code: 'STALE_DATA', vendor: 'syllable', reason: 'VENDOR_TIMEOUT' });
  });
});
