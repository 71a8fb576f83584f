import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fictionalNumber } from '../src/simulators/prng.js';
import { AddBatchTargetsDocument, CreateBatchDocument, LaunchPlacesDocument, RemoveBatchTargetsDocument, ValidateTargetsDocument, type CreateBatchInput, type TargetInput } from './generated/graphql.js';
import { dataOf, startHarness, type Harness, type VendorName } from './helpers/harness.js';
import { vendorGet } from './helpers/vendor-raw.js';

/**
 * Launching batches over HTTP against both simulators, counting vendor calls by route: the list
 * checked with no vendor call, a create at each vendor in the vendor's own shape, exactly once per
 * idempotency key (twice in a row, at once, after a lost answer, after a failed load), and input
 * refused with no vendor write.
 */

let h: Harness;
let agentId: string;
beforeAll(async () => {
  h = await startHarness();
  agentId = h.simulators.bolna.agentIds[0]!;
});
afterAll(() => h.close());
beforeEach(() => h.reset());

/** `count` targets with 555 numbers written as people write them, and two variables. */
function people(count: number, offset = 0): TargetInput[] {
  return Array.from({ length: count }, (_, i) => {
    const e164 = fictionalNumber(offset + i);
    return {
      phoneNumber: i % 2 === 0 ? e164 : `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`,
      variables: [
        { name: 'first_name', value: `Person ${offset + i}` },
        { name: 'amount_due', value: `${10 + i}.00` },
      ],
    };
  });
}

const syllableInput = (targets: TargetInput[], extra: Partial<CreateBatchInput> = {}): CreateBatchInput => ({
  vendor: 'SYLLABLE',
  idempotencyKey: randomUUID(),
  campaignId: '101',
  fileName: 'march-reminders.csv',
  targets,
  ...extra,
});

const bolnaInput = (targets: TargetInput[], extra: Partial<CreateBatchInput> = {}): CreateBatchInput => ({
  vendor: 'BOLNA',
  idempotencyKey: randomUUID(),
  agentId,
  targets,
  ...extra,
});

async function create(input: CreateBatchInput) {
  return dataOf(await h.gql(CreateBatchDocument, { input })).createBatch;
}

async function writes(vendor: VendorName): Promise<string[]> {
  return (await h.requests(vendor)).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

async function syllableResults(batchId: string): Promise<Array<Record<string, unknown>>> {
  return (await vendorGet(h.simulators, 'syllable', `/api/v1/outbound/batches/${encodeURIComponent(batchId)}/results`)) as Array<Record<string, unknown>>;
}

describe('validateTargets', () => {
  it('normalises numbers to E.164, finds every kind of bad row, counts exactly and calls no vendor', async () => {
    const targets: TargetInput[] = [
      { phoneNumber: '+1 212 555 0101', referenceId: 'a', variables: [{ name: 'first_name', value: 'Ada' }] },
      { phoneNumber: '(212) 555-0101', referenceId: 'b', variables: [{ name: 'first_name', value: 'Grace' }] },
      { phoneNumber: '555-0102', referenceId: 'c', variables: [{ name: 'first_name', value: 'Alan' }] },
      { phoneNumber: '', referenceId: 'd', variables: [{ name: 'first_name', value: 'Edsger' }] },
      { phoneNumber: '+44 20 7946 0958', referenceId: 'a', variables: [{ name: 'first_name', value: 'Barbara' }] },
      { phoneNumber: '+1 312 555 0103', variables: [{ name: 'first_name', value: 'Donald' }] },
      { phoneNumber: '+1 415 555 0104', referenceId: 'g' },
      { phoneNumber: '+1 512 555 0105', referenceId: 'h', variables: [{ name: 'first_name', value: 'two\nlines' }] },
      { phoneNumber: '+1 617 555 0106', referenceId: 'i', variables: [{ name: 'first_name', value: 'Ken' }, { name: 'first_name', value: 'Kenneth' }] },
    ];
    const check = dataOf(await h.gql(ValidateTargetsDocument, { vendor: 'SYLLABLE', targets })).validateTargets;
    expect(check).toMatchObject({ total: 9, valid: 1, invalid: 7, duplicates: 1, variableNames: ['first_name'] });
    expect(check.issues.map((issue) => `${issue.row} ${issue.field} ${issue.code}`)).toEqual([
      '2 phoneNumber PHONE_NUMBER_DUPLICATE',
      '3 phoneNumber PHONE_NUMBER_INVALID',
      '4 phoneNumber PHONE_NUMBER_MISSING',
      '5 referenceId REFERENCE_ID_DUPLICATE',
      '6 referenceId REFERENCE_ID_MISSING',
      '7 variables.first_name VARIABLE_MISSING',
      '8 variables.first_name VALUE_INVALID',
      '9 variables.first_name VARIABLE_DUPLICATE',
    ]);
    expect(check.issues.find((issue) => issue.code === 'PHONE_NUMBER_DUPLICATE')?.message).toBe('Row 2: +12125550101 is also on row 1: it is called once.');
    expect(check.issues.find((issue) => issue.code === 'PHONE_NUMBER_INVALID')).toMatchObject({ value: '555-0102' });
    expect(await h.totalCalls()).toBe(0);
  });

  it("refuses variable names that are not plain names or are the vendor's own columns", async () => {
    const targets = [
      { phoneNumber: '+1 212 555 0101', variables: [{ name: 'target', value: 'x' }, { name: 'first name', value: 'Ada' }] },
      { phoneNumber: '+1 212 555 0102', variables: [{ name: 'target', value: 'y' }, { name: 'first name', value: 'Alan' }] },
    ];
    const syllable = dataOf(await h.gql(ValidateTargetsDocument, { vendor: 'SYLLABLE', targets })).validateTargets;
    expect(syllable).toMatchObject({ valid: 0, invalid: 2 });
    expect(syllable.issues.map((issue) => `${issue.row} ${issue.field} ${issue.code}`)).toEqual([
      '1 variables.target VARIABLE_NAME_INVALID',
      '1 variables.first name VARIABLE_NAME_INVALID',
      '2 variables.target VARIABLE_NAME_INVALID',
      '2 variables.first name VARIABLE_NAME_INVALID',
    ]);
    // `target` is Syllable's column, not Bolna's: only the space is wrong there.
    const bolna = dataOf(await h.gql(ValidateTargetsDocument, { vendor: 'BOLNA', targets })).validateTargets;
    expect(bolna.issues.map((issue) => issue.field)).toEqual(['variables.first name', 'variables.first name']);
  });

  it('keeps the first 1,000 issues while every count stays exact', async () => {
    const targets = Array.from({ length: 1_500 }, (_, i) => ({ phoneNumber: `12${i}` }));
    const check = dataOf(await h.gql(ValidateTargetsDocument, { vendor: 'BOLNA', targets })).validateTargets;
    expect(check).toMatchObject({ total: 1_500, valid: 0, invalid: 1_500, duplicates: 0 });
    expect(check.issues).toHaveLength(1_000);
    expect(check.issues.at(-1)?.row).toBe(1_000);
  });

  it('reads numbers without a country code in `defaultCountry`, and refuses a country it does not know', async () => {
    const gb = dataOf(await h.gql(ValidateTargetsDocument, { vendor: 'BOLNA', targets: [{ phoneNumber: '020 7946 0958' }], defaultCountry: 'GB' })).validateTargets;
    expect(gb).toMatchObject({ valid: 1, invalid: 0 });
    const unknown = await h.gql(ValidateTargetsDocument, { vendor: 'BOLNA', targets: [{ phoneNumber: '020 7946 0958' }], defaultCountry: 'XX' });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'defaultCountry' });
  });

  it('refuses an empty list, 5,001 JSON rows, and both targets and an upload, naming the field', async () => {
    const empty = await h.gql(ValidateTargetsDocument, { vendor: 'SYLLABLE', targets: [] });
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'targets' });
    const tooMany = await h.gql(ValidateTargetsDocument, { vendor: 'SYLLABLE', targets: people(5_001) });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'targets' });
    expect(tooMany.errors?.[0]?.message).toContain('POST /uploads');
    const both = await h.gql(ValidateTargetsDocument, { vendor: 'SYLLABLE', targets: people(1), uploadId: 'upl_x' });
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'targets' });
    expect(await h.totalCalls()).toBe(0);
  });
});

describe('campaigns and agents', () => {
  it('lists where batches can be created, each read once per TTL', async () => {
    const first = dataOf(await h.gql(LaunchPlacesDocument));
    expect(first.campaigns.map((c) => [c.id, c.name])).toEqual([
      ['101', 'Late payments'],
      ['102', 'Appointment reminders'],
      ['103', 'Policy renewals'],
    ]);
    expect(first.campaigns[0]).toMatchObject({ hourlyRate: 300, dailyStartTime: '09:00:00', activeDays: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    expect(first.agents.map((a) => a.id)).toEqual(h.simulators.bolna.agentIds);
    expect(first.agents[0]?.name).toBe('Appointment reminder');
    dataOf(await h.gql(LaunchPlacesDocument));
    const calls = await h.calls();
    expect(calls.syllable).toEqual({ 'GET /api/v1/outbound/campaigns': 1 });
    expect(calls.bolna).toEqual({ 'GET /v2/agent/{agent_id}': 2 });
  });
});

describe('createBatch at Syllable', () => {
  it('creates the batch paused, sends every target in one CSV in E.164, then starts it', async () => {
    const outcome = await create(syllableInput(people(6), { callRate: 120 }));
    expect(outcome.__typename).toBe('BatchMutationSuccess');
    if (outcome.__typename !== 'BatchMutationSuccess') return;
    expect(outcome.batch).toMatchObject({ vendor: 'SYLLABLE', paused: false, fileName: 'march-reminders.csv', totalCount: 6, callRate: 120, campaignId: '101', canAddTargets: true });
    expect(outcome.batch.vendorBatchId).toMatch(/^og-[0-9a-f]{20}$/);
    expect(await writes('syllable')).toEqual([
      'POST /api/v1/outbound/batches',
      `POST /api/v1/outbound/batches/${outcome.batch.vendorBatchId}/upload_batch`,
      `PUT /api/v1/outbound/batches/${outcome.batch.vendorBatchId}`,
    ]);
    const [createBody] = (await h.requests('syllable')).filter((r) => r.method === 'POST').map((r) => r.body);
    expect(createBody).toMatchObject({ batch_id: outcome.batch.vendorBatchId, campaign_id: 101, paused: true, call_rate: 120 });
    const rows = await syllableResults(outcome.batch.vendorBatchId);
    expect(rows.map((row) => [row.reference_id, row.target, row.request_status])).toEqual(people(6).map((_, i) => [`row-${i + 1}`, fictionalNumber(i), 'PENDING']));
    expect(rows[1]?.request_variables).toEqual({ first_name: 'Person 1', amount_due: '11.00' });
    // Ready for the rest of the API: the list shows it.
    const listed = dataOf(await h.gql<{ batches: { edges: Array<{ node: { id: string } }> } }, never>(`{ batches(first: 1, vendor: SYLLABLE) { edges { node { id } } } }`));
    expect(listed.batches.edges[0]?.node.id).toBe(outcome.batch.id);
  });

  it('keeps the batch on hold with `paused: true`: no unpause is sent', async () => {
    const outcome = await create(syllableInput(people(2), { paused: true }));
    expect(outcome).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { paused: true, status: 'PAUSED' } });
    expect((await writes('syllable')).filter((w) => w.startsWith('PUT'))).toEqual([]);
  });

  it('answers the same key and input with the same batch, without a second create; other input is refused', async () => {
    const input = syllableInput(people(3));
    const first = await create(input);
    const again = await create(input);
    expect(again).toEqual(first);
    expect((await writes('syllable')).filter((w) => w === 'POST /api/v1/outbound/batches')).toHaveLength(1);
    await h.reset();
    const other = await create({ ...input, targets: people(4) });
    expect(other).toMatchObject({ __typename: 'InvalidInputError', field: 'idempotencyKey' });
    expect(await writes('syllable')).toEqual([]);
  });

  it('creates once when two calls with one key arrive at once', async () => {
    const input = syllableInput(people(3));
    const [a, b] = await Promise.all([create(input), create(input)]);
    expect(a.__typename).toBe('BatchMutationSuccess');
    expect(b).toEqual(a);
    expect((await writes('syllable')).filter((w) => w === 'POST /api/v1/outbound/batches')).toHaveLength(1);
  });

  it('refuses a list with invalid rows, sending nothing; `skipInvalidTargets` creates it with the valid ones', async () => {
    const [first] = people(1);
    const targets = [...people(3), { ...first!, phoneNumber: '12' }, { ...first!, phoneNumber: fictionalNumber(0) }];
    const refused = await create(syllableInput(targets));
    expect(refused).toMatchObject({ __typename: 'InvalidInputError', field: 'targets', validation: { total: 5, valid: 3, invalid: 1, duplicates: 1 } });
    expect(await h.totalCalls()).toBe(0);
    const skipped = await create(syllableInput(targets, { skipInvalidTargets: true }));
    expect(skipped).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { totalCount: 3 } });
  });

  it('after a lost create answer, asks the vendor before anything else: the same key makes no second batch', async () => {
    const input = syllableInput(people(4));
    await h.fault('syllable', { method: 'POST', path: '/api/v1/outbound/batches', kind: 'reset-after-handling', times: 1 });
    // The look-up right after fails too, so the first call cannot tell.
    await h.fault('syllable', { method: 'GET', path: '/api/v1/outbound/batches/og-', status: 500, times: 10 });
    const lost = await create(input);
    expect(lost).toMatchObject({ __typename: 'WriteOutcomeUnknownError', code: 'WRITE_OUTCOME_UNKNOWN', operation: 'createBatch' });
    expect(lost.__typename === 'WriteOutcomeUnknownError' && lost.message).toContain('same idempotencyKey');
    await h.reset();
    const again = await create(input);
    expect(again).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { totalCount: 4, paused: false } });
    // The second call found the batch the first made, loaded and started it: no second create.
    const second = await writes('syllable');
    expect(second.filter((w) => w === 'POST /api/v1/outbound/batches')).toEqual([]);
    expect(second.filter((w) => w.endsWith('/upload_batch'))).toHaveLength(1);
  });

  it('finds the batch at once when only the create answer is lost', async () => {
    await h.fault('syllable', { method: 'POST', path: '/api/v1/outbound/batches', kind: 'reset-after-handling', times: 1 });
    const outcome = await create(syllableInput(people(2)));
    expect(outcome).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { totalCount: 2 } });
    expect((await writes('syllable')).filter((w) => w === 'POST /api/v1/outbound/batches')).toHaveLength(1);
  });

  it('names the batch when its load fails after the create, and the same key finishes the job', async () => {
    const input = syllableInput(people(3));
    await h.fault('syllable', { method: 'POST', path: '/api/v1/outbound/batches/og-', status: 500, times: 1 });
    const failed = await create(input);
    expect(failed).toMatchObject({ __typename: 'BatchIncompleteError', code: 'BATCH_INCOMPLETE', step: 'load' });
    if (failed.__typename !== 'BatchIncompleteError') return;
    expect(failed.batchId).toMatch(/^syllable:og-/);
    expect(failed.message).toContain('same idempotencyKey');
    expect(failed.readBack).toMatchObject({ id: failed.batchId, status: 'PAUSED' });
    await h.reset();
    const finished = await create(input);
    expect(finished).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { id: failed.batchId, totalCount: 3, paused: false } });
    expect((await writes('syllable')).map((w) => w.replace(/og-\w+/, 'og-…'))).toEqual([
      'POST /api/v1/outbound/batches/og-…/upload_batch',
      'PUT /api/v1/outbound/batches/og-…',
    ]);
  });

  it('counts a load whose answer was lost as done when the batch, read back, holds the targets', async () => {
    await h.fault('syllable', { method: 'POST', path: '/api/v1/outbound/batches/og-', kind: 'reset-after-handling', times: 1 });
    const outcome = await create(syllableInput(people(2)));
    expect(outcome).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { totalCount: 2 } });
    expect((await writes('syllable')).filter((w) => w.endsWith('/upload_batch'))).toHaveLength(1);
  });

  it('refuses bad settings before any vendor call, each naming its field', async () => {
    const past = new Date(Date.now() - 60_000).toISOString();
    const cases: Array<[Partial<CreateBatchInput>, string]> = [
      [{ campaignId: 'abc' }, 'campaignId'],
      [{ campaignId: null }, 'campaignId'],
      [{ expiresOn: past }, 'expiresOn'],
      [{ callRate: 0 }, 'callRate'],
      [{ agentId }, 'agentId'],
      [{ idempotencyKey: '' }, 'idempotencyKey'],
      [{ fileName: 'a/b.csv' }, 'fileName'],
      [{ targets: [] }, 'targets'],
      [{ targets: people(5_001) }, 'targets'],
      [{ targets: null, uploadId: 'upl_missing' }, 'uploadId'],
    ];
    for (const [extra, field] of cases) {
      const outcome = await create(syllableInput(people(1), extra));
      expect(outcome, JSON.stringify(extra).slice(0, 80)).toMatchObject({ __typename: 'InvalidInputError', field });
    }
    expect(await h.totalCalls()).toBe(0);
  });

  it('refuses an unknown campaign in words, and leaves the key free', async () => {
    const input = syllableInput(people(1), { campaignId: '999' });
    const outcome = await create(input);
    expect(outcome).toMatchObject({ __typename: 'InvalidInputError', field: 'campaignId' });
    expect(outcome.__typename === 'InvalidInputError' && outcome.message).toContain('no campaign 999');
    expect(await writes('syllable')).toEqual(['POST /api/v1/outbound/batches']);
  });
});

describe('createBatch at Bolna', () => {
  it('creates in one multipart call (CSV, caller numbers, retries), then schedules it', async () => {
    const at = new Date(Date.now() + 30 * 60_000);
    const outcome = await create(
      bolnaInput(people(5), {
        fileName: 'renewals',
        fromPhoneNumbers: ['+15555550100', '+15555550101'],
        retry: { maxRetries: 2, intervalsMinutes: [30, 120] },
        scheduledAt: at.toISOString(),
      }),
    );
    expect(outcome.__typename).toBe('BatchMutationSuccess');
    if (outcome.__typename !== 'BatchMutationSuccess') return;
    expect(outcome.batch).toMatchObject({ vendor: 'BOLNA', status: 'SCHEDULED', totalCount: 5, validContacts: 5, fromPhoneNumbers: ['+15555550100', '+15555550101'], canAddTargets: false });
    expect(outcome.batch.fileName).toMatch(/^renewals\.og-[0-9a-f]{20}\.csv$/);
    expect(new Date(outcome.batch.scheduledAt!).getTime()).toBeGreaterThanOrEqual(at.getTime());
    const calls = await h.requests('bolna');
    expect(calls.filter((r) => r.method !== 'GET').map((r) => r.path)).toEqual(['/batches', `/batches/${outcome.batch.vendorBatchId}/schedule`]);
    const createCall = calls.find((r) => r.method === 'POST' && r.path === '/batches')!;
    expect(createCall.contentType).toBe('multipart/form-data');
    expect(createCall.body).toMatchObject({ agent_id: agentId, retry_config: JSON.stringify({ enabled: true, max_retries: 2, retry_intervals_minutes: [30, 120] }) });
    const executions = (await vendorGet(h.simulators, 'bolna', `/batches/${outcome.batch.vendorBatchId}/executions`)) as Array<{ telephony_data: { to_number: string }; context_details: unknown }>;
    expect(executions.map((row) => row.telephony_data.to_number)).toEqual(people(5).map((_, i) => fictionalNumber(i)));
    expect(executions[0]?.context_details).toEqual({ first_name: 'Person 0', amount_due: '10.00' });
  });

  it('leaves a batch without `scheduledAt` created, waiting for scheduleBatch', async () => {
    const outcome = await create(bolnaInput(people(2)));
    expect(outcome).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { status: 'PENDING', vendorStatus: 'created', totalCount: 2, canSchedule: true, progress: { pending: 2 } } });
    expect(await writes('bolna')).toEqual(['POST /batches']);
  });

  it('after a lost create answer, finds the batch in the agent\'s list by its file name: no second batch', async () => {
    const input = bolnaInput(people(3));
    await h.fault('bolna', { method: 'POST', path: '/batches', kind: 'reset-after-handling', times: 1 });
    await h.fault('bolna', { method: 'GET', path: `/batches/${agentId}/all`, status: 500, times: 10 });
    const lost = await create(input);
    expect(lost).toMatchObject({ __typename: 'WriteOutcomeUnknownError', operation: 'createBatch' });
    await h.reset();
    const again = await create(input);
    expect(again).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { totalCount: 3 } });
    expect(await writes('bolna')).toEqual([]);
    const twice = await create(input);
    expect(twice).toEqual(again);
    expect(await writes('bolna')).toEqual([]);
  });

  it('refuses Syllable settings, a start too soon, bad caller numbers and an unknown agent', async () => {
    const soon = new Date(Date.now() + 30_000).toISOString();
    const cases: Array<[Partial<CreateBatchInput>, string]> = [
      [{ campaignId: '101' }, 'campaignId'],
      [{ agentId: 'not-a-uuid' }, 'agentId'],
      [{ scheduledAt: soon }, 'scheduledAt'],
      [{ fromPhoneNumbers: ['555-0100'] }, 'fromPhoneNumbers'],
      [{ retry: { maxRetries: 2, intervalsMinutes: [30] } }, 'retry.intervalsMinutes'],
    ];
    for (const [extra, field] of cases) {
      expect(await create(bolnaInput(people(1), extra)), field).toMatchObject({ __typename: 'InvalidInputError', field });
    }
    expect(await h.totalCalls()).toBe(0);
    const unknown = await create(bolnaInput(people(1), { agentId: '00000000-0000-4000-8000-000000000000' }));
    expect(unknown).toMatchObject({ __typename: 'InvalidInputError', field: 'agentId' });
    expect(await writes('bolna')).toEqual(['POST /batches']);
  });
});

describe('addBatchTargets and removeBatchTargets', () => {
  async function newSyllableBatch(count: number) {
    const outcome = await create(syllableInput(people(count), { paused: true }));
    if (outcome.__typename !== 'BatchMutationSuccess') throw new Error(outcome.__typename);
    await h.reset();
    return outcome.batch;
  }

  it('adds each target with one call, checked against the batch: its numbers and reference ids', async () => {
    const batch = await newSyllableBatch(3);
    const targets = [...people(2, 100), { ...people(1, 0)[0]! }];
    const outcome = dataOf(await h.gql(AddBatchTargetsDocument, { id: batch.id, targets, skipInvalidTargets: true })).addBatchTargets;
    expect(outcome).toMatchObject({ __typename: 'BatchTargetsAdded', added: 2, batch: { id: batch.id, totalCount: 5 }, validation: { total: 3, valid: 2, duplicates: 1 }, notAdded: [] });
    const calls = await h.calls();
    expect(calls.syllable['POST /api/v1/outbound/batches/{batch_id}/requests']).toBe(2);
    const rows = await syllableResults(batch.vendorBatchId);
    expect(rows.slice(3).map((row) => row.target)).toEqual([fictionalNumber(100), fictionalNumber(101)]);
    expect(rows.slice(3).every((row) => String(row.reference_id).startsWith('add-'))).toBe(true);
    // A reference id the batch has is refused before any write.
    await h.reset();
    const taken = dataOf(await h.gql(AddBatchTargetsDocument, { id: batch.id, targets: [{ ...people(1, 200)[0]!, referenceId: 'row-1' }] })).addBatchTargets;
    expect(taken).toMatchObject({ __typename: 'InvalidInputError', field: 'targets', refused: { invalid: 1, issues: [{ code: 'REFERENCE_ID_TAKEN' }] } });
    expect(await writes('syllable')).toEqual([]);
  });

  it('reports targets the vendor refused, and counts only what the batch holds', async () => {
    const batch = await newSyllableBatch(1);
    await h.fault('syllable', { method: 'POST', path: `/api/v1/outbound/batches/${batch.vendorBatchId}/requests`, status: 422, times: 1 });
    const outcome = dataOf(await h.gql(AddBatchTargetsDocument, { id: batch.id, targets: people(3, 300) })).addBatchTargets;
    expect(outcome).toMatchObject({ __typename: 'BatchTargetsAdded', added: 2, batch: { totalCount: 3 } });
    if (outcome.__typename !== 'BatchTargetsAdded') return;
    expect(outcome.notAdded).toHaveLength(1);
    expect(outcome.notAdded[0]).toMatchObject({ code: 'REJECTED' });
  });

  it('removes waiting targets in one call, reports the ones already called, and refuses an unknown id', async () => {
    const batch = await newSyllableBatch(4);
    const unknown = dataOf(await h.gql(RemoveBatchTargetsDocument, { id: batch.id, referenceIds: ['row-1', 'nope'] })).removeBatchTargets;
    expect(unknown).toMatchObject({ __typename: 'InvalidInputError', field: 'referenceIds' });
    expect(await writes('syllable')).toEqual([]);
    const removed = dataOf(await h.gql(RemoveBatchTargetsDocument, { id: batch.id, referenceIds: ['row-1', 'row-2'] })).removeBatchTargets;
    expect(removed).toMatchObject({ __typename: 'BatchTargetsRemoved', removed: 2, notRemoved: [], batch: { totalCount: 2 } });
    expect(await writes('syllable')).toEqual([`POST /api/v1/outbound/batches/${batch.vendorBatchId}/remove-requests`]);
    const [removeCall] = (await h.requests('syllable')).filter((r) => r.method === 'POST');
    expect(removeCall?.body).toEqual(['row-1', 'row-2']);
    expect((await syllableResults(batch.vendorBatchId)).map((row) => row.reference_id)).toEqual(['row-3', 'row-4']);
  });

  it('says what to do instead for Bolna, with no vendor call', async () => {
    const created = await create(bolnaInput(people(2)));
    if (created.__typename !== 'BatchMutationSuccess') throw new Error(created.__typename);
    await h.reset();
    const add = dataOf(await h.gql(AddBatchTargetsDocument, { id: created.batch.id, targets: people(1, 400) })).addBatchTargets;
    expect(add).toMatchObject({ __typename: 'UnsupportedOperationError', operation: 'addBatchTargets', vendor: 'BOLNA' });
    expect(add.__typename === 'UnsupportedOperationError' && add.message).toContain('createBatch');
    const remove = dataOf(await h.gql(RemoveBatchTargetsDocument, { id: created.batch.id, referenceIds: ['x'] })).removeBatchTargets;
    expect(remove).toMatchObject({ __typename: 'UnsupportedOperationError', operation: 'removeBatchTargets' });
    expect(await h.totalCalls()).toBe(0);
  });
});
