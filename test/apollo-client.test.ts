import { readFileSync } from 'node:fs';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, type DocumentNode } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Kind, OperationTypeNode, parse, type OperationDefinitionNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import apolloCache, { typePolicies } from '../schema/apollo-cache.js';
import { harnessPerDescribe } from './helpers/harness.js';

/**
 * A real Apollo Client (4.x, its InMemoryCache normalising by `__typename` and `id`) over HTTP and
 * graphql-ws against the real server, with the README's own operations and the one import the
 * README names (`schema/apollo-cache.ts`): error fields arrive, a mutation updates the cached
 * batch, and subscription events leave the Dashboard query answerable from the cache.
 */

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The README's operation of this name, as a document of its own. */
function readmeOperation(name: string): DocumentNode {
  for (const block of README.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const document = parse(block[1]!);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name);
    if (operation) return { kind: Kind.DOCUMENT, definitions: [operation] };
  }
  throw new Error(`the README has no operation ${name}`);
}

const DASHBOARD = readmeOperation('Dashboard');
const PAUSE = readmeOperation('Pause');
const WATCH = readmeOperation('Watch');

type Node = { __typename: 'Batch'; id: string; vendor: string; status: string; canPause: boolean; progress: { completed: number; finishedFraction: number } };
type Dashboard = { batches: { edges: Array<{ node: Node }> } };
type Event = { batchProgress: { batch: { id: string; progress: { finished: number; finishedFraction: number } } } };

describe('Apollo Client with its normalised cache', () => {
  // Running demo batches place calls as time passes, polled every 200 ms; the newest batch of each
  // vendor has 500 targets, so it runs through the test.
  const t = harnessPerDescribe({ callsPerHour: 7_200, largeBatchTargets: 500, env: { POLL_INTERVAL_MS: '200' } });
  let ws: Client;
  const clients: ApolloClient[] = [];

  /** A client as a frontend team builds one: HTTP for queries and mutations, graphql-ws for subscriptions. */
  function apollo(cache: InMemoryCache): ApolloClient {
    const http = new HttpLink({ uri: t.h.graphqlUrl });
    const subscriptions = new GraphQLWsLink(ws);
    const link = ApolloLink.split(({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.SUBSCRIPTION;
    }, subscriptions, http);
    const client = new ApolloClient({ link, cache });
    clients.push(client);
    return client;
  }

  beforeAll(() => {
    ws = createClient({ url: t.h.graphqlUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
  });
  afterAll(async () => {
    for (const client of clients) client.stop();
    await ws?.dispose();
  });

  /** Events of the README's Watch subscription until `count` have come. */
  function watch(client: ApolloClient, id: string, count: number): Promise<Event[]> {
    return new Promise((resolve, reject) => {
      const events: Event[] = [];
      const subscription = client.subscribe<Event>({ query: WATCH, variables: { id } }).subscribe({
        next: (result) => {
          if (result.error) return reject(result.error instanceof Error ? result.error : new Error(JSON.stringify(result.error)));
          events.push(result.data as Event);
          if (events.length === count) {
            subscription.unsubscribe();
            resolve(events);
          }
        },
        error: reject,
        complete: () => reject(new Error(`the subscription completed after ${events.length} events`)),
      });
    });
  }

  it('the README Dashboard, Pause with its error branch, then Watch events: the cache answers the Dashboard with the new values', async () => {
    const client = apollo(new InMemoryCache({ possibleTypes: apolloCache.possibleTypes, typePolicies }));
    const first = await client.query<Dashboard>({ query: DASHBOARD });
    const nodes = first.data!.batches.edges.map((e) => e.node);
    const pausable = nodes.filter((n) => n.vendor === 'SYLLABLE' && n.canPause && n.status === 'ACTIVE');
    const bolna = nodes.find((n) => n.vendor === 'BOLNA')!;
    expect(pausable.length).toBeGreaterThanOrEqual(2);
    // The newest Syllable batch (500 targets) is watched; another is paused.
    const [watched, paused] = pausable as [Node, Node];

    // The error branch: `... on Error { code message }` needs to know UnsupportedOperationError implements Error.
    const refused = await client.mutate<{ pauseBatch: Record<string, unknown> }>({ mutation: PAUSE, variables: { id: bolna.id } });
    expect(refused.data!.pauseBatch).toMatchObject({ __typename: 'UnsupportedOperationError', code: 'UNSUPPORTED_OPERATION' });
    expect(refused.data!.pauseBatch.message).toMatch(/Bolna batches cannot be paused/);

    // A pause: the batch's new state reaches the Dashboard's cached batch.
    const pause = await client.mutate<{ pauseBatch: { __typename: string } }>({ mutation: PAUSE, variables: { id: paused.id } });
    expect(pause.data!.pauseBatch.__typename).toBe('BatchMutationSuccess');
    const afterPause = client.readQuery<Dashboard>({ query: DASHBOARD });
    expect(afterPause!.batches.edges.find((e) => e.node.id === paused.id)!.node).toMatchObject({ status: 'PAUSED', canPause: false });

    // Events of another batch: its progress object is merged, not replaced, so the Dashboard still reads.
    const events = await watch(client, watched.id, 3);
    const last = events.at(-1)!.batchProgress.batch;
    expect(last.progress.finished).toBeGreaterThan(events[0]!.batchProgress.batch.progress.finished);
    const afterEvents = client.readQuery<Dashboard>({ query: DASHBOARD });
    expect(afterEvents).not.toBeNull();
    expect(afterEvents!.batches.edges.find((e) => e.node.id === watched.id)!.node.progress.finishedFraction).toBe(last.progress.finishedFraction);
  }, 60_000);

  it('without the import, the same steps lose data: the error fields and the Dashboard after an event (what the import is for)', async () => {
    const client = apollo(new InMemoryCache());
    const first = await client.query<Dashboard>({ query: DASHBOARD });
    const nodes = first.data!.batches.edges.map((e) => e.node);
    const bolna = nodes.find((n) => n.vendor === 'BOLNA')!;
    const refused = await client.mutate<{ pauseBatch: Record<string, unknown> }>({ mutation: PAUSE, variables: { id: bolna.id } });
    expect(refused.data!.pauseBatch.code).toBeUndefined();
    const running = nodes.find((n) => n.vendor === 'BOLNA' && n.status === 'ACTIVE')!;
    await watch(client, running.id, 2);
    expect(client.readQuery<Dashboard>({ query: DASHBOARD })).toBeNull();
  }, 60_000);
});
