import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators } from '../src/simulators/index.js';
import { Contract } from './helpers/contract.js';

/** Every simulator response shape, validated against the vendor's own OpenAPI document. */

let sims: RunningSimulators;
const syllable = new Contract('syllable-outbound.contract.json');
const bolna = new Contract('bolna-batches.contract.json');

beforeAll(async () => {
  sims = await startSimulators({ seed: 7 });
});
afterAll(() => sims.close());

async function call(vendor: 'syllable' | 'bolna', method: string, path: string, body?: unknown, key?: string) {
  const sim = sims[vendor];
  const apiKey = key ?? sim.apiKey;
  const headers: Record<string, string> = vendor === 'syllable' ? { 'Syllable-API-Key': apiKey } : { authorization: `Bearer ${apiKey}` };
  let payload: string | FormData | URLSearchParams | undefined;
  // Bodies in the encodings the routes take: JSON, a urlencoded form, or a multipart form.
  if (body instanceof FormData || body instanceof URLSearchParams) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(`${sim.url}${path}`, { method, headers, body: payload });
  return { status: response.status, body: (await response.json()) as unknown };
}

function multipart(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}

describe('Syllable simulator', () => {
  const BATCHES = '/api/v1/outbound/batches';
  let ids: string[] = [];

  it('GET /batches (every page) matches ListResponse[CommunicationBatch]', async () => {
    const validate = syllable.validator('GET', BATCHES, 200);
    for (let page = 0; page < 4; page += 1) {
      const { status, body } = await call('syllable', 'GET', `${BATCHES}?page=${page}&limit=5`);
      expect(status).toBe(200);
      expect(syllable.check(validate, body)).toBeNull();
      ids.push(...(body as { items: Array<{ batch_id: string }> }).items.map((b) => b.batch_id));
    }
    ids = [...new Set(ids)];
    expect(ids.length).toBeGreaterThanOrEqual(12);
  });

  it('GET /batches/{id} matches BatchDetails for every batch', async () => {
    const validate = syllable.validator('GET', `${BATCHES}/{batch_id}`, 200);
    for (const id of ids) {
      const { status, body } = await call('syllable', 'GET', `${BATCHES}/${id}`);
      expect(status).toBe(200);
      expect(syllable.check(validate, body), id).toBeNull();
    }
  });

  it('GET /batches/{id}/results matches CommunicationRequestResult[] for every batch', async () => {
    const validate = syllable.validator('GET', `${BATCHES}/{batch_id}/results`, 200);
    for (const id of ids) {
      const { body } = await call('syllable', 'GET', `${BATCHES}/${id}/results`);
      expect(syllable.check(validate, body), id).toBeNull();
    }
  });

  it('PUT /batches/{id} answers CommunicationBatch, and 422 as HTTPValidationError', async () => {
    const id = ids[0]!;
    const ok = await call('syllable', 'PUT', `${BATCHES}/${id}`, { expires_on: '2040-01-01T00:00:00Z' });
    expect(ok.status).toBe(200);
    expect(syllable.check(syllable.validator('PUT', `${BATCHES}/{batch_id}`, 200), ok.body)).toBeNull();
    const bad = await call('syllable', 'PUT', `${BATCHES}/${id}`, { paused: 'yes', call_rate: 0 });
    expect(bad.status).toBe(422);
    expect(syllable.check(syllable.validator('PUT', `${BATCHES}/{batch_id}`, 422), bad.body)).toBeNull();
    expect((bad.body as { detail: unknown[] }).detail).toHaveLength(2);
  });

  it('PUT /batches/{id} with a pace: the body we send is a CommunicationBatchUpdate, the answer a CommunicationBatch', async () => {
    const id = ids[1]!;
    const change = { call_rate: 120, auto_call_rate: false };
    expect(syllable.check(syllable.requestValidator('PUT', `${BATCHES}/{batch_id}`, 'application/json'), change)).toBeNull();
    const ok = await call('syllable', 'PUT', `${BATCHES}/${id}`, change);
    expect(ok.status).toBe(200);
    expect(syllable.check(syllable.validator('PUT', `${BATCHES}/{batch_id}`, 200), ok.body)).toBeNull();
    expect(ok.body).toMatchObject(change);
  });

  it('DELETE /batches/{id}: a urlencoded delete_reason (Body_outbound_batch_delete); without it a 422', async () => {
    const id = ids[2]!;
    expect(syllable.check(syllable.requestValidator('DELETE', `${BATCHES}/{batch_id}`, 'application/x-www-form-urlencoded'), { delete_reason: 'test' })).toBeNull();
    const missing = await call('syllable', 'DELETE', `${BATCHES}/${id}`, new URLSearchParams());
    expect(missing.status).toBe(422);
    expect(syllable.check(syllable.validator('DELETE', `${BATCHES}/{batch_id}`, 422), missing.body)).toBeNull();
    const ok = await call('syllable', 'DELETE', `${BATCHES}/${id}`, new URLSearchParams({ delete_reason: 'contract test' }));
    expect(ok.status).toBe(200);
    expect(syllable.check(syllable.validator('DELETE', `${BATCHES}/{batch_id}`, 200), ok.body)).toBeNull();
    const after = await call('syllable', 'GET', `${BATCHES}/${id}`);
    expect(syllable.check(syllable.validator('GET', `${BATCHES}/{batch_id}`, 200), after.body)).toBeNull();
    expect(after.body).toMatchObject({ deleted_reason: 'contract test' });
    expect(typeof (after.body as { deleted_at?: unknown }).deleted_at).toBe('string');
  });

  it('GET /campaigns/{id} matches OutboundCampaign for every campaign of the batches; a non-integer id is a 422', async () => {
    const validate = syllable.validator('GET', '/api/v1/outbound/campaigns/{campaign_id}', 200);
    const list = (await call('syllable', 'GET', `${BATCHES}?limit=100`)).body as { items: Array<{ campaign_id: number }> };
    const campaignIds = [...new Set(list.items.map((b) => b.campaign_id))];
    expect(campaignIds.length).toBeGreaterThanOrEqual(3);
    for (const campaignId of campaignIds) {
      const { status, body } = await call('syllable', 'GET', `/api/v1/outbound/campaigns/${campaignId}`);
      expect(status).toBe(200);
      expect(syllable.check(validate, body), String(campaignId)).toBeNull();
    }
    const bad = await call('syllable', 'GET', '/api/v1/outbound/campaigns/abc');
    expect(bad.status).toBe(422);
    expect(syllable.check(syllable.validator('GET', '/api/v1/outbound/campaigns/{campaign_id}', 422), bad.body)).toBeNull();
  });

  it('GET /batches with a bad page answers 422 as HTTPValidationError', async () => {
    const { status, body } = await call('syllable', 'GET', `${BATCHES}?page=-1`);
    expect(status).toBe(422);
    expect(syllable.check(syllable.validator('GET', BATCHES, 422), body)).toBeNull();
  });

  it('POST /batches: the body we send is a CommunicationBatchInput, the answer a CommunicationBatch; a taken id is a 422', async () => {
    const input = { batch_id: 'og-contract-1', campaign_id: 101, paused: true, expires_on: '2040-01-01T00:00:00Z', call_rate: 60 };
    expect(syllable.check(syllable.requestValidator('POST', BATCHES, 'application/json'), input)).toBeNull();
    const ok = await call('syllable', 'POST', BATCHES, input);
    expect(ok.status).toBe(200);
    expect(syllable.check(syllable.validator('POST', BATCHES, 200), ok.body)).toBeNull();
    expect(ok.body).toMatchObject({ batch_id: 'og-contract-1', status: 'PAUSED', paused: true, upload_filename: null });
    const taken = await call('syllable', 'POST', BATCHES, input);
    expect(taken.status).toBe(422);
    expect(syllable.check(syllable.validator('POST', BATCHES, 422), taken.body)).toBeNull();
    expect((await call('syllable', 'POST', BATCHES, { ...input, batch_id: 'og-contract-2', campaign_id: 999 })).status).toBe(404);
  });

  it('POST /batches/{id}/upload_batch takes one multipart file: its rows become results (repeats DUPLICATE, non-E.164 INVALID); a second file is a 422', async () => {
    const id = 'og-contract-1';
    const file = new FormData();
    file.append('file', new Blob(['reference_id,target,first_name\r\na,+12125550101,Ada\r\nb,+12125550101,Grace\r\nc,555-0102,Alan\r\n'], { type: 'text/csv' }), 'people.csv');
    const ok = await call('syllable', 'POST', `${BATCHES}/${id}/upload_batch`, file);
    expect(ok.status).toBe(200);
    const after = await call('syllable', 'GET', `${BATCHES}/${id}`);
    expect(syllable.check(syllable.validator('GET', `${BATCHES}/{batch_id}`, 200), after.body)).toBeNull();
    expect(after.body).toMatchObject({ upload_filename: 'people.csv', status_counts: { PENDING: 1, DUPLICATE: 1, INVALID: 1 } });
    const results = await call('syllable', 'GET', `${BATCHES}/${id}/results`);
    expect(syllable.check(syllable.validator('GET', `${BATCHES}/{batch_id}/results`, 200), results.body)).toBeNull();
    expect((results.body as Array<{ request_variables: unknown }>)[0]?.request_variables).toEqual({ first_name: 'Ada' });
    const second = await call('syllable', 'POST', `${BATCHES}/${id}/upload_batch`, file);
    expect(second.status).toBe(422);
    expect(syllable.check(syllable.validator('POST', `${BATCHES}/{batch_id}/upload_batch`, 422), second.body)).toBeNull();
  });

  it('a file without the target column fails the batch with error_message', async () => {
    await call('syllable', 'POST', BATCHES, { batch_id: 'og-contract-3', campaign_id: 102 });
    const file = new FormData();
    file.append('file', new Blob(['reference_id,phone\r\na,+12125550101\r\n'], { type: 'text/csv' }), 'bad.csv');
    expect((await call('syllable', 'POST', `${BATCHES}/og-contract-3/upload_batch`, file)).status).toBe(200);
    const after = await call('syllable', 'GET', `${BATCHES}/og-contract-3`);
    expect(syllable.check(syllable.validator('GET', `${BATCHES}/{batch_id}`, 200), after.body)).toBeNull();
    expect(after.body).toMatchObject({ status: 'FAILED', error_message: 'Row 1: column "target" is missing' });
  });

  it('POST /requests takes a CommunicationRequest (a taken reference id is a 422); POST /remove-requests a bare array of reference ids', async () => {
    const id = 'og-contract-1';
    const request = { reference_id: 'd', target: '+13125550103', request_variables: { first_name: 'Edsger' } };
    expect(syllable.check(syllable.requestValidator('POST', `${BATCHES}/{batch_id}/requests`, 'application/json'), request)).toBeNull();
    expect((await call('syllable', 'POST', `${BATCHES}/${id}/requests`, request)).status).toBe(200);
    const taken = await call('syllable', 'POST', `${BATCHES}/${id}/requests`, request);
    expect(taken.status).toBe(422);
    expect(syllable.check(syllable.validator('POST', `${BATCHES}/{batch_id}/requests`, 422), taken.body)).toBeNull();
    expect(syllable.check(syllable.requestValidator('POST', `${BATCHES}/{batch_id}/remove-requests`, 'application/json'), ['a', 'd'])).toBeNull();
    expect((await call('syllable', 'POST', `${BATCHES}/${id}/remove-requests`, ['a', 'd', 'b'])).status).toBe(200);
    // Only waiting targets go: `b` is a DUPLICATE.
    const left = (await call('syllable', 'GET', `${BATCHES}/${id}/results`)).body as Array<{ reference_id: string }>;
    expect(left.map((row) => row.reference_id)).toEqual(['b', 'c']);
    const bad = await call('syllable', 'POST', `${BATCHES}/${id}/remove-requests`, { ids: ['a'] });
    expect(bad.status).toBe(422);
    expect(syllable.check(syllable.validator('POST', `${BATCHES}/{batch_id}/remove-requests`, 422), bad.body)).toBeNull();
  });

  it('GET /campaigns matches ListResponse[OutboundCampaign]', async () => {
    const { status, body } = await call('syllable', 'GET', '/api/v1/outbound/campaigns?page=0&limit=2');
    expect(status).toBe(200);
    expect(syllable.check(syllable.validator('GET', '/api/v1/outbound/campaigns', 200), body)).toBeNull();
    expect(body).toMatchObject({ page: 0, page_size: 2, total_pages: 2, total_count: 3 });
  });

  it('answers 404 for an unknown batch and 401 for a wrong key', async () => {
    expect((await call('syllable', 'GET', `${BATCHES}/nope`)).status).toBe(404);
    expect((await call('syllable', 'GET', BATCHES, undefined, 'wrong')).status).toBe(401);
  });
});

describe('Bolna simulator', () => {
  const batchIds: string[] = [];

  it('GET /batches/{agent_id}/all matches Batch[] for every agent', async () => {
    const validate = bolna.validator('GET', '/batches/{agent_id}/all', 200);
    for (const agentId of sims.bolna.agentIds) {
      const { status, body } = await call('bolna', 'GET', `/batches/${agentId}/all`);
      expect(status).toBe(200);
      expect(bolna.check(validate, body)).toBeNull();
      batchIds.push(...(body as Array<{ batch_id: string }>).map((b) => b.batch_id));
    }
    expect(batchIds.length).toBeGreaterThanOrEqual(10);
  });

  it('GET /batches/{id} and /executions match Batch and AgentExecution[] for every batch', async () => {
    const one = bolna.validator('GET', '/batches/{batch_id}', 200);
    const executions = bolna.validator('GET', '/batches/{batch_id}/executions', 200);
    const single = bolna.validator('GET', '/executions/{execution_id}', 200);
    for (const id of batchIds) {
      const batch = await call('bolna', 'GET', `/batches/${id}`);
      expect(bolna.check(one, batch.body), id).toBeNull();
      const list = await call('bolna', 'GET', `/batches/${id}/executions`);
      expect(bolna.check(executions, list.body), id).toBeNull();
      const first = (list.body as Array<{ id: string }>)[0];
      if (first) expect(bolna.check(single, (await call('bolna', 'GET', `/executions/${first.id}`)).body)).toBeNull();
    }
  });

  it('POST /batches/{id}/schedule takes a multipart form; its answers look like the documented examples', async () => {
    const all = await Promise.all(sims.bolna.agentIds.map(async (agentId) => (await call('bolna', 'GET', `/batches/${agentId}/all`)).body as Array<{ batch_id: string; status: string }>));
    const created = all.flat().find((b) => b.status === 'created')!;
    const at = `${new Date(Date.now() + 3_600_000).toISOString().slice(0, 19)}+00:00`;
    const ok = await call('bolna', 'POST', `/batches/${created.batch_id}/schedule`, multipart({ scheduled_at: at, bypass_call_guardrails: 'false' }));
    expect(ok.status).toBe(200);
    expect(bolna.checkExample('POST', '/batches/{batch_id}/schedule', 200, ok.body)).toBeNull();
    const after = await call('bolna', 'GET', `/batches/${created.batch_id}`);
    expect(bolna.check(bolna.validator('GET', '/batches/{batch_id}', 200), after.body)).toBeNull();
    expect(after.body).toMatchObject({ status: 'scheduled' });
    // Bolna's limits page: a `Z` suffix is rejected.
    const zulu = await call('bolna', 'POST', `/batches/${created.batch_id}/schedule`, multipart({ scheduled_at: new Date(Date.now() + 3_600_000).toISOString() }));
    expect(zulu.status).toBe(400);
    expect(bolna.check(bolna.validator('POST', '/batches/{batch_id}/schedule', 400), zulu.body)).toBeNull();
  });

  it('POST /batches/{id}/stop and DELETE /batches/{id} answer like their examples; stopping a batch not running is the documented 404', async () => {
    const all = await Promise.all(sims.bolna.agentIds.map(async (agentId) => (await call('bolna', 'GET', `/batches/${agentId}/all`)).body as Array<{ batch_id: string; status: string }>));
    const running = all.flat().find((b) => b.status === 'queued')!;
    const stopped = await call('bolna', 'POST', `/batches/${running.batch_id}/stop`);
    expect(stopped.status).toBe(200);
    expect(bolna.checkExample('POST', '/batches/{batch_id}/stop', 200, stopped.body)).toBeNull();
    const executions = await call('bolna', 'GET', `/batches/${running.batch_id}/executions`);
    expect(bolna.check(bolna.validator('GET', '/batches/{batch_id}/executions', 200), executions.body)).toBeNull();
    expect(bolna.check(bolna.validator('GET', '/batches/{batch_id}', 200), (await call('bolna', 'GET', `/batches/${running.batch_id}`)).body)).toBeNull();
    const again = await call('bolna', 'POST', `/batches/${running.batch_id}/stop`);
    expect(again.status).toBe(404);
    expect(bolna.checkExample('POST', '/batches/{batch_id}/stop', 404, again.body)).toBeNull();
    const deleted = await call('bolna', 'DELETE', `/batches/${running.batch_id}`);
    expect(deleted.status).toBe(200);
    expect(bolna.checkExample('DELETE', '/batches/{batch_id}', 200, deleted.body)).toBeNull();
    expect((await call('bolna', 'GET', `/batches/${running.batch_id}`)).status).toBe(404);
  });

  it('POST /batches takes a multipart form (agent, CSV, repeated caller numbers, retry_config): rows not in E.164 are dropped and counted', async () => {
    const form = new FormData();
    form.append('agent_id', sims.bolna.agentIds[0]!);
    form.append('file', new Blob(['contact_number,name\r\n+12125550101,Ada\r\n555-0102,Alan\r\n+13125550103,Grace\r\n'], { type: 'text/csv' }), 'people.csv');
    form.append('from_phone_numbers', '+15555550100');
    form.append('from_phone_numbers', '+15555550101');
    form.append('retry_config', JSON.stringify({ enabled: true, max_retries: 1, retry_intervals_minutes: [60] }));
    const created = await call('bolna', 'POST', '/batches', form);
    expect(created.status).toBe(200);
    expect(bolna.check(bolna.validator('POST', '/batches', 200), created.body)).toBeNull();
    const batch = await call('bolna', 'GET', `/batches/${(created.body as { batch_id: string }).batch_id}`);
    expect(bolna.check(bolna.validator('GET', '/batches/{batch_id}', 200), batch.body)).toBeNull();
    expect(batch.body).toMatchObject({ status: 'created', file_name: 'people.csv', valid_contacts: 2, total_contacts: 3, from_phone_numbers: ['+15555550100', '+15555550101'] });
    const noNumber = new FormData();
    noNumber.append('agent_id', sims.bolna.agentIds[0]!);
    noNumber.append('file', new Blob(['phone\r\n+12125550101\r\n'], { type: 'text/csv' }), 'bad.csv');
    const refused = await call('bolna', 'POST', '/batches', noNumber);
    expect(refused.status).toBe(400);
    expect(bolna.check(bolna.component('Error'), refused.body)).toBeNull();
    noNumber.set('agent_id', '00000000-0000-4000-8000-000000000000');
    expect((await call('bolna', 'POST', '/batches', noNumber)).status).toBe(404);
  });

  it('GET /v2/agent/{agent_id} matches AgentV2 for every agent', async () => {
    const validate = bolna.validator('GET', '/v2/agent/{agent_id}', 200);
    for (const agentId of sims.bolna.agentIds) {
      const { status, body } = await call('bolna', 'GET', `/v2/agent/${agentId}`);
      expect(status).toBe(200);
      expect(bolna.check(validate, body)).toBeNull();
      expect(body).toMatchObject({ id: agentId });
      expect(typeof (body as { agent_name?: unknown }).agent_name).toBe('string');
    }
  });

  it('GET /v2/agent/{agent_id}/executions pages a batch (1-based, at most 50) in AgentExecutionV2List, within a window of at most 7 days', async () => {
    const validate = bolna.validator('GET', '/v2/agent/{agent_id}/executions', 200);
    const agentId = sims.bolna.agentIds[0]!;
    const list = (await call('bolna', 'GET', `/batches/${agentId}/all`)).body as Array<{ batch_id: string }>;
    let batchId: string | null = null;
    let all: Array<{ id: string }> = [];
    for (const batch of list) {
      all = (await call('bolna', 'GET', `/batches/${batch.batch_id}/executions`)).body as Array<{ id: string }>;
      if (all.length > 50) {
        batchId = batch.batch_id;
        break;
      }
    }
    expect(batchId).not.toBeNull();
    const to = new Date(Date.now() + 3_600_000);
    const from = new Date(to.getTime() - 7 * 24 * 3_600_000);
    const window = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
    const seen: string[] = [];
    for (let page = 1; ; page += 1) {
      const { status, body } = await call('bolna', 'GET', `/v2/agent/${agentId}/executions?batch_id=${batchId}&page_number=${page}&page_size=50&${window}`);
      expect(status).toBe(200);
      expect(bolna.check(validate, body)).toBeNull();
      const envelope = body as { page_number: number; total: number; has_more: boolean; data: Array<{ id: string }> };
      expect(envelope.page_number).toBe(page);
      seen.push(...envelope.data.map((row) => row.id));
      if (!envelope.has_more) break;
    }
    expect(seen).toEqual(all.map((row) => row.id));
    expect((await call('bolna', 'GET', `/v2/agent/${agentId}/executions?batch_id=${batchId}&page_size=51&${window}`)).status).toBe(400);
    expect((await call('bolna', 'GET', `/v2/agent/${agentId}/executions?batch_id=${batchId}`)).status).toBe(400);
    const eightDays = `from=${encodeURIComponent(new Date(to.getTime() - 8 * 24 * 3_600_000).toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
    expect((await call('bolna', 'GET', `/v2/agent/${agentId}/executions?batch_id=${batchId}&${eightDays}`)).status).toBe(400);
  });

  it('errors: 400 and 404 bodies match Error; a bad key is 403', async () => {
    const malformed = await call('bolna', 'GET', '/batches/xyz');
    expect(malformed.status).toBe(400);
    expect(bolna.check(bolna.validator('GET', '/batches/{batch_id}', 400), malformed.body)).toBeNull();
    const unknown = await call('bolna', 'GET', `/batches/${'0'.repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect(bolna.check(bolna.component('Error'), unknown.body)).toBeNull();
    expect((await call('bolna', 'GET', `/batches/${batchIds[0]}`, undefined, 'wrong')).status).toBe(403);
  });
});

describe('the validator itself', () => {
  it('rejects a shape the contract forbids', () => {
    const validate = syllable.validator('GET', '/api/v1/outbound/batches/{batch_id}', 200);
    expect(syllable.check(validate, { batch_id: 'x', campaign_id: 'not a number', last_updated_by: 'a' })).toMatch(/campaign_id/);
    expect(bolna.check(bolna.component('AgentExecution'), { status: 'teleported' })).toMatch(/status/);
  });
});
