import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BatchControlsDocument,
  BatchListDocument,
  DeleteBatchDocument,
  ScheduleBatchDocument,
  StopBatchDocument,
  UpdateBatchCallRateDocument,
  UpdateBatchExpiryDocument,
} from './generated/graphql.js';
import { dataOf, startHarness, type Harness, type VendorName } from './helpers/harness.js';
import { allBolnaBatches, allSyllableBatches, vendorGet, type RawBatch } from './helpers/vendor-raw.js';

/**
 * The controls beyond pause, resume and expiry, over HTTP against the simulators: each one's
 * success with the state read back from the vendor, the vendor that lacks it, input refused
 * with no vendor call, a state that forbids it, and the vendor's own refusal.
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

/** Distinct batches per test, so tests do not depend on each other's changes. */
const syllableIn = (status: string, index = 0) => `syllable:${syllable.filter((b) => b.status === status)[index]!.batch_id}`;
const bolnaIn = (status: string, index = 0) => `bolna:${bolna.filter((b) => b.status === status)[index]!.batch_id}`;
const vendorIdOf = (id: string) => id.split(':')[1]!;

async function writes(vendor: VendorName) {
  return (await h.requests(vendor)).filter((r) => r.method !== 'GET').map((r) => ({ method: r.method, path: r.path, body: r.body, contentType: r.contentType }));
}

async function syllableState(id: string) {
  return (await vendorGet(h.simulators, 'syllable', `/api/v1/outbound/batches/${vendorIdOf(id)}`)) as Record<string, unknown>;
}

async function bolnaState(id: string) {
  return (await vendorGet(h.simulators, 'bolna', `/batches/${vendorIdOf(id)}`)) as Record<string, unknown>;
}

describe('updateBatchCallRate (Syllable)', () => {
  it('sets a pace with only `call_rate` in the PUT, reads it back, then clears it with null', async () => {
    const id = syllableIn('ACTIVE', 2);
    const set = dataOf(await h.gql(UpdateBatchCallRateDocument, { id, callRate: 600 })).updateBatchCallRate;
    expect(set).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { id, callRate: 600, canUpdateCallRate: true } });
    expect((await syllableState(id)).call_rate).toBe(600);
    const cleared = dataOf(await h.gql(UpdateBatchCallRateDocument, { id, callRate: null })).updateBatchCallRate;
    expect(cleared).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { callRate: null } });
    expect((await writes('syllable')).map((w) => w.body)).toEqual([{ call_rate: 600 }, { call_rate: null }]);
    expect((await syllableState(id)).call_rate).toBeNull();
  });

  it('turns on the automatic rate for a batch with an expiry: Syllable computes its baseline', async () => {
    const id = syllableIn('PENDING', 2);
    expect((await syllableState(id)).expires_on).not.toBeNull();
    const outcome = dataOf(await h.gql(UpdateBatchCallRateDocument, { id, autoCallRate: true })).updateBatchCallRate;
    expect(outcome).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { autoCallRate: true } });
    expect(outcome.__typename === 'BatchMutationSuccess' && outcome.batch.autoCallRateBaseline).toBeGreaterThan(0);
    expect((await writes('syllable')).map((w) => w.body)).toEqual([{ auto_call_rate: true }]);
    expect(await syllableState(id)).toMatchObject({ auto_call_rate: true });
  });

  it('refuses the automatic rate for a batch without an expiry, naming `expiresOn`, with no write', async () => {
    const id = syllableIn('PENDING', 0);
    dataOf(await h.gql(UpdateBatchExpiryDocument, { id, expiresOn: null }));
    await h.reset();
    const outcome = dataOf(await h.gql(UpdateBatchCallRateDocument, { id, autoCallRate: true })).updateBatchCallRate;
    expect(outcome).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT', field: 'expiresOn' });
    expect(await writes('syllable')).toEqual([]);
    expect((await syllableState(id)).auto_call_rate).toBe(false);
  });

  it('refuses a rate outside 1..3600, or no argument at all, before any vendor call', async () => {
    const id = syllableIn('ACTIVE', 3);
    for (const [variables, field] of [
      [{ id, callRate: 0 }, 'callRate'],
      [{ id, callRate: 3601 }, 'callRate'],
      [{ id }, 'callRate'],
      [{ id, autoCallRate: null }, 'callRate'],
    ] as const) {
      const outcome = dataOf(await h.gql(UpdateBatchCallRateDocument, variables)).updateBatchCallRate;
      expect(outcome, JSON.stringify(variables)).toMatchObject({ __typename: 'InvalidInputError', field });
    }
    expect(await h.totalCalls()).toBe(0);
  });

  it('is unsupported for Bolna, with no vendor call', async () => {
    const outcome = dataOf(await h.gql(UpdateBatchCallRateDocument, { id: bolnaIn('queued'), callRate: 60 })).updateBatchCallRate;
    expect(outcome).toMatchObject({ __typename: 'UnsupportedOperationError', operation: 'updateBatchCallRate', vendor: 'BOLNA' });
    expect(outcome.__typename === 'UnsupportedOperationError' && outcome.message).toMatch(/concurrency/);
    expect(await h.totalCalls()).toBe(0);
  });

  it('succeeds without a write when the pace already is so, and is refused for an ended batch', async () => {
    const id = syllableIn('ACTIVE', 4);
    const current = (await syllableState(id)).call_rate as number | null;
    const same = dataOf(await h.gql(UpdateBatchCallRateDocument, { id, callRate: current })).updateBatchCallRate;
    expect(same).toMatchObject({ __typename: 'BatchMutationSuccess' });
    const ended = dataOf(await h.gql(UpdateBatchCallRateDocument, { id: syllableIn('EXPIRED'), callRate: 7 })).updateBatchCallRate;
    expect(ended).toMatchObject({ __typename: 'UnsupportedOperationError' });
    expect(ended.__typename === 'UnsupportedOperationError' && ended.message).toMatch(/cannot have its call rate changed.*EXPIRED/);
    expect(await writes('syllable')).toEqual([]);
  });

  it("passes the vendor's refusal on as an InvalidInputError with its message", async () => {
    const id = syllableIn('ACTIVE', 5);
    await h.override('syllable', {
      method: 'PUT',
      path: `/api/v1/outbound/batches/${vendorIdOf(id)}`,
      status: 422,
      body: { detail: [{ loc: ['body', 'call_rate'], msg: 'Rate exceeds the campaign cap', type: 'value_error' }] },
    });
    const outcome = dataOf(await h.gql(UpdateBatchCallRateDocument, { id, callRate: 3000 })).updateBatchCallRate;
    expect(outcome).toMatchObject({ __typename: 'InvalidInputError', message: 'Syllable rejected the request: call_rate: Rate exceeds the campaign cap' });
    expect((await syllableState(id)).call_rate).not.toBe(3000);
  });
});

describe('scheduleBatch (Bolna)', () => {
  const TEN_MINUTES = 600_000;

  it('sends a multipart form with a +00:00 offset, and answers with the start Bolna keeps (rounded up to 10 minutes)', async () => {
    const id = bolnaIn('created', 0);
    const at = new Date(Math.floor(Date.now() / TEN_MINUTES) * TEN_MINUTES + 3 * TEN_MINUTES + 123_000);
    const outcome = dataOf(await h.gql(ScheduleBatchDocument, { id, at: at.toISOString() })).scheduleBatch;
    const kept = new Date(Math.ceil(at.getTime() / TEN_MINUTES) * TEN_MINUTES);
    expect(outcome).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { id, status: 'SCHEDULED', vendorStatus: 'scheduled', scheduledAt: kept.toISOString(), canSchedule: true, canStop: false } });
    const [write] = await writes('bolna');
    expect(write).toEqual({
      method: 'POST',
      path: `/batches/${vendorIdOf(id)}/schedule`,
      contentType: 'multipart/form-data',
      body: { scheduled_at: `${at.toISOString().slice(0, 19)}+00:00`, bypass_call_guardrails: 'false' },
    });
    expect(await bolnaState(id)).toMatchObject({ status: 'scheduled', scheduled_at: kept.toISOString().replace('.000Z', 'Z') });
  });

  it('moves a scheduled batch, passing bypassCallGuardrails', async () => {
    const id = bolnaIn('scheduled', 1);
    const at = new Date(Date.now() + 48 * 3_600_000);
    const outcome = dataOf(await h.gql(ScheduleBatchDocument, { id, at: at.toISOString(), bypass: true })).scheduleBatch;
    expect(outcome).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { status: 'SCHEDULED' } });
    expect((await writes('bolna'))[0]?.body).toMatchObject({ bypass_call_guardrails: 'true' });
  });

  it('refuses a start less than 2 minutes ahead (or past) before any vendor call', async () => {
    for (const at of [new Date(Date.now() + 60_000), new Date('2020-01-01T00:00:00Z')]) {
      const outcome = dataOf(await h.gql(ScheduleBatchDocument, { id: bolnaIn('created', 1), at: at.toISOString() })).scheduleBatch;
      expect(outcome).toMatchObject({ __typename: 'InvalidInputError', field: 'at' });
    }
    expect(await h.totalCalls()).toBe(0);
  });

  it('is unsupported for Syllable (campaign hours), with no vendor call', async () => {
    const outcome = dataOf(await h.gql(ScheduleBatchDocument, { id: syllableIn('PENDING'), at: new Date(Date.now() + 3_600_000).toISOString() })).scheduleBatch;
    expect(outcome).toMatchObject({ __typename: 'UnsupportedOperationError', operation: 'scheduleBatch', vendor: 'SYLLABLE' });
    expect(outcome.__typename === 'UnsupportedOperationError' && outcome.message).toMatch(/campaign's daily hours/);
    expect(await h.totalCalls()).toBe(0);
  });

  it('refuses a running batch after reading it, without a write', async () => {
    const outcome = dataOf(await h.gql(ScheduleBatchDocument, { id: bolnaIn('queued', 1), at: new Date(Date.now() + 3_600_000).toISOString() })).scheduleBatch;
    expect(outcome).toMatchObject({ __typename: 'UnsupportedOperationError' });
    expect(outcome.__typename === 'UnsupportedOperationError' && outcome.message).toMatch(/cannot be scheduled \(status ACTIVE, vendor status queued\)/);
    expect(await writes('bolna')).toEqual([]);
  });

  it("passes Bolna's 400 on as an InvalidInputError with its message", async () => {
    const id = bolnaIn('scheduled', 0);
    await h.override('bolna', { method: 'POST', path: `/batches/${vendorIdOf(id)}/schedule`, status: 400, body: { error: 400, message: 'Outside the calling guardrails' } });
    const outcome = dataOf(await h.gql(ScheduleBatchDocument, { id, at: new Date(Date.now() + 3_600_000).toISOString() })).scheduleBatch;
    expect(outcome).toMatchObject({ __typename: 'InvalidInputError', message: 'Bolna rejected the request: Outside the calling guardrails' });
  });
});

describe('stopBatch (Bolna)', () => {
  it('stops a running batch: calls not yet placed become stopped, and the batch reads as done', async () => {
    const id = bolnaIn('queued', 3);
    const before = (await vendorGet(h.simulators, 'bolna', `/batches/${vendorIdOf(id)}/executions`)) as Array<{ status: string }>;
    const waiting = before.filter((e) => ['scheduled', 'queued', 'rescheduled'].includes(e.status)).length;
    expect(waiting).toBeGreaterThan(0);
    const outcome = dataOf(await h.gql(StopBatchDocument, { id })).stopBatch;
    expect(outcome).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { id, vendorStatus: 'executed', canStop: false, progress: { pending: 0 } } });
    expect(await writes('bolna')).toEqual([{ method: 'POST', path: `/batches/${vendorIdOf(id)}/stop`, body: null, contentType: '' }]);
    const after = (await vendorGet(h.simulators, 'bolna', `/batches/${vendorIdOf(id)}/executions`)) as Array<{ status: string }>;
    expect(after.filter((e) => e.status === 'stopped').length).toBe(before.filter((e) => e.status === 'stopped').length + waiting);
  });

  it('refuses a batch that is not running after reading it, without a write', async () => {
    const outcome = dataOf(await h.gql(StopBatchDocument, { id: bolnaIn('executed') })).stopBatch;
    expect(outcome).toMatchObject({ __typename: 'UnsupportedOperationError', operation: 'stopBatch' });
    expect(await h.calls()).toMatchObject({ bolna: { 'GET /batches/{batch_id}': 1 } });
    expect(await writes('bolna')).toEqual([]);
  });

  it("Bolna's 404 \"not queued or running\" is an UnsupportedOperationError, not BatchNotFoundError; the stop is sent once", async () => {
    const id = bolnaIn('queued', 2);
    await h.override('bolna', { method: 'POST', path: `/batches/${vendorIdOf(id)}/stop`, status: 404, body: { message: 'Batch is not queued or running' } });
    const outcome = dataOf(await h.gql(StopBatchDocument, { id })).stopBatch;
    expect(outcome).toMatchObject({ __typename: 'UnsupportedOperationError', code: 'UNSUPPORTED_OPERATION', operation: 'stopBatch', vendor: 'BOLNA' });
    expect(outcome.__typename === 'UnsupportedOperationError' && outcome.message).toMatch(/not queued or running/);
    expect((await writes('bolna')).length).toBe(1);
  });

  it('is never retried: a 503 is a VendorError after exactly one stop', async () => {
    const id = bolnaIn('queued', 2);
    await h.override('bolna', { method: 'POST', path: `/batches/${vendorIdOf(id)}/stop`, status: 503, body: { error: 503, message: 'busy' } });
    const outcome = dataOf(await h.gql(StopBatchDocument, { id })).stopBatch;
    expect(outcome).toMatchObject({ __typename: 'VendorError', statusCode: 503 });
    expect((await writes('bolna')).length).toBe(1);
    expect((await bolnaState(id)).status).toBe('queued');
  });

  it('is unsupported for Syllable, pointing to pauseBatch, with no vendor call', async () => {
    const outcome = dataOf(await h.gql(StopBatchDocument, { id: syllableIn('ACTIVE') })).stopBatch;
    expect(outcome).toMatchObject({ __typename: 'UnsupportedOperationError', vendor: 'SYLLABLE' });
    expect(outcome.__typename === 'UnsupportedOperationError' && outcome.message).toMatch(/pauseBatch/);
    expect(await h.totalCalls()).toBe(0);
  });
});

describe('deleteBatch', () => {
  it('Syllable: a form-encoded DELETE with the reason; the batch stays readable as deleted, and leaves the default list', async () => {
    const id = syllableIn('PENDING', 1);
    const outcome = dataOf(await h.gql(DeleteBatchDocument, { id, reason: '  Duplicate upload ' })).deleteBatch;
    expect(outcome).toMatchObject({ __typename: 'BatchDeleted', id, vendor: 'SYLLABLE' });
    expect(await writes('syllable')).toEqual([
      { method: 'DELETE', path: `/api/v1/outbound/batches/${vendorIdOf(id)}`, contentType: 'application/x-www-form-urlencoded', body: { delete_reason: 'Duplicate upload' } },
    ]);
    const { batch } = dataOf(await h.gql(BatchControlsDocument, { id }));
    expect(batch).toMatchObject({ deletedReason: 'Duplicate upload', status: 'CANCELED', canPause: false, canUpdateExpiry: false, canDelete: false });
    // The answer's deletedAt is the vendor's, as every later read shows it.
    expect(outcome.__typename === 'BatchDeleted' && outcome.deletedAt).toBe(batch!.deletedAt);
    expect(Date.parse(String((await syllableState(id)).deleted_at))).toBe(Date.parse(batch!.deletedAt!));
    const listed = async (includeDeleted: boolean) => dataOf(await h.gql(BatchListDocument, { first: 100, vendor: 'SYLLABLE', includeDeleted })).batches.edges.map((e) => e.node.id);
    expect(await listed(false)).not.toContain(id);
    expect(await listed(true)).toContain(id);

    // Deleted already: success without a second DELETE.
    await h.reset();
    const again = dataOf(await h.gql(DeleteBatchDocument, { id, reason: 'again' })).deleteBatch;
    expect(again).toMatchObject({ __typename: 'BatchDeleted', id, deletedAt: batch!.deletedAt });
    expect(await writes('syllable')).toEqual([]);
  });

  it('Bolna: a DELETE, after which batch(id) is null with NOT_FOUND', async () => {
    const id = bolnaIn('created', 1);
    const outcome = dataOf(await h.gql(DeleteBatchDocument, { id, reason: 'Wrong list' })).deleteBatch;
    expect(outcome).toMatchObject({ __typename: 'BatchDeleted', id, vendor: 'BOLNA' });
    expect(await writes('bolna')).toEqual([{ method: 'DELETE', path: `/batches/${vendorIdOf(id)}`, body: null, contentType: '' }]);
    const after = await h.gql(BatchControlsDocument, { id });
    expect(after.data?.batch).toBeNull();
    expect(after.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses an empty reason before any vendor call', async () => {
    for (const id of [syllableIn('ACTIVE'), bolnaIn('executed')]) {
      const outcome = dataOf(await h.gql(DeleteBatchDocument, { id, reason: '   ' })).deleteBatch;
      expect(outcome).toMatchObject({ __typename: 'InvalidInputError', field: 'reason' });
    }
    expect(await h.totalCalls()).toBe(0);
  });

  it('an unknown batch is a BatchNotFoundError after one read and no write', async () => {
    const outcome = dataOf(await h.gql(DeleteBatchDocument, { id: 'syllable:19990101.1', reason: 'x' })).deleteBatch;
    expect(outcome).toMatchObject({ __typename: 'BatchNotFoundError', code: 'NOT_FOUND' });
    expect(await writes('syllable')).toEqual([]);
  });

  it("passes Syllable's 422 on as an InvalidInputError with its message; the batch is not deleted", async () => {
    const id = syllableIn('PAUSED', 1);
    await h.override('syllable', {
      method: 'DELETE',
      path: `/api/v1/outbound/batches/${vendorIdOf(id)}`,
      status: 422,
      body: { detail: [{ loc: ['body', 'delete_reason'], msg: 'Reason is too short', type: 'value_error' }] },
    });
    const outcome = dataOf(await h.gql(DeleteBatchDocument, { id, reason: 'x' })).deleteBatch;
    expect(outcome).toMatchObject({ __typename: 'InvalidInputError', message: 'Syllable rejected the request: delete_reason: Reason is too short' });
    expect((await syllableState(id)).deleted_at).toBeNull();
  });

  it('is never retried: a 502 is a VendorError after exactly one DELETE, and the batch is still there', async () => {
    const id = syllableIn('FAILED');
    await h.override('syllable', { method: 'DELETE', path: `/api/v1/outbound/batches/${vendorIdOf(id)}`, status: 502, body: { detail: 'bad gateway' } });
    const outcome = dataOf(await h.gql(DeleteBatchDocument, { id, reason: 'cleanup' })).deleteBatch;
    expect(outcome).toMatchObject({ __typename: 'VendorError', code: 'VENDOR_ERROR' });
    expect((await writes('syllable')).length).toBe(1);
    expect((await syllableState(id)).deleted_at).toBeNull();
  });
});

describe('capabilities', () => {
  it('each flag is true exactly where its control would be attempted, for every demo batch', async () => {
    const { batches } = dataOf(await h.gql(BatchListDocument, { first: 100 }));
    expect(batches.edges.length).toBeGreaterThanOrEqual(28);
    for (const { node } of batches.edges) {
      const open = ['PENDING', 'ACTIVE', 'PAUSED'].includes(node.status);
      const isSyllable = node.vendor === 'SYLLABLE';
      expect(node, node.id).toMatchObject({
        canPause: isSyllable && open && node.status !== 'PAUSED',
        canResume: isSyllable && node.status === 'PAUSED',
        canUpdateExpiry: isSyllable && open,
        canUpdateCallRate: isSyllable && open,
        canSchedule: !isSyllable && (node.status === 'PENDING' || node.status === 'SCHEDULED'),
        canStop: !isSyllable && node.status === 'ACTIVE',
        canDelete: node.deletedAt === null,
      });
    }
    // Reading the flags costs nothing beyond the lists.
    expect(Object.keys((await h.calls()).syllable)).toEqual(['GET /api/v1/outbound/batches']);
  });
});
