import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BatchFieldsDocument, BatchListDocument, BatchParentsDocument, ResultFieldsDocument, type BatchListQuery, type BatchListQueryVariables } from './generated/graphql.js';
import { dataOf, startHarness, type Harness } from './helpers/harness.js';
import { allBolnaBatches, allSyllableBatches, vendorGet, type RawBatch } from './helpers/vendor-raw.js';

/**
 * Every field the vendors send, compared with the simulators' own (contract-valid) data; the
 * campaign and agent of a batch at one vendor read per distinct parent; and the list filters,
 * each checked against filtering the full list here.
 */

let h: Harness;
let syllable: RawBatch[];
let bolna: Array<RawBatch & { agentId: string }>;

beforeAll(async () => {
  h = await startHarness();
  [syllable, bolna] = await Promise.all([allSyllableBatches(h.simulators), allBolnaBatches(h.simulators)]);
});
afterAll(() => h.close());
beforeEach(() => h.reset());

type Raw = Record<string, unknown>;

describe('batch fields', () => {
  it('Syllable: pace, dispatch, deletion and the campaign, as the vendor sends them', async () => {
    for (const raw of syllable) {
      const { batch } = dataOf(await h.gql(BatchFieldsDocument, { id: `syllable:${raw.batch_id}` }));
      const campaign = (await vendorGet(h.simulators, 'syllable', `/api/v1/outbound/campaigns/${String(raw.campaign_id)}`)) as Raw;
      expect(batch, raw.batch_id).toMatchObject({
        callRate: raw.call_rate,
        autoCallRate: raw.auto_call_rate,
        autoCallRateBaseline: raw.auto_call_rate_baseline,
        dispatchId: raw.dispatch_id,
        deletedAt: null,
        deletedReason: raw.deleted_reason,
        fromPhoneNumbers: [],
        validContacts: null,
        agent: null,
        campaign: {
          id: String(campaign.id),
          vendor: 'SYLLABLE',
          name: campaign.campaign_name,
          description: campaign.description,
          mode: campaign.mode,
          callerId: campaign.caller_id,
          hourlyRate: campaign.hourly_rate,
          maxDailyCalls: campaign.max_daily_calls,
          dailyStartTime: campaign.daily_start_time,
          dailyEndTime: campaign.daily_end_time,
          activeDays: campaign.active_days,
          retryCount: campaign.retry_count,
          retryInterval: campaign.retry_interval,
          agentId: campaign.agent_id === null ? null : String(campaign.agent_id as number),
          createdAt: new Date(String(campaign.created_at)).toISOString(),
        },
      });
    }
    expect(syllable.some((raw) => raw.auto_call_rate === true && typeof raw.auto_call_rate_baseline === 'number')).toBe(true);
  });

  it('Bolna: caller numbers (the deprecated single one too), valid contacts and the agent by name', async () => {
    const agents = new Map<string, Raw>();
    for (const agentId of h.simulators.bolna.agentIds) agents.set(agentId, (await vendorGet(h.simulators, 'bolna', `/v2/agent/${agentId}`)) as Raw);
    for (const raw of bolna) {
      const { batch } = dataOf(await h.gql(BatchFieldsDocument, { id: `bolna:${raw.batch_id}` }));
      const numbers = (raw.from_phone_numbers as string[] | undefined) ?? [raw.from_phone_number as string];
      const agent = agents.get(raw.agentId)!;
      expect(batch, raw.batch_id).toMatchObject({
        fromPhoneNumbers: numbers,
        validContacts: raw.valid_contacts,
        totalCount: raw.total_contacts,
        callRate: null,
        autoCallRate: null,
        campaign: null,
        agent: { id: raw.agentId, vendor: 'BOLNA', name: agent.agent_name, agentType: agent.agent_type, status: agent.agent_status },
      });
    }
    // The demo data holds both shapes: an older batch with only `from_phone_number`, and one with two numbers.
    expect(bolna.some((raw) => raw.from_phone_numbers === undefined)).toBe(true);
    expect(bolna.some((raw) => (raw.from_phone_numbers as string[] | undefined)?.length === 2)).toBe(true);
  });

  it('an agent Bolna cannot describe is still named by its id', async () => {
    const raw = bolna[0]!;
    await h.override('bolna', { method: 'GET', path: `/v2/agent/${raw.agentId}`, status: 404, body: { error: 404, message: 'Agent not found' } });
    const { batch } = dataOf(await h.gql(BatchFieldsDocument, { id: `bolna:${raw.batch_id}` }));
    expect(batch?.agent).toEqual({ id: raw.agentId, vendor: 'BOLNA', name: null, agentType: null, status: null, createdAt: null, updatedAt: null });
  });
});

describe('campaigns and agents', () => {
  it('one vendor read per distinct campaign or agent across a page of batches, and none while cached', async () => {
    const { batches } = dataOf(await h.gql(BatchParentsDocument, { first: 100 }));
    const campaigns = new Set(batches.edges.flatMap((e) => (e.node.campaign ? [e.node.campaign.id] : [])));
    const agents = new Set(batches.edges.flatMap((e) => (e.node.agent ? [e.node.agent.id] : [])));
    expect(campaigns.size).toBe(new Set(syllable.map((b) => b.campaign_id)).size);
    expect(agents.size).toBe(h.simulators.bolna.agentIds.length);
    expect(batches.edges.every((e) => (e.node.campaign === null) !== (e.node.agent === null))).toBe(true);
    const calls = await h.calls();
    expect(calls.syllable['GET /api/v1/outbound/campaigns/{campaign_id}']).toBe(campaigns.size);
    expect(calls.bolna['GET /v2/agent/{agent_id}']).toBe(agents.size);
    // The lists named every batch's agent: no batch was read alone.
    expect(calls.bolna['GET /batches/{batch_id}']).toBeUndefined();

    // A second dashboard load within the TTL: no vendor read at all.
    const before = await h.totalCalls();
    dataOf(await h.gql(BatchParentsDocument, { first: 100 }));
    expect(await h.totalCalls()).toBe(before);
  });
});

describe('result fields', () => {
  it('Bolna: error, hangup, ring, provider, cost breakdown, retries and extracted data', async () => {
    const raw = bolna.find((b) => b.status === 'queued' && Number(b.valid_contacts) === 15)!; // every execution status once
    const executions = (await vendorGet(h.simulators, 'bolna', `/batches/${raw.batch_id}/executions`)) as Raw[];
    const results = dataOf(await h.gql(ResultFieldsDocument, { id: `bolna:${raw.batch_id}`, first: 50 })).batch!.results!;
    expect(results.edges).toHaveLength(executions.length);
    for (const { node } of results.edges) {
      const source = executions.find((e) => e.id === node.referenceId)!;
      const telephony = source.telephony_data as Raw;
      const run = source.batch_run_details as Raw;
      expect(node, String(source.status)).toEqual({
        referenceId: source.id,
        vendor: 'BOLNA',
        status: node.status,
        attemptCount: (run.retried as number) + 1,
        retries: run.retried,
        errorMessage: source.error_message ?? null,
        hangupBy: telephony.hangup_by ?? null,
        hangupReason: telephony.hangup_reason ?? null,
        ringDurationSeconds: telephony.ring_duration ?? null,
        provider: telephony.provider,
        providerCallId: telephony.provider_call_id,
        insights: source.extracted_data ?? null,
        extractedData: source.extracted_data ?? null,
        enrichment: null,
        cost: source.total_cost,
        durationSeconds: source.conversation_duration,
        costBreakdown: source.cost_breakdown,
      });
    }
    expect(results.edges.some((e) => e.node.errorMessage !== null)).toBe(true);
  });

  it('Syllable: provider call id, enrichment and insights; no Bolna-only data', async () => {
    const raw = syllable.find((b) => b.status === 'ACTIVE' && String(b.upload_filename).includes('REMINDERS'))!;
    const rows = (await vendorGet(h.simulators, 'syllable', `/api/v1/outbound/batches/${raw.batch_id}/results`)) as Raw[];
    const results = dataOf(await h.gql(ResultFieldsDocument, { id: `syllable:${raw.batch_id}`, first: 100 })).batch!.results!;
    for (const { node } of results.edges) {
      const source = rows.find((r) => r.reference_id === node.referenceId)!;
      expect(node).toMatchObject({
        attemptCount: source.attempt_count,
        retries: Math.max(0, (source.attempt_count as number) - 1),
        providerCallId: source.channel_manager_sid,
        insights: source.insights,
        extractedData: null,
        enrichment: source.enrichment,
        costBreakdown: null,
        hangupBy: null,
        provider: null,
      });
    }
  });
});

describe('list filters', () => {
  type Node = BatchListQuery['batches']['edges'][number]['node'];
  let all: Node[];

  const list = async (variables: BatchListQueryVariables) => dataOf(await h.gql(BatchListDocument, { first: 100, ...variables })).batches;
  const ids = (nodes: Node[]) => nodes.map((n) => n.id);

  beforeAll(async () => {
    all = (await list({})).edges.map((e) => e.node);
  });

  it('campaignId is sent to Syllable as a search on campaign_id, and equals filtering the full list', async () => {
    const filtered = await list({ campaignId: '101' });
    expect(ids(filtered.edges.map((e) => e.node))).toEqual(ids(all.filter((n) => n.campaignId === '101')));
    expect(filtered.totalCount).toBe(filtered.edges.length);
    const query = (await h.requests('syllable')).find((r) => r.path === '/api/v1/outbound/batches')?.query;
    expect(new URLSearchParams(query).getAll('search_fields')).toEqual(['campaign_id']);
    expect(new URLSearchParams(query).getAll('search_field_values')).toEqual(['101']);
    // A campaign names Syllable batches only: Bolna is not read.
    expect(await h.stats('bolna')).toMatchObject({ total: 0 });
  });

  it("agentId reads only that agent's list, and equals filtering the full list", async () => {
    const agentId = h.simulators.bolna.agentIds[1]!;
    const filtered = await list({ agentId });
    expect(ids(filtered.edges.map((e) => e.node))).toEqual(ids(all.filter((n) => n.agentId === agentId)));
    expect((await h.calls()).bolna).toEqual({ 'GET /batches/{agent_id}/all': 1 });
    expect(await h.stats('syllable')).toMatchObject({ total: 0 });
  });

  it('created range, search and status equal filtering the full list, alone and together', async () => {
    const times = all.map((n) => Date.parse(n.createdAt!)).sort((a, b) => a - b);
    const after = new Date(times[5]!).toISOString();
    const before = new Date(times[20]!).toISOString();
    const cases: Array<[BatchListQueryVariables, (n: Node) => boolean]> = [
      [{ createdAfter: after }, (n) => Date.parse(n.createdAt!) >= Date.parse(after)],
      [{ createdBefore: before }, (n) => Date.parse(n.createdAt!) < Date.parse(before)],
      [{ createdAfter: after, createdBefore: before }, (n) => Date.parse(n.createdAt!) >= Date.parse(after) && Date.parse(n.createdAt!) < Date.parse(before)],
      [{ search: 'csv' }, (n) => (n.fileName ?? '').toLowerCase().includes('csv')],
      [{ search: 'Late_Payments' }, (n) => (n.fileName ?? '').toLowerCase().includes('late_payments')],
      [{ search: 'Late_Payments', status: 'ACTIVE', createdAfter: after }, (n) => (n.fileName ?? '').toLowerCase().includes('late_payments') && n.status === 'ACTIVE' && Date.parse(n.createdAt!) >= Date.parse(after)],
      [{ search: '' }, () => true],
    ];
    for (const [variables, keep] of cases) {
      const filtered = await list(variables);
      const expected = all.filter(keep);
      expect(ids(filtered.edges.map((e) => e.node)), JSON.stringify(variables)).toEqual(ids(expected));
      expect(filtered.totalCount).toBe(expected.length);
    }
    expect(all.filter((n) => (n.fileName ?? '').toLowerCase().includes('late_payments')).length).toBeGreaterThan(0);
  });

  it('a filter over a list already cached reads no vendor', async () => {
    await list({});
    const before = await h.totalCalls();
    const filtered = await list({ campaignId: '102', agentId: undefined });
    expect(filtered.edges.length).toBeGreaterThan(0);
    expect(await h.totalCalls()).toBe(before);
  });

  it('refuses a malformed campaign or agent id and an empty range before any vendor call', async () => {
    for (const [variables, field] of [
      [{ campaignId: 'abc' }, 'campaignId'],
      [{ agentId: 'not-a-uuid' }, 'agentId'],
      [{ createdAfter: '2026-01-02T00:00:00Z', createdBefore: '2026-01-01T00:00:00Z' }, 'createdAfter'],
    ] as const) {
      const response = await h.gql(BatchListDocument, { first: 10, ...variables });
      expect(response.errors?.[0]?.extensions, field).toMatchObject({ code: 'INVALID_INPUT', field });
    }
    expect(await h.totalCalls()).toBe(0);
  });
});
