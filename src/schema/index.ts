import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './vendor.js';
import './error.js';
import './status-count.js';
import './batch-result.js';
import './parents.js';
import './batch.js';
import './batch-controls.js';
import './target-validation.js';
import './launch.js';
import './batch-targets.js';
import './live.js';
import './node.js';
import './access.js';
import { guardFederationFields } from './federation.js';
import { guardTypeReads } from './read-guard.js';

/** The public contract, as frontends read it: no federation plumbing. */
export function buildSchema(): GraphQLSchema {
  return guardTypeReads(builder.toSchema({ sortSchema: true }));
}

/** The schema the server runs: the public one plus `_service` and `_entities` for a federation router. */
export function buildSubgraphSchema(): GraphQLSchema {
  // The federation guard outermost: who may call `_entities` at all is checked before what it reads.
  return guardFederationFields(
    guardTypeReads(
      builder.toSubGraphSchema({
        linkUrl: 'https://specs.apollo.dev/federation/v2.6',
        federationDirectives: ['@key', '@shareable'],
        sortSchema: true,
      }),
    ),
  );
}
