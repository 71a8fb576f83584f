import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Context } from './builder.js';
import { ForbiddenError, InvalidInputError } from '../domain/errors.js';
import { SCOPES } from '../security/auth.js';
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
  resolveReference: ({ id }, ctx) => ctx.store.reads.batch(id),
});

builder.asEntity(BatchResultRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx) => ctx.store.reads.result(id),
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
    const own = field.resolve ?? defaultFieldResolver;
    const resolve = name === '_entities' ? checkedRepresentations(own) : own;
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

/** The entity types of this subgraph, all keyed by a string `id`. */
const ENTITY_TYPES = new Set(['Batch', 'BatchResult']);

/** Why a representation cannot be resolved, or null when it can. */
function representationProblem(representation: unknown, index: number): InvalidInputError | null {
  const at = `representations[${index}]`;
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
    return new InvalidInputError(`${at} must be an object such as {"__typename": "Batch", "id": "…"}.`, 'representations');
  }
  const { __typename: typename, id } = representation as Record<string, unknown>;
  if (typeof typename !== 'string' || !ENTITY_TYPES.has(typename)) {
    return new InvalidInputError(`${at} must have a \`__typename\` of ${[...ENTITY_TYPES].join(' or ')}.`, 'representations');
  }
  if (typeof id !== 'string') return new InvalidInputError(`${at} must have a string \`id\`, the key of ${typename}.`, 'representations');
  return null;
}

/**
 * Every representation is checked before any is resolved: a malformed one is a typed error in
 * its own place, the others resolve. (Apollo's resolver starts each lookup as it walks the list
 * and throws at the first bad entry, leaving the lookups already started unawaited.)
 */
function checkedRepresentations(resolve: GraphQLFieldResolver<unknown, Context>): GraphQLFieldResolver<unknown, Context> {
  return (parent, args: { representations?: unknown }, ctx, info) => {
    const representations = Array.isArray(args.representations) ? (args.representations as unknown[]) : [];
    const problems = representations.map(representationProblem);
    if (problems.every((problem) => problem === null)) return resolve(parent, args, ctx, info);
    const valid = representations.filter((_, index) => problems[index] === null);
    const resolved = valid.length > 0 ? (resolve(parent, { ...args, representations: valid }, ctx, info) as unknown[]) : [];
    let next = 0;
    return problems.map((problem) => problem ?? resolved[next++]);
  };
}
