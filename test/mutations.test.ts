import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PauseBatchDocument, ResumeBatchDocument, UpdateBatchExpiryDocument } from './generated/graphql.js';
import { dataOf, startHarness, type Harness } from './helpers/harness.js';
import { allBolnaBatches, allSyllableBatches, vendorGet, type RawBatch } from './helpers/vendor-raw.js';

let h: Harness;
let syllable: RawBatch[];
let bolnaId: string;

beforeAll(async () => {
  h = await startHarness();
  syllable = await allSyllableBatches(h.simulators);
  bolnaId = `bolna:${(await allBolnaBatches(h.simulators)).find((b) => b.status === 'queued')!.batch_id}`;
});
afterAll(() => h.close());
beforeEach(() => h.reset());

/** Distinct batches per test, so tests do not depend on each other's changes. */
const byStatus = (status: string, index = 0) => syllable.filter((b) => b.status === status)[index]!;
const idOf = (batch: RawBatch) => `syllable:${batch.batch_id}`;

async function vendorState(batch: RawBatch): Promise<Record<string, unknown>> {
  return (await vendorGet(h.simulators, 'syllable', `/api/v1/outbound/batches/${batch.batch_id}`)) as Record<string, unknown>;
}

async function writes(): Promise<Array<{ path: string; body: unknown }>> {
  return (await h.requests('syllable')).filter((r) => r.method === 'PUT').map((r) => ({ path: r.path, body: r.body }));
}

describe('pauseBatch and resumeBatch', () => {
  it('pause sends only {"paused": true}, changes the vendor state, and returns the new state', async () => {
    const batch = byStatus('ACTIVE', 1);
    const { pauseBatch } = dataOf(await h.gql(PauseBatchDocument, { id: idOf(batch) }));
    expect(pauseBatch).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { id: idOf(batch), status: 'PAUSED', paused: true, canPause: false, canResume: true } });
    expect(await writes()).toEqual([{ path: `/api/v1/outbound/batches/${batch.batch_id}`, body: { paused: true } }]);
    expect(await vendorState(batch)).toMatchObject({ paused: true, status: 'PAUSED' });

    const { resumeBatch } = dataOf(await h.gql(ResumeBatchDocument, { id: idOf(batch) }));
    expect(resumeBatch).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { status: 'ACTIVE', paused: false } });
    expect(await vendorState(batch)).toMatchObject({ paused: false, status: 'ACTIVE' });
  });

  it('pausing a paused batch succeeds without writing', async () => {
    const batch = byStatus('PAUSED');
    const { pauseBatch } = dataOf(await h.gql(PauseBatchDocument, { id: idOf(batch) }));
    expect(pauseBatch).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { paused: true } });
    expect(await writes()).toEqual([]);
  });

  it('pausing a Bolna batch is an UnsupportedOperationError and sends nothing', async () => {
    const { pauseBatch } = dataOf(await h.gql(PauseBatchDocument, { id: bolnaId }));
    expect(pauseBatch).toMatchObject({ __typename: 'UnsupportedOperationError', code: 'UNSUPPORTED_OPERATION', operation: 'pauseBatch', vendor: 'BOLNA' });
    // Bolna has no pause at all: refused before any vendor call.
    expect(await h.totalCalls()).toBe(0);
  });

  it('pausing a canceled batch is refused with its state named, and changes nothing', async () => {
    const batch = byStatus('CANCELED');
    const before = await vendorState(batch);
    const { pauseBatch } = dataOf(await h.gql(PauseBatchDocument, { id: idOf(batch) }));
    expect(pauseBatch).toMatchObject({ __typename: 'UnsupportedOperationError' });
    expect(pauseBatch.__typename === 'UnsupportedOperationError' && pauseBatch.message).toMatch(/cannot be paused.*CANCELED/);
    expect(await writes()).toEqual([]);
    expect(await vendorState(batch)).toEqual(before);
  });
});

describe('updateBatchExpiry', () => {
  it('sets a future expiry, then clears it with null', async () => {
    const batch = byStatus('PENDING', 1);
    const set = dataOf(await h.gql(UpdateBatchExpiryDocument, { id: idOf(batch), expiresOn: '2031-03-04T05:06:07+02:00' })).updateBatchExpiry;
    expect(set).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { expiresOn: '2031-03-04T03:06:07.000Z' } });
    const cleared = dataOf(await h.gql(UpdateBatchExpiryDocument, { id: idOf(batch), expiresOn: null })).updateBatchExpiry;
    expect(cleared).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { expiresOn: null } });
    expect((await writes()).map((w) => w.body)).toEqual([{ expires_on: '2031-03-04T03:06:07.000Z' }, { expires_on: null }]);
    expect((await vendorState(batch)).expires_on).toBeNull();
  });

  it('rejects an expiry in the past before any vendor call', async () => {
    const { updateBatchExpiry } = dataOf(await h.gql(UpdateBatchExpiryDocument, { id: idOf(byStatus('ACTIVE')), expiresOn: '2001-01-01T00:00:00Z' }));
    expect(updateBatchExpiry).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT', field: 'expiresOn' });
    expect((await h.stats('syllable')).total).toBe(0);
  });

  it('rejects a call that leaves out expiresOn, so an expiry is never cleared by accident', async () => {
    const { updateBatchExpiry } = dataOf(await h.gql(UpdateBatchExpiryDocument, { id: idOf(byStatus('ACTIVE')) }));
    expect(updateBatchExpiry).toMatchObject({ __typename: 'InvalidInputError', field: 'expiresOn' });
    expect((await h.stats('syllable')).total).toBe(0);
  });

  it('rejects a DateTime without a time zone as a variable error', async () => {
    const response = await h.gql(UpdateBatchExpiryDocument, { id: idOf(byStatus('ACTIVE')), expiresOn: '2031-03-04 05:06' });
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]?.message).toMatch(/ISO-8601/);
    expect((await h.stats('syllable')).total).toBe(0);
  });
});

describe('bad ids and vendor refusals', () => {
  it('a malformed id is an InvalidInputError with no vendor call', async () => {
    const { pauseBatch } = dataOf(await h.gql(PauseBatchDocument, { id: 'bolna:not-hex' }));
    expect(pauseBatch).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT' });
    expect((await h.stats('syllable')).total + (await h.stats('bolna')).total).toBe(0);
  });

  it('an unknown id is a BatchNotFoundError after one read and no write', async () => {
    const { resumeBatch } = dataOf(await h.gql(ResumeBatchDocument, { id: 'syllable:20000101.1' }));
    expect(resumeBatch).toMatchObject({ __typename: 'BatchNotFoundError', code: 'NOT_FOUND' });
    expect((await h.calls()).syllable).toEqual({ 'GET /api/v1/outbound/batches/{batch_id}': 1 });
  });

  it("a vendor 422 becomes an InvalidInputError carrying the vendor's message; the batch is unchanged", async () => {
    const batch = byStatus('ACTIVE', 2);
    const before = await vendorState(batch);
    await h.override('syllable', {
      method: 'PUT',
      path: `/api/v1/outbound/batches/${batch.batch_id}`,
      status: 422,
      body: { detail: [{ loc: ['body', 'paused'], msg: 'Batch is locked by an import', type: 'value_error' }] },
    });
    const { pauseBatch } = dataOf(await h.gql(PauseBatchDocument, { id: idOf(batch) }));
    expect(pauseBatch).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT' });
    expect(pauseBatch.__typename === 'InvalidInputError' && pauseBatch.message).toBe('Syllable rejected the request: paused: Batch is locked by an import');
    expect(await vendorState(batch)).toEqual(before);
  });

  it('a vendor 500 becomes a VendorError with the status code', async () => {
    const batch = byStatus('ACTIVE', 3);
    await h.override('syllable', { method: 'PUT', path: `/api/v1/outbound/batches/${batch.batch_id}`, status: 500, body: { detail: 'database unavailable' } });
    const { pauseBatch } = dataOf(await h.gql(PauseBatchDocument, { id: idOf(batch) }));
    expect(pauseBatch).toMatchObject({ __typename: 'VendorError', code: 'VENDOR_ERROR', vendor: 'SYLLABLE', statusCode: 500 });
  });
});
