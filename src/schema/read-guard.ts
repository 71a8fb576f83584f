import { defaultFieldResolver, isAbstractType, isObjectType, getNamedType, type GraphQLField, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import type { Context } from './builder.js';
import { hasGrant, missingGrant, type Grants } from '../security/grants.js';

/**
 * What reading an object type needs, declared on the type: `extensions: readGuard('batchesRead')`.
 * Checked on every field that can return such an object, before its resolver runs, wherever the
 * field is (root fields, `node`, `_entities`, mutation payloads, subscription events, edges): a
 * refused caller gets one FORBIDDEN for that object and costs no vendor call.
 *
 * Not scope-auth's type-level `authScopes`: those run in the type's `isTypeOf` with the request's
 * context, and compiled execution (graphql-jit, src/server/compiled-execution.ts) calls `isTypeOf`
 * with the object alone.
 */
export function readGuard(grant: keyof Grants): { readonly readGrant: keyof Grants } {
  return { readGrant: grant };
}

function grantToRead(type: GraphQLNamedType): keyof Grants | undefined {
  return (type.extensions as { readGrant?: keyof Grants } | undefined)?.readGrant;
}

/** The grants reading what `field` returns needs: its type's, or any of its possible types' for an interface or union. */
export function grantsToReturn(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>): ReadonlySet<keyof Grants> {
  const type = getNamedType(field.type);
  const types = isAbstractType(type) ? schema.getPossibleTypes(type) : isObjectType(type) ? [type] : [];
  const grants = new Set<keyof Grants>();
  for (const possible of types) {
    const grant = grantToRead(possible);
    if (grant) grants.add(grant);
  }
  return grants;
}

/** Fields whose resolver this guard wrapped, for the schema's own test. */
export const guardedFields = new WeakSet<GraphQLField<unknown, unknown>>();

/** Wraps the resolver of every field that can return a guarded type with the check of its grants. */
export function guardTypeReads(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const needed = [...grantsToReturn(schema, field)];
      if (needed.length === 0) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, ctx: Context, info) => {
        for (const grant of needed) if (!hasGrant(ctx.caller, grant)) throw missingGrant(grant);
        return resolve(parent, args, ctx, info);
      };
      guardedFields.add(field);
    }
  }
  return schema;
}
