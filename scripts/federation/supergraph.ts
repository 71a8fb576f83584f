import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { NOTES_TYPE_DEFS } from './notes-subgraph.js';

/** Composes outbound-graph's committed subgraph SDL with the notes subgraph, as a router's build would. */
export function composeSupergraph(urls: { outbound: string; notes: string }): { supergraphSdl: string } {
  const outboundSdl = readFileSync(new URL('../../schema/subgraph.graphql', import.meta.url), 'utf8');
  const result = composeServices([
    { name: 'outbound', url: urls.outbound, typeDefs: parse(outboundSdl) },
    { name: 'notes', url: urls.notes, typeDefs: NOTES_TYPE_DEFS },
  ]);
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  return { supergraphSdl: result.supergraphSdl };
}
