import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import type { Context } from './builder.js';

/**
 * Records why part of a field's data is missing while the field still answers with the rest
 * (one vendor of two down). The error joins the response's `errors` at the field's path.
 */
export function reportPartialFailure(ctx: Context, error: unknown, path: GraphQLResolveInfo['path']): void {
  ctx.store.reportPartial(error, responsePathAsArray(path));
}
