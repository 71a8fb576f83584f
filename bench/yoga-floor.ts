/**
 * The benchmark's second floor: a bare graphql-yoga server (its defaults, no plugins of ours, a
 * schema of the few types the scenarios select) whose resolvers make the same undici vendor calls
 * as the API, with the project's own mappers, one call per batch per request however many aliases
 * ask. Beside the plain floor (bench/floor.ts), it shows what our own pipeline adds on top of yoga.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { Pool } from 'undici';
import { resultCursors } from '../src/domain/cursors.js';
import type { BatchRecord, ResultRecord } from '../src/domain/model.js';
import { progressTotals } from '../src/domain/status.js';
import { toBatchRecord, toResultRecord } from '../src/vendors/syllable/map.js';
import { asObject, mapObjects } from '../src/vendors/json-reader.js';

const env = process.env;
const syllable = new Pool(env.SYLLABLE_BASE_URL!, { connections: 32 });
const headers = { 'syllable-api-key': env.SYLLABLE_API_KEY!, accept: 'application/json' };
const BATCHES = '/api/v1/outbound/batches';

async function getJson(path: string): Promise<unknown> {
  const response = await syllable.request({ method: 'GET', path, headers });
  return response.body.json();
}

/** One request's reads: each batch and each batch's results read once, as the API's loaders do. */
interface Context {
  readonly batches: Map<string, Promise<BatchRecord>>;
  readonly results: Map<string, Promise<ResultRecord[]>>;
}

const once = <T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> => {
  let found = cache.get(key);
  if (!found) cache.set(key, (found = read()));
  return found;
};

const schema = createSchema<Context>({
  typeDefs: /* GraphQL */ `
    type Query {
      batch(id: ID!): Batch
    }
    type Batch {
      id: ID!
      status: String!
      totalCount: Int!
      statusCounts: [StatusCount!]!
      progress: Progress!
      results(first: Int, after: String): ResultConnection
    }
    type StatusCount {
      vendorStatus: String!
      count: Int!
    }
    type Progress {
      completed: Int!
      notReached: Int!
      failed: Int!
      finishedFraction: Float!
    }
    type ResultConnection {
      totalCount: Int!
      edges: [ResultEdge!]!
    }
    type ResultEdge {
      cursor: String!
      node: Result!
    }
    type Result {
      id: ID!
      referenceId: String!
      target: String
      status: String!
      vendorStatus: String!
    }
  `,
  resolvers: {
    Query: {
      batch: (_root, { id }: { id: string }, context) => {
        const batchId = id.slice('syllable:'.length);
        return once(context.batches, batchId, async () => toBatchRecord(asObject(await getJson(`${BATCHES}/${encodeURIComponent(batchId)}`))!, true, Date.now())!);
      },
    },
    Batch: {
      id: (batch: BatchRecord) => `${batch.vendor}:${batch.vendorBatchId}`,
      totalCount: (batch: BatchRecord) => (batch.statusCounts ?? []).reduce((sum, count) => sum + count.count, 0),
      statusCounts: (batch: BatchRecord) => batch.statusCounts ?? [],
      progress: (batch: BatchRecord) => {
        const totals = progressTotals(batch.statusCounts ?? []);
        return { completed: totals.COMPLETED, notReached: totals.NOT_REACHED, failed: totals.FAILED, finishedFraction: totals.total === 0 ? 0 : totals.finished / totals.total };
      },
      results: async (batch: BatchRecord, { first }: { first?: number | null }, context) => {
        const rows = await once(context.results, batch.vendorBatchId, async () =>
          mapObjects(await getJson(`${BATCHES}/${encodeURIComponent(batch.vendorBatchId)}/results`), (raw) => toResultRecord(batch.vendorBatchId, raw)),
        );
        const page = rows.slice(0, first ?? 100);
        return { totalCount: rows.length, edges: page.map((row, i) => ({ cursor: resultCursors.cursorOf(row, i), node: row })) };
      },
    },
    Result: {
      id: (row: ResultRecord) => `syllable:${row.vendorBatchId}:${row.referenceId}`,
    },
  },
});

const yoga = createYoga<object, Context>({ schema, context: () => ({ batches: new Map(), results: new Map() }), logging: false, landingPage: false, graphiql: false });
// yoga as node:http takes it; its promise is yoga's to settle.
const server = createServer((req, res) => void yoga.handle(req, res, {}));
server.listen(Number(env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`yoga floor at http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql\n`);
});
process.once('SIGTERM', () => {
  server.close();
  void syllable.close().then(() => process.exit(0));
});
