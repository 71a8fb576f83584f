import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import type { Context } from '../context.js';
import { ForbiddenError, SCOPES } from '../security/auth.js';
import { grantsOf, missingScope } from '../security/grants.js';
import type { ListArgumentLimit } from '../security/operation-plan.js';
import { BatchRef } from './batch.js';
import { BatchResultRef } from './batch-result.js';
import { builder } from './builder.js';

/**
 * Apollo Federation 2 entities. A router resolves `Batch` and `BatchResult` references by id
 * through `_entities`; each goes through the request's loaders, so a hundred representations cost
 * one vendor read per distinct batch, made at once. An unknown or malformed id rejects its own
 * entry only: it comes back as null with an error, the others are unaffected.
 */

builder.asEntity(BatchRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx) => ctx.batches.batch(id),
});

builder.asEntity(BatchResultRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx) => ctx.batches.result(id),
});

/**
 * `_service` and `_entities` are added by the federation plugin after the schema is built, so
 * no `authScopes` reaches them: they are guarded here. Both answer only the router (its shared
 * secret) or a caller with a valid token; `_entities` also needs `batches:read`, checked before
 * any representation is resolved, so a refused call reads no vendor. `_entities` takes at most
 * MAX_ENTITY_REPRESENTATIONS representations (checked with the operation's plan).
 */
export function guardFederationFields(schema: GraphQLSchema): GraphQLSchema {
  const fields = schema.getQueryType()?.getFields() ?? {};
  for (const name of ['_service', '_entities'] as const) {
    const field = fields[name];
    if (!field) continue;
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (parent, args, ctx: Context, info) => {
      const grants = grantsOf(ctx.caller);
      if (!grants.federation) throw new ForbiddenError(`Only the federation router or a caller with a valid token may call \`${name}\`.`);
      if (name === '_entities' && !grants.batchesRead) throw missingScope(SCOPES.read);
      return resolve(parent, args, ctx, info);
    };
  }
  const entities = fields._entities;
  if (entities) {
    const listArgument: ListArgumentLimit = { argument: 'representations', limit: 'maxEntityRepresentations' };
    (entities as { extensions: object }).extensions = { ...entities.extensions, listArgument };
  }
  return schema;
}
