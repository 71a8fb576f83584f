import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

/**
 * A small second subgraph, for the federation tests and `npm run fleet`: campaign notes that people attach to batches. It knows batches
 * only by id, adds `Batch.notes`, and lets queries start here and cross into outbound-graph.
 */

export const NOTES_TYPE_DEFS = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  "A note a person left on a batch."
  type Note {
    id: ID!
    text: String!
    author: String!
    batch: Batch!
  }

  "A batch of outbound-graph, known here only by its id."
  type Batch @key(fields: "id") {
    id: ID!
    "Notes left on this batch."
    notes: [Note!]!
  }

  type Query {
    "Every note, oldest first."
    notes: [Note!]!
  }
`);

export interface NoteInput {
  readonly batchId: string;
  readonly text: string;
}

export interface NotesSubgraph {
  readonly url: string;
  close(): Promise<void>;
}

export async function startNotesSubgraph(notes: readonly NoteInput[]): Promise<NotesSubgraph> {
  const stored = notes.map((note, i) => ({ id: `note-${i + 1}`, text: note.text, author: 'qa@example.com', batchId: note.batchId }));
  const schema = buildSubgraphSchema({
    typeDefs: NOTES_TYPE_DEFS,
    resolvers: {
      Query: { notes: () => stored },
      Note: { batch: (note: (typeof stored)[number]) => ({ id: note.batchId }) },
      Batch: {
        __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
        notes: (batch: { id: string }) => stored.filter((note) => note.batchId === batch.id),
      },
    },
  });
  const yoga = createYoga({ schema, graphqlEndpoint: '/graphql', logging: false, graphiql: false });
  const server = createServer((req, res) => void yoga(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
