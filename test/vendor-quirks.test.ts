import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { createLogger, lineDestination, silentLogger } from '../src/logger.js';
import { startServer } from '../src/server/server.js';
import { startSimulators, type RunningSimulators } from '../src/simulators/index.js';
import { BatchDetailDocument, BatchPageDocument, BatchResultsDocument, PauseBatchDocument } from './generated/graphql.js';
import { dataOf, startHarness, type Harness } from './helpers/harness.js';
import { allBolnaBatches, allSyllableBatches } from './helpers/vendor-raw.js';

/** What the vendors' documents say they may send, including the shapes they no longer document. */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const LEGACY_ID = '20250401.3';
const legacyBatch = {
  // The 2025-04 full `CommunicationBatch` that older docs still show for GET and PUT.
  batch_id: LEGACY_ID,
  campaign_id: 7,
  expires_on: '2030-01-01T00:00:00Z',
  status: 'IDLE',
  count: 42,
  created_at: '2025-04-01T08:00:00Z',
  deleted_at: null,
  deleted_reason: null,
  last_worked_on: '2025-04-02T09:30:00+02:00',
  last_updated_by: 'someone@example.com',
};

describe('Syllable shapes', () => {
  it('reads the older full-object batch shape without failing', async () => {
    await h.override('syllable', { method: 'GET', path: `/api/v1/outbound/batches/${LEGACY_ID}`, status: 200, body: legacyBatch });
    const response = await h.gql(BatchDetailDocument, { id: `syllable:${LEGACY_ID}` });
    expect(response.errors).toBeUndefined();
    expect(response.data?.batch).toMatchObject({
      status: 'UNKNOWN',
      vendorStatus: 'IDLE',
      paused: false,
      totalCount: 42,
      updatedAt: '2025-04-02T07:30:00.000Z',
      statusCounts: [],
    });
  });

  it('accepts the older shape as a PUT answer, while sending only the change', async () => {
    const target = (await allSyllableBatches(h.simulators)).find((b) => b.status === 'PENDING')!;
    await h.override('syllable', {
      method: 'PUT',
      path: `/api/v1/outbound/batches/${target.batch_id}`,
      status: 200,
      body: { ...legacyBatch, batch_id: target.batch_id, status: 'PAUSED' },
      times: 1,
    });
    const { pauseBatch } = dataOf(await h.gql(PauseBatchDocument, { id: `syllable:${target.batch_id}` }));
    expect(pauseBatch).toMatchObject({ __typename: 'BatchMutationSuccess', batch: { status: 'PAUSED', paused: true, vendorStatus: 'PAUSED' } });
    const puts = (await h.requests('syllable')).filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.body)).toEqual([{ paused: true }]);
  });

  it('passes unknown request and channel statuses through raw, normalised as UNKNOWN', async () => {
    const target = (await allSyllableBatches(h.simulators))[0]!;
    const base = `/api/v1/outbound/batches/${target.batch_id}`;
    await h.override('syllable', {
      method: 'GET',
      path: base,
      status: 200,
      body: { batch_id: target.batch_id, campaign_id: 1, last_updated_by: 'x', status: 'ARCHIVED', status_counts: { VOICEMAIL_LEFT: 3, COMPLETED: 1 }, brand_new_field: { nested: true } },
    });
    await h.override('syllable', {
      method: 'GET',
      path: `${base}/results`,
      status: 200,
      body: [
        { reference_id: 'r1', target: '+15125550100', request_variables: {}, request_status: 'VOICEMAIL_LEFT', channel_manager_status: 'CARRIER_NEW_THING' },
        { reference_id: 'r2', target: '+15125550101', request_variables: {}, request_status: 'CONNECTED', channel_manager_status: 'NO-ANSWER' },
        { target: 'row without its required reference_id', request_variables: {} },
      ],
    });
    const batch = dataOf(await h.gql(BatchDetailDocument, { id: `syllable:${target.batch_id}` })).batch!;
    expect(batch).toMatchObject({ status: 'UNKNOWN', vendorStatus: 'ARCHIVED', totalCount: 4 });
    expect(batch.progress).toMatchObject({ unknown: 3, completed: 1, total: 4 });
    const answer = await h.gql(BatchResultsDocument, { id: `syllable:${target.batch_id}` });
    const results = answer.data!.batch!.results!;
    expect(results.edges.map((e) => [e.node.status, e.node.vendorStatus, e.node.channelStatus])).toEqual([
      ['UNKNOWN', 'VOICEMAIL_LEFT', 'CARRIER_NEW_THING'],
      ['NOT_REACHED', 'CONNECTED', 'NO-ANSWER'],
    ]);
    // The row without its id is not dropped quietly: it is counted, and named in an error.
    expect(results.totalCount).toBe(3);
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]).toMatchObject({ path: ['batch', 'results'], extensions: { code: 'VENDOR_BAD_RESPONSE', vendor: 'syllable', unreadable: 1 } });
    expect(answer.errors![0]!.message).toMatch(/^Syllable sent 1 of its results .* without an id/);
  });

  it('an unreadable timestamp is an error on that field only', async () => {
    const target = (await allSyllableBatches(h.simulators))[1]!;
    await h.override('syllable', {
      method: 'GET',
      path: `/api/v1/outbound/batches/${target.batch_id}`,
      status: 200,
      body: { batch_id: target.batch_id, campaign_id: 1, last_updated_by: 'x', status: 'ACTIVE', created_at: '2024-02-29T04:22:89Z' },
    });
    const response = await h.gql(BatchDetailDocument, { id: `syllable:${target.batch_id}` });
    expect(response.data?.batch).toMatchObject({ status: 'ACTIVE', createdAt: null });
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]).toMatchObject({ path: ['batch', 'createdAt'], extensions: { code: 'VENDOR_BAD_RESPONSE', vendor: 'syllable' } });
  });
});

describe('Bolna shapes', () => {
  it('reads a batch with only its id, and unknown execution statuses raw', async () => {
    const id = 'a'.repeat(32);
    await h.override('bolna', { method: 'GET', path: `/batches/${id}`, status: 200, body: { batch_id: id, execution_status: { completed: 2, 'answered-elsewhere': 1 } } });
    const batch = dataOf(await h.gql(BatchDetailDocument, { id: `bolna:${id}` })).batch!;
    expect(batch).toMatchObject({ vendorStatus: 'created', status: 'PENDING', createdAt: null, totalCount: 3 });
    expect(batch.statusCounts.find((c) => c.vendorStatus === 'answered-elsewhere')?.status).toBe('UNKNOWN');
  });

  it('reads the older execution field names (conversation_time, integer ids)', async () => {
    const raw = (await allBolnaBatches(h.simulators))[0]!;
    await h.override('bolna', {
      method: 'GET',
      path: `/batches/${raw.batch_id}/executions`,
      status: 200,
      body: [{ id: 12345, batch_id: raw.batch_id, status: 'completed', conversation_time: 61.5, telephony_data: { to_number: '+19075550123' } }],
    });
    const result = await h.gql(`query($id: ID!) { batch(id: $id) { results { edges { node { id referenceId durationSeconds target status } } } } }`, { id: `bolna:${raw.batch_id}` });
    expect(result.errors).toBeUndefined();
    expect(JSON.stringify(result.data)).toContain(`"id":"bolna:${raw.batch_id}:12345","referenceId":"12345","durationSeconds":61.5,"target":"+19075550123","status":"COMPLETED"`);
  });
});

describe('credentials and enabled vendors', () => {
  let sims: RunningSimulators;
  beforeAll(async () => {
    sims = await startSimulators();
  });
  afterAll(() => sims.close());

  it('a rejected key is VENDOR_AUTH, and the key appears in no response or log line', async () => {
    const wrongKey = 'sk-live-wrong-key-6b1f0c';
    const lines: string[] = [];
    const config = loadConfig({ PORT: '0', AUTH_DISABLED: 'true', SYLLABLE_API_KEY: wrongKey, SYLLABLE_BASE_URL: sims.syllable.url, BOLNA_API_KEY: wrongKey, BOLNA_BASE_URL: sims.bolna.url, BOLNA_AGENT_IDS: sims.bolna.agentIds.join(',') });
    const server = await startServer(config, { logger: createLogger({ level: 'debug', destination: lineDestination((line) => lines.push(line)) }) });
    try {
      const texts: string[] = [];
      for (const query of [`{ a: batch(id: "syllable:20990101.1") { id } b: batch(id: "bolna:${'b'.repeat(32)}") { id } }`, `{ batches { totalCount } }`]) {
        const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        texts.push(await response.text());
      }
      const errors = texts.flatMap((text) => (JSON.parse(text) as { errors: Array<{ extensions: { code: string }; message: string }> }).errors);
      expect(errors.map((e) => e.extensions.code)).toEqual(['VENDOR_AUTH', 'VENDOR_AUTH', 'VENDOR_AUTH']);
      expect(errors[0]!.message).toMatch(/check the credentials for (Syllable|Bolna)/);
      for (const text of texts) expect(text).not.toContain(wrongKey);
      expect(lines.join('\n')).not.toContain(wrongKey);
    } finally {
      await server.close();
    }
  });

  it('with only a Syllable key, only Syllable is enabled, and the log says so', async () => {
    const lines: string[] = [];
    const config = loadConfig({ PORT: '0', AUTH_DISABLED: 'true', SYLLABLE_API_KEY: sims.syllable.apiKey, SYLLABLE_BASE_URL: sims.syllable.url });
    const server = await startServer(config, { logger: createLogger({ level: 'debug', destination: lineDestination((line) => lines.push(line)) }) });
    try {
      expect(lines.join('\n')).toMatch(/vendors enabled: Syllable/);
      expect(lines.join('\n')).toMatch(/Bolna disabled/);
      const post = (query: string) =>
        fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }).then(
          (r) => r.json() as Promise<{ data: { batches?: { edges: Array<{ node: { vendor: string } }> } }; errors?: Array<{ message: string; extensions: { code: string } }> }>,
        );
      const list = await post(`{ batches(first: 100) { edges { node { vendor } } } }`);
      expect(new Set(list.data.batches!.edges.map((e) => e.node.vendor))).toEqual(new Set(['SYLLABLE']));
      const bolna = await post(`{ batch(id: "bolna:${'c'.repeat(32)}") { id } }`);
      expect(bolna.errors?.[0]).toMatchObject({ extensions: { code: 'INVALID_INPUT' } });
      expect(bolna.errors?.[0]?.message).toMatch(/Bolna is not enabled/);
    } finally {
      await server.close();
    }
  });

  it('lists batches through BatchPage with real credentials exactly as in demo mode', async () => {
    const config = loadConfig({ PORT: '0', AUTH_DISABLED: 'true', SYLLABLE_API_KEY: sims.syllable.apiKey, SYLLABLE_BASE_URL: sims.syllable.url, BOLNA_API_KEY: sims.bolna.apiKey, BOLNA_BASE_URL: sims.bolna.url, BOLNA_AGENT_IDS: sims.bolna.agentIds.join(',') });
    const server = await startServer(config, { logger: silentLogger });
    try {
      const demo = dataOf(await h.gql(BatchPageDocument, { first: 100, withCounts: false }));
      const response = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ batches(first: 100) { totalCount } }` }),
      });
      const body = (await response.json()) as { data: { batches: { totalCount: number } } };
      expect(body.data.batches.totalCount).toBe(demo.batches.totalCount);
    } finally {
      await server.close();
    }
  });
});
