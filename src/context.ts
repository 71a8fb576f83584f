import type { GraphQLError } from 'graphql';
import { RequestDeadline } from './http/deadline.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { VendorRegistry } from './vendors/vendor-registry.js';

/** Everything a resolver may use; one per GraphQL request. */
export interface Context {
  readonly vendors: VendorRegistry;
  readonly loaders: Loaders;
  /** Deadline and cancellation of this request's vendor work. */
  readonly deadline: RequestDeadline;
  /** Errors of data that is missing while the rest of a field answered (one vendor of two down). */
  readonly partialErrors: GraphQLError[];
}

export function createContext(vendors: VendorRegistry, deadlineMs: number, clientSignal?: AbortSignal): Context {
  const deadline = new RequestDeadline(deadlineMs, clientSignal);
  return { vendors, deadline, loaders: createLoaders(vendors, deadline), partialErrors: [] };
}
