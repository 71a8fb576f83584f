import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RetryableDocument, RetryBatchTargetsDocument, type ResultStatus, type RetryBatchTargetsMutationVariables } from './generated/graphql.js';
import { allResults, type ResultRow } from './helpers/results.js';
import { dataOf, harnessPerDescribe, type VendorName } from './helpers/harness.js';
import { allBolnaBatches, vendorGet } from './helpers/vendor-raw.js';

/**
 * `retryBatchTargets` and `Batch.retryableTargets` over HTTP against both simulators: a new batch
 * of exactly the targets in the statuses asked, at the same vendor or the other, once per key,
 * with nothing written to the source; and input refused with no vendor write.
 */

const demo = harnessPerDescribe();

async function writes(vendor: VendorName): Promise<string[]> {
  return (await demo.h.requests(vendor)).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

async function retry(variables: Omit<RetryBatchTargetsMutationVariables, 'idempotencyKey'> & { idempotencyKey?: string }) {
  const answer = await demo.h.gql(RetryBatchTargetsDocument, { idempotencyKey: randomUUID(), ...variables });
  return { outcome: dataOf(answer).retryBatchTargets, warnings: ((answer as { extensions?: { warnings?: Array<{ code: string }> } }).extensions?.warnings ?? []).map((w) => w.code) };
}

/** A finished Syllable batch of the demo (expired), which has targets not reached. */
function expiredSyllableBatch(): string {
  const raw = demo.batches.rawSyllable.find((batch) => batch.status === 'EXPIRED' && Number(batch.total_count ?? 500) >= 75)!;
  return `syllable:${raw.batch_id}`;
}

const inAnHour = () => new Date(Date.now() + 60 * 60_000).toISOString();

describe('retryableTargets', () => {
  it('counts the targets a retry of those statuses would take, from the read `results` made, with no vendor write', async () => {
    const { h } = demo;
    const id = expiredSyllableBatch();
    const notReached = await allResults(h, id, 'NOT_REACHED');
    const failed = await allResults(h, id, 'FAILED');
    expect(notReached.length).toBeGreaterThan(0);
    await h.reset();
    const count = async (statuses: ResultStatus[]) => dataOf(await h.gql(RetryableDocument, { id, statuses })).batch!.retryableTargets;
    expect(await count(['NOT_REACHED'])).toBe(notReached.filter((row) => row.target).length);
    expect(await count(['NOT_REACHED', 'FAILED'])).toBe([...notReached, ...failed].filter((row) => row.target).length);
    expect(await count([])).toBe(0);
    expect(await h.calls()).toMatchObject({ syllable: { 'GET /api/v1/outbound/batches/{batch_id}/results': 1 } });
    expect([...(await writes('syllable')), ...(await writes('bolna'))]).toEqual([]);
  });
});

describe('retryBatchTargets', () => {
  it("retries a Syllable batch's unreached targets at Bolna: one create of exactly those targets with their variables; the same key again sends nothing", async () => {
    const { h } = demo;
    const id = expiredSyllableBatch();
    const expected = (await allResults(h, id, 'NOT_REACHED')).filter((row) => row.target);
    const agentId = h.simulators.bolna.agentIds[1]!;
    await h.reset();
    const idempotencyKey = randomUUID();
    const into = { vendor: 'BOLNA' as const, agentId, scheduledAt: inAnHour(), fromPhoneNumbers: ['+15555550100'] };
    const { outcome, warnings } = await retry({ id, statuses: ['NOT_REACHED'], idempotencyKey, into });
    expect(outcome.__typename).toBe('BatchMutationSuccess');
    if (outcome.__typename !== 'BatchMutationSuccess') return;
    expect(warnings).toEqual([]);
    expect(outcome.batch).toMatchObject({ vendor: 'BOLNA', status: 'SCHEDULED', totalCount: expected.length, agentId, fromPhoneNumbers: ['+15555550100'] });
    expect(outcome.batch.fileName).toMatch(new RegExp(`^retry-of-${id.slice('syllable:'.length).replace('.', '\\.')}\\.og-[0-9a-f]{20}\\.csv$`));
    expect(await writes('bolna')).toEqual(['POST /batches', `POST /batches/${outcome.batch.vendorBatchId}/schedule`]);
    // The source gets nothing written.
    expect(await writes('syllable')).toEqual([]);

    const executions = (await vendorGet(h.simulators, 'bolna', `/batches/${outcome.batch.vendorBatchId}/executions`)) as Array<{ telephony_data: { to_number: string }; context_details: Record<string, string> }>;
    expect(executions.map((row) => row.telephony_data.to_number)).toEqual(expected.map((row) => row.target));
    expect(executions.map((row) => row.context_details)).toEqual(expected.map((row) => ({ reference_id: row.referenceId, ...(row.variables as Record<string, string>) })));

    await h.reset();
    const again = await retry({ id, statuses: ['NOT_REACHED'], idempotencyKey, into });
    expect(again.outcome).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { id: outcome.batch.id } });
    expect([...(await writes('bolna')), ...(await writes('syllable'))]).toEqual([]);
  });

  it("retries at the same vendor by default: the source's campaign, its reference ids and variables", async () => {
    const { h } = demo;
    const id = expiredSyllableBatch();
    const expected = (await allResults(h, id)).filter((row) => (row.status === 'NOT_REACHED' || row.status === 'FAILED') && row.target);
    const source = demo.batches.rawSyllable.find((raw) => `syllable:${raw.batch_id}` === id)!;
    await h.reset();
    const { outcome } = await retry({ id, statuses: ['FAILED', 'NOT_REACHED'] });
    expect(outcome.__typename).toBe('BatchMutationSuccess');
    if (outcome.__typename !== 'BatchMutationSuccess') return;
    expect(outcome.batch).toMatchObject({ vendor: 'SYLLABLE', campaignId: String(source.campaign_id), totalCount: expected.length, fileName: `retry-of-${String(source.batch_id)}.csv` });
    const created = (await vendorGet(h.simulators, 'syllable', `/api/v1/outbound/batches/${encodeURIComponent(outcome.batch.vendorBatchId)}/results`)) as Array<{ reference_id: string; target: string; request_variables: unknown }>;
    expect(created.map((row) => row.reference_id)).toEqual(expected.map((row) => row.referenceId));
    expect(created.map((row) => row.target)).toEqual(expected.map((row) => row.target));
    expect(created.map((row) => row.request_variables)).toEqual(expected.map((row) => row.variables));
    expect((await writes('syllable')).filter((call) => !call.includes(outcome.batch.vendorBatchId) && call !== 'POST /api/v1/outbound/batches')).toEqual([]);
  });

  it('retries Bolna executions at Syllable, each keyed by its execution id, its context as variables', async () => {
    const { h } = demo;
    let id: string | null = null;
    let expected: ResultRow[] = [];
    for (const candidate of demo.batches.bolna) {
      expected = (await allResults(h, candidate, 'NOT_REACHED')).filter((row) => row.target);
      if (expected.length > 0) {
        id = candidate;
        break;
      }
    }
    expect(id).not.toBeNull();
    await h.reset();
    const { outcome } = await retry({ id: id!, statuses: ['NOT_REACHED'], into: { vendor: 'SYLLABLE', campaignId: '101', paused: true } });
    expect(outcome.__typename).toBe('BatchMutationSuccess');
    if (outcome.__typename !== 'BatchMutationSuccess') return;
    expect(outcome.batch).toMatchObject({ vendor: 'SYLLABLE', paused: true, totalCount: expected.length });
    const created = (await vendorGet(h.simulators, 'syllable', `/api/v1/outbound/batches/${encodeURIComponent(outcome.batch.vendorBatchId)}/results`)) as Array<{ reference_id: string; request_variables: unknown }>;
    expect(created.map((row) => row.reference_id)).toEqual(expected.map((row) => row.referenceId));
    expect(created.map((row) => row.request_variables)).toEqual(expected.map((row) => row.variables));
    expect(await writes('bolna')).toEqual([]);
  });

  it("retries a Bolna batch at Bolna by default: the source's agent and caller numbers", async () => {
    const { h } = demo;
    const sources = await allBolnaBatches(h.simulators);
    let picked: { id: string; agentId: string; fromPhoneNumbers: unknown; expected: ResultRow[] } | null = null;
    for (const source of sources) {
      const id = `bolna:${source.batch_id}`;
      const expected = (await allResults(h, id, 'NOT_REACHED')).filter((row) => row.target);
      if (expected.length > 0) {
        picked = { id, agentId: source.agentId, fromPhoneNumbers: source.from_phone_numbers, expected };
        break;
      }
    }
    expect(picked).not.toBeNull();
    await h.reset();
    const { outcome } = await retry({ id: picked!.id, statuses: ['NOT_REACHED'] });
    expect(outcome.__typename).toBe('BatchMutationSuccess');
    if (outcome.__typename !== 'BatchMutationSuccess') return;
    expect(outcome.batch).toMatchObject({ vendor: 'BOLNA', agentId: picked!.agentId, totalCount: picked!.expected.length, fromPhoneNumbers: picked!.fromPhoneNumbers });
    expect(await writes('bolna')).toEqual(['POST /batches']);
    expect(await writes('syllable')).toEqual([]);
  });

  it('warns that the targets of a source still running may change', async () => {
    const { h } = demo;
    let done = false;
    for (const id of demo.batches.active) {
      const count = dataOf(await h.gql(RetryableDocument, { id, statuses: ['NOT_REACHED', 'FAILED'] })).batch!.retryableTargets;
      if (count === 0 || count > 500) continue;
      const { outcome, warnings } = await retry({ id, statuses: ['NOT_REACHED', 'FAILED'] });
      expect(outcome).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { totalCount: count } });
      expect(warnings).toContain('SOURCE_STILL_RUNNING');
      done = true;
      break;
    }
    expect(done).toBe(true);
  });

  it('refuses bad input with a typed error and writes nothing at either vendor', async () => {
    const { h } = demo;
    const id = expiredSyllableBatch();
    const pending = `syllable:${demo.batches.rawSyllable.find((raw) => raw.status === 'PENDING')!.batch_id}`;
    await h.reset();
    expect((await retry({ id, statuses: [] })).outcome).toMatchObject({ __typename: 'InvalidInputError', field: 'statuses' });
    expect((await retry({ id: 'syllable:19990101.1', statuses: ['NOT_REACHED'] })).outcome).toMatchObject({ __typename: 'BatchNotFoundError', code: 'NOT_FOUND' });
    expect((await retry({ id: 'syllable', statuses: ['NOT_REACHED'] })).outcome).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT' });
    expect((await retry({ id: pending, statuses: ['COMPLETED'] })).outcome).toMatchObject({ __typename: 'InvalidInputError', field: 'statuses' });
    const unknownAgent = await retry({ id, statuses: ['NOT_REACHED'], into: { vendor: 'BOLNA', agentId: randomUUID() } });
    expect(unknownAgent.outcome).toMatchObject({ __typename: 'InvalidInputError', field: 'agentId' });
    const unknownCampaign = await retry({ id, statuses: ['NOT_REACHED'], into: { vendor: 'SYLLABLE', campaignId: '999' } });
    expect(unknownCampaign.outcome).toMatchObject({ __typename: 'InvalidInputError', field: 'campaignId' });
    const otherVendorsSetting = await retry({ id, statuses: ['NOT_REACHED'], into: { vendor: 'BOLNA', agentId: h.simulators.bolna.agentIds[0]!, campaignId: '101' } });
    expect(otherVendorsSetting.outcome.__typename).toBe('InvalidInputError');
    expect([...(await writes('syllable')), ...(await writes('bolna'))]).toEqual([]);
  });

  it('refuses a key used before with other arguments', async () => {
    const id = expiredSyllableBatch();
    const idempotencyKey = randomUUID();
    expect((await retry({ id, statuses: ['NOT_REACHED'], idempotencyKey, into: { vendor: 'SYLLABLE', paused: true } })).outcome.__typename).toBe('BatchMutationSuccess');
    await demo.h.reset();
    expect((await retry({ id, statuses: ['FAILED'], idempotencyKey, into: { vendor: 'SYLLABLE', paused: true } })).outcome).toMatchObject({ __typename: 'InvalidInputError', field: 'idempotencyKey' });
    expect(await writes('syllable')).toEqual([]);
  });
});
