import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fictionalNumber } from '../src/simulators/prng.js';
import { CreateBatchDocument, ValidateTargetsDocument, type CreateBatchInput } from './generated/graphql.js';
import { dataOf, startHarness, type Harness } from './helpers/harness.js';
import { mintToken, TEST_JWT_SECRET } from './helpers/tokens.js';

/**
 * `POST /uploads` over HTTP: a CSV read as it streams (BOM, quoted fields), checked, kept for its
 * caller and used by `uploadId`; every way a file can be wrong answered with a status and a typed
 * error, with no vendor call; a 20,000-row list made into one Syllable batch with one upload.
 */

interface UploadAnswer {
  readonly status: number;
  readonly body: {
    uploadId?: string;
    expiresAt?: string;
    validation?: { total: number; valid: number; invalid: number; duplicates: number; variableNames: string[]; issues: Array<{ row: number; code: string; field: string }> };
    errors?: Array<{ message: string; extensions: { code: string; field?: string } }>;
  };
}

async function upload(h: Harness, body: string | Uint8Array, options: { query?: string; headers?: Record<string, string> } = {}): Promise<UploadAnswer> {
  const response = await fetch(`${h.server.baseUrl}/uploads?${options.query ?? 'vendor=syllable'}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', 'x-graphql-yoga-csrf': 'upload', ...options.headers },
    body: body as unknown as BodyInit,
  });
  return { status: response.status, body: (await response.json()) as UploadAnswer['body'] };
}

/** A CSV of `rows` targets with 555 numbers. */
function csvOf(rows: number, numbersOnly = false): string {
  const lines = [numbersOnly ? 'phone_number' : 'phone_number,reference_id,first_name'];
  for (let i = 0; i < rows; i += 1) lines.push(numbersOnly ? fictionalNumber(i) : `${fictionalNumber(i)},ref-${i + 1},Person ${i}`);
  return `${lines.join('\r\n')}\r\n`;
}

describe('POST /uploads', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  it('reads a UTF-8 CSV with a byte-order mark and quoted fields, and answers its check', async () => {
    const csv = '\uFEFFContact_Number,reference_id,city,note\r\n+1 212 555 0101,a,"Austin, TX","said ""yes"""\r\n(312) 555-0102,b,Boston,\r\n12,c,Denver,x\r\n';
    const answer = await upload(h, csv);
    expect(answer.status).toBe(200);
    expect(answer.body.uploadId).toMatch(/^upl_[0-9a-f]{32}$/);
    expect(Date.parse(answer.body.expiresAt!) - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(answer.body.validation).toMatchObject({ total: 3, valid: 2, invalid: 1, duplicates: 0, variableNames: ['city', 'note'] });
    expect(answer.body.validation?.issues).toEqual([expect.objectContaining({ row: 3, field: 'phoneNumber', code: 'PHONE_NUMBER_INVALID' })]);
    // The same list, by id: checked again, for any vendor, with no vendor call.
    const again = dataOf(await h.gql(ValidateTargetsDocument, { vendor: 'SYLLABLE', uploadId: answer.body.uploadId })).validateTargets;
    expect(again).toMatchObject({ total: 3, valid: 2, invalid: 1 });
    expect(await h.totalCalls()).toBe(0);
  });

  it('makes a 20,000-row upload into one Syllable batch with one upload_batch call', async () => {
    const answer = await upload(h, csvOf(20_000));
    expect(answer.status).toBe(200);
    expect(answer.body.validation).toMatchObject({ total: 20_000, valid: 20_000, invalid: 0 });
    const input: CreateBatchInput = { vendor: 'SYLLABLE', idempotencyKey: randomUUID(), campaignId: '102', uploadId: answer.body.uploadId };
    const outcome = dataOf(await h.gql(CreateBatchDocument, { input })).createBatch;
    expect(outcome).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { totalCount: 20_000, progress: { pending: 20_000 } } });
    const calls = await h.calls();
    expect(calls.syllable['POST /api/v1/outbound/batches']).toBe(1);
    expect(calls.syllable['POST /api/v1/outbound/batches/{batch_id}/upload_batch']).toBe(1);
    expect(calls.syllable['POST /api/v1/outbound/batches/{batch_id}/requests']).toBeUndefined();
  });

  it('refuses a file without a phone column, naming the columns it looks for', async () => {
    const answer = await upload(h, 'name,city\r\nAda,Austin\r\n');
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'file' });
    expect(answer.body.errors?.[0]?.message).toContain('phone_number, target, contact_number');
  });

  it('refuses what is not UTF-8 CSV text: another encoding, binary, another content type', async () => {
    const latin1 = Uint8Array.from([...Buffer.from('phone_number,city\r\n+12125550101,Montr'), 0xe9, 0x61, 0x6c, 0x0d, 0x0a]);
    expect((await upload(h, latin1)).status).toBe(415);
    const binary = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]);
    expect((await upload(h, binary)).status).toBe(415);
    const json = await upload(h, '[]', { headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(415);
    expect(json.body.errors?.[0]?.message).toContain('text/csv');
  });

  it('refuses a row with another number of columns, with its line', async () => {
    const answer = await upload(h, 'phone_number,city\r\n+12125550101,Austin\r\n+13125550102,Boston,extra\r\n');
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.message).toContain('line 3');
  });

  it('refuses 100,001 rows and a body over 20 MB with 413', async () => {
    const rows = await upload(h, csvOf(100_001, true));
    expect(rows.status).toBe(413);
    expect(rows.body.errors?.[0]?.message).toContain('100,000 rows');
    const big = await upload(h, `phone_number,note\r\n${`+12125550101,${'x'.repeat(60_000)}\r\n`.repeat(360)}`);
    expect(big.status).toBe(413);
  });

  it('needs the CSRF header and a vendor, and refuses another verb', async () => {
    const noCsrf = await fetch(`${h.server.baseUrl}/uploads?vendor=syllable`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csvOf(1) }).then(
      async (response) => ({ status: response.status, body: (await response.json()) as UploadAnswer['body'] }),
    );
    expect(noCsrf.status).toBe(400);
    expect(noCsrf.body.errors?.[0]?.message).toContain('x-graphql-yoga-csrf');
    const noVendor = await upload(h, csvOf(1), { query: '' });
    expect(noVendor.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'vendor' });
    const get = await fetch(`${h.server.baseUrl}/uploads`, { headers: { 'x-graphql-yoga-csrf': 'x' } });
    expect(get.status).toBe(400);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('uploads belong to their caller', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { AUTH_JWT_SECRET: TEST_JWT_SECRET } });
  });
  afterAll(() => h.close());

  it('needs a token with batches:write, and another caller cannot use the upload', async () => {
    expect((await upload(h, csvOf(2))).status).toBe(401);
    const reader = await mintToken({ scope: 'batches:read batches:write'.split(' ')[0] });
    expect((await upload(h, csvOf(2), { headers: { authorization: `Bearer ${reader}` } })).status).toBe(403);
    const ada = await mintToken({ scope: 'batches:read batches:write', subject: 'ada' });
    const grace = await mintToken({ scope: 'batches:read batches:write', subject: 'grace' });
    const mine = await upload(h, csvOf(2), { headers: { authorization: `Bearer ${ada}` } });
    expect(mine.status).toBe(200);
    const query = { query: 'query($id: ID) { validateTargets(vendor: SYLLABLE, uploadId: $id) { total } }', variables: { id: mine.body.uploadId } };
    const asAda = await h.post<{ validateTargets: { total: number } }>(query, { authorization: `Bearer ${ada}` });
    expect(asAda.body.data?.validateTargets.total).toBe(2);
    const asGrace = await h.post(query, { authorization: `Bearer ${grace}` });
    expect(asGrace.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'uploadId' });
  });
});
