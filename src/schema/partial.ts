import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { toClientError } from '../app-errors.js';
import type { Context } from '../context.js';
import { OutboundGraphError } from '../domain/errors.js';

/**
 * Records why part of a field's data is missing while the field still answers with the rest
 * (one vendor of two down). The error joins the response's `errors` at the field's path.
 */
export function reportPartialFailure(ctx: Context, error: unknown, path: GraphQLResolveInfo['path']): void {
  const at = { path: responsePathAsArray(path), nodes: undefined, message: error instanceof Error ? error.message : 'Unexpected error.' };
  ctx.partialErrors.push(
    error instanceof OutboundGraphError ? toClientError(error, at) : new GraphQLError('Unexpected error.', { path: at.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
  );
}
