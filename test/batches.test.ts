import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BatchDetailDocument, BatchPageDocument, BatchResultsDocument, type BatchPageQuery } from './generated/graphql.js';
import { dataOf, startHarness, type Harness } from './helpers/harness.js';
import { allBolnaBatches, allSyllableBatches, vendorGet, type RawBatch } from './helpers/vendor-raw.js';

let h: Harness;
let syllable: RawBatch[];
let bolna: Array<RawBatch & { agentId: string }>;
/** Syllable results per batch id, as the vendor holds them. */
const syllableRows = new Map<string, Array<Record<string, string | null>>>();

beforeAll(async () => {
  h = await startHarness();
  [syllable, bolna] = await Promise.all([allSyllableBatches(h.simulators), allBolnaBatches(h.simulators)]);
  for (const b of syllable) {
    syllableRows.set(b.batch_id, (await vendorGet(h.simulators, 'syllable', `/api/v1/outbound/batches/${b.batch_id}/results`)) as Array<Record<string, string | null>>);
  }
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const largestSyllableBatch = () => [...syllableRows.entries()].sort((a, b) => b[1].length - a[1].length)[0]![0];

describe('demo data', () => {
  it('has at least 3 Syllable campaigns, 2 Bolna agents and 12 batches over every vendor status', () => {
    expect(new Set(syllable.map((b) => b.campaign_id)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(bolna.map((b) => b.agentId)).size).toBeGreaterThanOrEqual(2);
    expect(syllable.length + bolna.length).toBeGreaterThanOrEqual(12);
    expect(new Set(syllable.map((b) => b.status))).toEqual(new Set(['PENDING', 'ACTIVE', 'PAUSED', 'FAILED', 'CANCELED', 'EXPIRED']));
    expect(new Set(bolna.map((b) => b.status))).toEqual(new Set(['created', 'scheduled', 'queued', 'executed']));
  });

  it('has batches from 5 to 20,000 targets, results over every request status, and only 555 numbers', async () => {
    const sizes = [...syllableRows.values()].map((rows) => rows.length);
    expect(Math.max(...sizes)).toBe(20_000);
    // Only a batch whose upload failed is empty; every other one has 5 targets or more.
    expect(sizes.filter((n) => n > 0 && n < 5)).toEqual([]);
    const statuses = new Set<string>();
    const channels = new Set<string>();
    for (const rows of syllableRows.values()) {
      for (const row of rows) {
        statuses.add(row.request_status!);
        if (row.channel_manager_status) channels.add(row.channel_manager_status);
        expect(row.target).toMatch(/^\+1\d{3}555\d{4}$/);
      }
    }
    expect(statuses).toEqual(new Set(['PENDING', 'DUPLICATE', 'INITIATED', 'CONNECTED', 'COMPLETED', 'FAILED', 'CANCELED', 'INVALID', 'SKIPPED']));
    expect(channels.has('NO-ANSWER')).toBe(true);
    const executionStatuses = new Set<string>();
    for (const b of bolna) {
      const rows = (await vendorGet(h.simulators, 'bolna', `/batches/${b.batch_id}/executions`)) as Array<{ status: string; telephony_data: { to_number: string } }>;
      for (const row of rows) {
        executionStatuses.add(row.status);
        expect(row.telephony_data.to_number).toMatch(/^\+1\d{3}555\d{4}$/);
      }
    }
    expect(executionStatuses.size).toBe(15);
  });
});

describe('batch(id)', () => {
  it('normalises a Syllable batch and its counts match its results', async () => {
    const raw = syllable.find((b) => b.status === 'ACTIVE' && (syllableRows.get(b.batch_id)?.length ?? 0) === 1_200)!;
    const id = `syllable:${raw.batch_id}`;
    const { batch } = dataOf(await h.gql(BatchDetailDocument, { id }));
    expect(batch).toMatchObject({ id, vendor: 'SYLLABLE', vendorBatchId: raw.batch_id, status: 'ACTIVE', vendorStatus: 'ACTIVE', paused: false });
    expect(batch!.campaignId).toBe(String(raw.campaign_id));
    expect(batch!.createdAt).toBe(new Date(String(raw.created_at)).toISOString());

    const rows = syllableRows.get(raw.batch_id)!;
    expect(batch!.totalCount).toBe(rows.length);
    const byStatus = new Map<string, number>();
    for (const row of rows) byStatus.set(row.request_status!, (byStatus.get(row.request_status!) ?? 0) + 1);
    expect(new Map(batch!.statusCounts.map((c) => [c.vendorStatus, c.count]))).toEqual(byStatus);
    const progress = batch!.progress;
    expect(progress.total).toBe(rows.length);
    expect(progress.pending + progress.inProgress + progress.completed + progress.notReached + progress.failed + progress.canceled + progress.unknown).toBe(rows.length);
    expect(progress.finishedFraction).toBeCloseTo(progress.finished / rows.length, 10);
    // The deprecated name keeps its old meaning: no silent change for clients still reading it.
    expect(progress.completedFraction).toBe(progress.finishedFraction);
  });

  it('uses the channel status where the request status is ambiguous (CONNECTED + NO-ANSWER is NOT_REACHED)', async () => {
    const showcase = syllable.find((b) => syllableRows.get(b.batch_id)?.length === 9);
    const id = `syllable:${showcase!.batch_id}`;
    const { batch } = dataOf(await h.gql(BatchDetailDocument, { id }));
    const connected = batch!.statusCounts.find((c) => c.vendorStatus === 'CONNECTED')!;
    expect(connected.breakdown).toEqual([{ status: 'NOT_REACHED', vendorStatus: 'NO-ANSWER', count: 1 }]);
    expect(batch!.progress.notReached).toBe(1);
    const { batch: withResults } = dataOf(await h.gql(BatchResultsDocument, { id, status: 'NOT_REACHED' }));
    expect(withResults!.results!.edges.map((e) => [e.node.vendorStatus, e.node.channelStatus])).toEqual([['CONNECTED', 'NO-ANSWER']]);
  });

  it('normalises a Bolna batch with hyphenated statuses and offset timestamps', async () => {
    const raw = bolna.find((b) => String(b.created_at).endsWith('+05:30') && b.status === 'executed')!;
    const id = `bolna:${raw.batch_id}`;
    const { batch } = dataOf(await h.gql(BatchDetailDocument, { id }));
    expect(batch).toMatchObject({ vendor: 'BOLNA', status: 'COMPLETED', vendorStatus: 'executed', paused: false, expiresOn: null });
    expect(batch!.createdAt).toBe(new Date(String(raw.created_at)).toISOString());
    expect(batch!.createdAt!.endsWith('Z')).toBe(true);
    expect(batch!.totalCount).toBe(raw.total_contacts);
    expect(batch!.agentId).toBe(raw.agentId);
    const noAnswer = batch!.statusCounts.find((c) => c.vendorStatus === 'no-answer');
    expect(noAnswer?.status).toBe('NOT_REACHED');
    expect(batch!.statusCounts.reduce((sum, c) => sum + c.count, 0)).toBe(raw.valid_contacts);
    expect(batch).toMatchObject({ canPause: false, canResume: false, canUpdateExpiry: false });
  });

  it('returns null with NOT_FOUND for an unknown id, after one vendor call', async () => {
    const response = await h.gql(BatchDetailDocument, { id: 'syllable:19990101.1' });
    expect(response.data?.batch).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(response.errors?.[0]?.path).toEqual(['batch']);
    expect((await h.calls()).syllable).toEqual({ 'GET /api/v1/outbound/batches/{batch_id}': 1 });
  });

  it.each([
    ['no vendor', 'nothing'],
    ['unknown vendor', 'acme:123'],
    ['Bolna id not 32 hex', 'bolna:1234'],
    ['empty batch id', 'syllable:'],
    ['too many parts', 'syllable:a:b:c'],
  ])('rejects a malformed id (%s) with INVALID_INPUT and no vendor call', async (_case, id) => {
    const response = await h.gql(BatchDetailDocument, { id });
    expect(response.data?.batch).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(response.errors?.[0]?.message).toMatch(/Malformed id|names a batch result/);
    expect((await h.stats('syllable')).total + (await h.stats('bolna')).total).toBe(0);
  });
});

describe('batches', () => {
  it('lists both vendors newest first and pages through all of them with stable cursors', async () => {
    const seen: Array<{ id: string; createdAt: string | null }> = [];
    let after: string | null = null;
    let pages = 0;
    let total = 0;
    do {
      const page: BatchPageQuery = dataOf(await h.gql(BatchPageDocument, { first: 7, after, withCounts: false }));
      const { batches } = page;
      total = batches.totalCount;
      seen.push(...batches.edges.map((e) => ({ id: e.node.id, createdAt: e.node.createdAt ?? null })));
      after = batches.pageInfo.hasNextPage ? batches.pageInfo.endCursor ?? null : null;
      pages += 1;
      if (pages > 1) expect(batches.pageInfo.hasPreviousPage).toBe(true);
    } while (after);
    expect(total).toBe(syllable.length + bolna.length);
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((s) => s.id)).size).toBe(total);
    expect(new Set(seen.map((s) => s.id))).toEqual(new Set([...syllable.map((b) => `syllable:${b.batch_id}`), ...bolna.map((b) => `bolna:${b.batch_id}`)]));
    const times = seen.map((s) => Date.parse(s.createdAt!));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(pages).toBe(Math.ceil(total / 7));
  });

  it('filters by vendor (reading only that vendor) and by normalised status', async () => {
    const { batches } = dataOf(await h.gql(BatchPageDocument, { first: 100, vendor: 'BOLNA', withCounts: false }));
    expect(batches.totalCount).toBe(bolna.length);
    expect(batches.edges.every((e) => e.node.vendor === 'BOLNA')).toBe(true);
    expect((await h.stats('syllable')).total).toBe(0);

    const paused = dataOf(await h.gql(BatchPageDocument, { first: 100, status: 'PAUSED', withCounts: false })).batches;
    expect(paused.totalCount).toBe(syllable.filter((b) => b.paused === true).length);
    expect(paused.edges.every((e) => e.node.status === 'PAUSED')).toBe(true);
  });

  it('rejects page sizes beyond the cap and malformed cursors', async () => {
    const big = await h.gql(BatchPageDocument, { first: 101, withCounts: false });
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'first' });
    const cursor = await h.gql(BatchPageDocument, { first: 5, after: 'not-a-cursor', withCounts: false });
    expect(cursor.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    expect(cursor.errors?.[0]?.message).toMatch(/Malformed cursor/);
  });
});

describe('results', () => {
  it('pages through a Syllable batch of 20,000 results without losing or repeating one', async () => {
    const id = `syllable:${largestSyllableBatch()}`;
    const first = dataOf(await h.gql(BatchResultsDocument, { id, first: 500 }));
    expect(first.batch!.results!.totalCount).toBe(20_000);
    expect(first.batch!.results!.edges).toHaveLength(500);
    const second = dataOf(await h.gql(BatchResultsDocument, { id, first: 500, after: first.batch!.results!.pageInfo.endCursor }));
    const ids = [...first.batch!.results!.edges, ...second.batch!.results!.edges].map((e) => e.node.referenceId);
    expect(new Set(ids).size).toBe(1000);
    expect(second.batch!.results!.edges[0]!.node.referenceId).toMatch(/-00501$/);
  });

  it('filters by status and reference id, pushing the reference down to Syllable', async () => {
    const id = `syllable:${syllable.find((b) => b.status === 'PAUSED' && (syllableRows.get(b.batch_id)?.length ?? 0) <= 500)!.batch_id}`;
    const all = dataOf(await h.gql(BatchResultsDocument, { id, first: 500 })).batch!.results!;
    const failed = dataOf(await h.gql(BatchResultsDocument, { id, first: 500, status: 'FAILED' })).batch!.results!;
    expect(failed.totalCount).toBe(all.edges.filter((e) => e.node.status === 'FAILED').length);
    expect(failed.totalCount).toBeGreaterThan(0);
    const target = all.edges[3]!.node;
    await h.reset();
    const one = dataOf(await h.gql(BatchResultsDocument, { id, referenceId: target.referenceId })).batch!.results!;
    expect(one.edges.map((e) => e.node)).toEqual([target]);
    const log = await h.requests('syllable');
    expect(log.find((r) => r.path.endsWith('/results'))?.query).toBe(`?reference_id=${encodeURIComponent(target.referenceId)}`);
  });

  it('maps Bolna executions: target, attempts, variables and extracted data', async () => {
    const raw = bolna.find((b) => b.status === 'executed' && Number(b.valid_contacts) > 100)!;
    const id = `bolna:${raw.batch_id}`;
    const results = dataOf(await h.gql(BatchResultsDocument, { id, first: 50, status: 'COMPLETED' })).batch!.results!;
    const executions = (await vendorGet(h.simulators, 'bolna', `/batches/${raw.batch_id}/executions`)) as Array<Record<string, unknown>>;
    expect(results.totalCount).toBe(executions.filter((e) => e.status === 'completed').length);
    const node = results.edges[0]!.node;
    const source = executions.find((e) => e.id === node.referenceId)!;
    expect(node.id).toBe(`bolna:${raw.batch_id}:${String(source.id)}`);
    expect(node.target).toBe((source.telephony_data as { to_number: string }).to_number);
    expect(node.attemptCount).toBe((source.batch_run_details as { retried: number }).retried + 1);
    expect(node.variables).toEqual(source.context_details);
    expect(node.insights).toEqual(source.extracted_data);
  });
});
