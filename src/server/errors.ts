import { GraphQLError } from 'graphql';
import { maskError as defaultMaskError } from 'graphql-yoga';
import {
  AuthUnavailableError,
  ForbiddenError,
  NodeNotFoundError,
  OutboundGraphError,
  ServiceUnavailableError,
  UnauthenticatedError,
  VendorCallBudgetExceededError,
  VendorError,
} from '../domain/errors.js';
import { UploadRejectedError } from '../launch/target-table.js';

/** The client's view of one of our typed errors: its message, code and fields, at a path. */
export function toClientError(error: OutboundGraphError, located?: Pick<GraphQLError, 'nodes' | 'path' | 'message'>): GraphQLError {
  return new GraphQLError(located?.message ?? error.message, {
    nodes: located?.nodes,
    path: located?.path,
    extensions: { code: error.code, ...error.extensions() },
  });
}

/** Our typed errors reach clients with their code; everything else is masked. */
export function maskError(error: unknown, message: string): Error {
  // Duck-typed: graphql may be loaded twice (ESM and CJS copies), which breaks instanceof GraphQLError.
  const located = isLocatedError(error) ? error : undefined;
  // Variable coercion wraps the thrown error twice; find the innermost cause.
  const original = innermost(error);
  // The located message adds context graphql gives (e.g. which variable was invalid).
  if (original instanceof OutboundGraphError) return toClientError(original, located);
  // isDev false: never attach stacks or original messages, whatever NODE_ENV says.
  return defaultMaskError(error, message, false);
}

function isLocatedError(error: unknown): error is Pick<GraphQLError, 'originalError' | 'nodes' | 'path' | 'message'> {
  return error instanceof Error && error.name === 'GraphQLError';
}


/** The innermost error of a GraphQL error chain. */
function innermost(error: unknown): unknown {
  let original = error;
  while (isLocatedError(original) && original.originalError) original = original.originalError;
  return original;
}

/** A typed error the client is told about: not the server's fault, so not logged as an error. */
export function isClientError(error: unknown): boolean {
  return innermost(error) instanceof OutboundGraphError;
}

/** How an error is logged: its kind, message (URLs cut) and where it happened. */
export function describeError(error: unknown): Record<string, unknown> {
  const original = innermost(error);
  if (!(original instanceof Error)) return { error: typeof original };
  return {
    name: original.name,
    message: original.message.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[url]').slice(0, 300),
    stack: original.stack?.split('\n').slice(1, 8).map((line) => line.trim()),
  };
}

/** The HTTP status of a typed error answered outside GraphQL (`POST /uploads`, the results export). */
export function statusOf(error: OutboundGraphError): number {
  if (error instanceof UploadRejectedError) return error.status;
  if (error instanceof UnauthenticatedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NodeNotFoundError) return 404;
  if (error instanceof VendorCallBudgetExceededError) return 429;
  if (error instanceof VendorError) return error.code === 'RATE_LIMITED' ? 429 : error.code === 'VENDOR_TIMEOUT' ? 504 : 502;
  if (error instanceof AuthUnavailableError || error instanceof ServiceUnavailableError) return 503;
  return 400;
}
