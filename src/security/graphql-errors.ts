import { GraphQLError } from 'graphql';

/** The same error with another message or `extensions.code` (graphql errors are not to be mutated). */
export function remadeError(error: GraphQLError, changes: { readonly message?: string; readonly code?: string }): GraphQLError {
  return new GraphQLError(changes.message ?? error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: changes.code === undefined ? error.extensions : { ...error.extensions, code: changes.code },
  });
}

/** The same error with another `extensions.code`. */
export function withCode(error: GraphQLError, code: string): GraphQLError {
  return remadeError(error, { code });
}
