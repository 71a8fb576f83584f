import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataOf, startHarness, type GraphQLResponse, type Harness } from './helpers/harness.js';
import { subscribeSse } from './helpers/sse.js';
import { allBolnaBatches, allSyllableBatches, vendorGet } from './helpers/vendor-raw.js';
import { startNotesSubgraph, type NotesSubgraph } from '../scripts/federation/notes-subgraph.js';
import { composeSupergraph } from '../scripts/federation/supergraph.js';

/** Hive Gateway on a free port of 127.0.0.1, serving `runtime`. */
async function startGateway(runtime: (req: IncomingMessage, res: ServerResponse) => unknown): Promise<{ gateway: Server; gatewayUrl: string }> {
  const gateway = createServer((req, res) => void runtime(req, res));
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  return { gateway, gatewayUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/graphql` };
}

async function stopGateway(gateway: Server): Promise<void> {
  gateway.closeAllConnections();
  await new Promise<void>((resolve) => gateway.close(() => resolve()));
}

/**
 * outbound-graph as an Apollo Federation 2 subgraph, checked with the ecosystem's own tools:
 * @apollo/composition composes it with a second subgraph, and Hive Gateway serves the result.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

describe('composition', () => {
  it('composes with a subgraph that extends Batch, into the committed supergraph', async () => {
    const { supergraphSdl } = composeSupergraph({ outbound: 'http://outbound-graph.internal/graphql', notes: 'http://notes.internal/graphql' });
    expect(supergraphSdl).toContain('notes: [Note!]! @join__field(graph: NOTES)');
    expect(supergraphSdl).toContain('@join__type(graph: OUTBOUND, key: "id")');
    await expect(supergraphSdl).toMatchFileSnapshot('./federation/__snapshots__/supergraph.graphql');
  });

  it('_service.sdl is the committed subgraph SDL', async () => {
    const response = await h.gql<{ _service: { sdl: string } }, Record<string, never>>('{ _service { sdl } }');
    expect(dataOf(response)._service.sdl).toBe(readFileSync(new URL('../schema/subgraph.graphql', import.meta.url), 'utf8'));
  });
});

describe('through Hive Gateway', () => {
  let notes: NotesSubgraph;
  let gateway: Server;
  let gatewayUrl: string;
  let syllableIds: string[];
  let bolnaId: string;

  beforeAll(async () => {
    const syllable = await allSyllableBatches(h.simulators);
    // Small batches keep the expected numbers readable; the counts do not depend on size.
    const small: string[] = [];
    for (const batch of syllable) {
      const rows = (await vendorGet(h.simulators, 'syllable', `/api/v1/outbound/batches/${batch.batch_id}/results`)) as unknown[];
      if (rows.length > 0 && rows.length <= 60) small.push(`syllable:${batch.batch_id}`);
    }
    syllableIds = small.slice(0, 2);
    bolnaId = `bolna:${(await allBolnaBatches(h.simulators)).find((b) => Number(b.valid_contacts) <= 60 && b.status === 'executed')!.batch_id}`;
    notes = await startNotesSubgraph([
      { batchId: syllableIds[0]!, text: 'Call list approved by legal' },
      { batchId: syllableIds[1]!, text: 'Pause over the holidays' },
      { batchId: bolnaId, text: 'Agent prompt v3' },
      { batchId: syllableIds[0]!, text: 'Second note on the first batch' },
    ]);
    const { supergraphSdl } = composeSupergraph({ outbound: h.graphqlUrl, notes: notes.url });
    ({ gateway, gatewayUrl } = await startGateway(createGatewayRuntime({ supergraph: supergraphSdl, logging: false })));
  });
  afterAll(async () => {
    await stopGateway(gateway);
    await notes.close();
  });

  async function viaGateway<T>(query: string): Promise<GraphQLResponse<T>> {
    const response = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return (await response.json()) as GraphQLResponse<T>;
  }

  interface NotesData {
    notes: Array<{
      text: string;
      batch: {
        id: string;
        vendor: string;
        statusCounts: Array<{ vendorStatus: string; count: number }>;
        results: { totalCount: number; edges: Array<{ node: { id: string; status: string } }> };
        notes: Array<{ id: string }>;
      };
    }>;
  }

  it('a query from the notes subgraph crosses into Batch.statusCounts and Batch.results with one read per vendor resource', async () => {
    const data = dataOf(
      await viaGateway<NotesData>(`{
        notes {
          text
          batch {
            id
            vendor
            statusCounts { vendorStatus count }
            results(first: 2) { totalCount edges { node { id status } } }
            notes { id }
          }
        }
      }`),
    );
    expect(data.notes.map((n) => n.batch.id)).toEqual([syllableIds[0], syllableIds[1], bolnaId, syllableIds[0]]);
    expect(data.notes[0]!.batch.notes.map((n) => n.id)).toEqual(['note-1', 'note-4']);

    // The same data as asking outbound-graph directly.
    for (const note of data.notes) {
      const direct = dataOf(
        await h.gql<{ batch: { statusCounts: unknown; results: unknown } }, { id: string }>(
          `query($id: ID!) { batch(id: $id) { statusCounts { vendorStatus count } results(first: 2) { totalCount edges { node { id status } } } } }`,
          { id: note.batch.id },
        ),
      );
      expect({ statusCounts: note.batch.statusCounts, results: note.batch.results }).toEqual(direct.batch);
      expect(note.batch.results.edges).toHaveLength(2);
    }
  });

  it('makes exactly the vendor calls the loaders promise', async () => {
    dataOf(await viaGateway<NotesData>(`{ notes { batch { id status statusCounts { count } progress { finishedFraction } results(first: 2) { totalCount } } } }`));
    // Three distinct batches behind four notes: per Syllable batch one read and one results read;
    // for the Bolna batch one read and one executions read. No list reads.
    expect(await h.calls()).toEqual({
      syllable: { 'GET /api/v1/outbound/batches/{batch_id}': 2, 'GET /api/v1/outbound/batches/{batch_id}/results': 2 },
      bolna: { 'GET /batches/{batch_id}': 1, 'GET /batches/{batch_id}/executions': 1 },
    });
  });
});

describe('_entities', () => {
  // Vendor latency makes concurrent reads observable on the simulator's in-flight counter.
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ latencyMs: 20 });
  });
  afterAll(() => h.close());

  it('resolves 100 representations with one vendor read per distinct batch, keeping order; unknown and malformed ids are null with errors', async () => {
    const [syllable, bolna] = await Promise.all([allSyllableBatches(h.simulators), allBolnaBatches(h.simulators)]);
    const known = [...syllable.map((b) => `syllable:${b.batch_id}`), ...bolna.map((b) => `bolna:${b.batch_id}`)];
    const unknown = ['syllable:19990101.1', 'syllable:19990101.2', `bolna:${'f'.repeat(32)}`];
    const malformed = ['bolna:short', 'nonsense'];
    const ids: string[] = [];
    for (let i = 0; ids.length < 100; i += 1) {
      if (i % 20 === 7) ids.push(unknown[(i / 20) % unknown.length | 0]!);
      else if (i % 25 === 11) ids.push(malformed[(i / 25) % malformed.length | 0]!);
      else ids.push(known[i % known.length]!);
    }
    const distinctKnown = new Set(ids.filter((id) => known.includes(id)));
    const distinctUnknown = new Set(ids.filter((id) => unknown.includes(id)));
    expect(new Set(ids).size).toBeLessThan(100);
    await h.reset();

    const response = await h.gql<{ _entities: Array<{ __typename: string; id: string; status: string } | null> }, { reps: unknown[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { __typename ... on Batch { id status } } }`,
      { reps: ids.map((id) => ({ __typename: 'Batch', id })) },
    );
    const entities = response.data!._entities;
    expect(entities).toHaveLength(100);
    ids.forEach((id, i) => {
      if (known.includes(id)) expect(entities[i]).toMatchObject({ __typename: 'Batch', id });
      else expect(entities[i], id).toBeNull();
    });
    const errors = response.errors ?? [];
    const failedPositions = ids.flatMap((id, i) => (known.includes(id) ? [] : [i]));
    expect(errors.map((e) => e.path?.[1]).sort((a, b) => Number(a) - Number(b))).toEqual(failedPositions);
    for (const error of errors) {
      const id = ids[Number(error.path?.[1])]!;
      expect(error.extensions?.code).toBe(malformed.includes(id) ? 'INVALID_INPUT' : 'NOT_FOUND');
    }

    // One read per distinct batch the vendors may know; none for malformed ids; all at once.
    const calls = await h.calls();
    const syllableReads = [...distinctKnown, ...distinctUnknown].filter((id) => id.startsWith('syllable:')).length;
    const bolnaReads = [...distinctKnown, ...distinctUnknown].filter((id) => id.startsWith('bolna:')).length;
    expect(calls).toEqual({ syllable: { 'GET /api/v1/outbound/batches/{batch_id}': syllableReads }, bolna: { 'GET /batches/{batch_id}': bolnaReads } });
    expect((await h.stats('syllable')).maxInFlight).toBeGreaterThan(1);
  });

  it('resolves BatchResult references', async () => {
    const batch = (await allBolnaBatches(h.simulators)).find((b) => Number(b.valid_contacts) > 0)!;
    const executions = (await vendorGet(h.simulators, 'bolna', `/batches/${batch.batch_id}/executions`)) as Array<{ id: string; status: string }>;
    const id = `bolna:${batch.batch_id}:${executions[0]!.id}`;
    const response = await h.gql<{ _entities: Array<{ id: string; vendorStatus: string } | null> }, { reps: unknown[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on BatchResult { id vendorStatus } } }`,
      { reps: [{ __typename: 'BatchResult', id }, { __typename: 'BatchResult', id: `bolna:${batch.batch_id}:missing` }] },
    );
    expect(response.data?._entities).toEqual([{ id, vendorStatus: executions[0]!.status }, null]);
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('a subscription through Hive Gateway', () => {
  const ROUTER_SECRET = 'router-secret-for-subscriptions';
  let live: Harness;
  let gateway: Server;
  let gatewayUrl: string;
  beforeAll(async () => {
    // Running batches place calls as time passes, polled every 200 ms.
    live = await startHarness({ callsPerHour: 7_200, env: { ROUTER_SECRET, POLL_INTERVAL_MS: '200' } });
    const notes = await startNotesSubgraph([]);
    const { supergraphSdl } = composeSupergraph({ outbound: live.graphqlUrl, notes: notes.url });
    await notes.close();
    ({ gateway, gatewayUrl } = await startGateway(
      createGatewayRuntime({
        supergraph: supergraphSdl,
        logging: false,
        // As deploy/gateway.config.ts: the router's secret on every subgraph request.
        propagateHeaders: { fromClientToSubgraphs: () => ({ 'router-authorization': `Bearer ${ROUTER_SECRET}` }) },
      }),
    ));
  });
  afterAll(async () => {
    await stopGateway(gateway);
    await live.close();
  });

  it('gets the batch at once, then its changes, as a client of the gateway', async () => {
    const listed = dataOf(await live.gql<{ batches: { edges: Array<{ node: { id: string; progress: { pending: number } } }> } }, Record<string, never>>('{ batches(first: 100, vendor: SYLLABLE, status: ACTIVE) { edges { node { id progress { pending } } } } }', {}));
    const id = listed.batches.edges.find((e) => e.node.progress.pending > 20)!.node.id;
    const subscription = await subscribeSse(gatewayUrl, 'subscription($id: ID!) { batchProgress(id: $id) { changed batch { id progress { finished } } } }', { id });
    const events: Array<{ changed: string[]; batch: { id: string; progress: { finished: number } } }> = [];
    for (let i = 0; i < 3; i += 1) {
      const message = await subscription.next(15_000);
      expect(message?.errors, JSON.stringify(message)).toBeUndefined();
      events.push((message!.data as { batchProgress: (typeof events)[number] }).batchProgress);
    }
    subscription.close();
    expect(events.every((event) => event.batch.id === id)).toBe(true);
    expect(events[0]!.changed).toEqual([]);
    expect(events[2]!.batch.progress.finished).toBeGreaterThan(events[0]!.batch.progress.finished);
  }, 60_000);
});
