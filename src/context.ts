import { createLoaders, type Loaders } from './loaders.js';
import type { VendorRegistry } from './vendors/vendor-registry.js';

/** Everything a resolver may use; one per GraphQL request. */
export interface Context {
  readonly vendors: VendorRegistry;
  readonly loaders: Loaders;
}

export function createContext(vendors: VendorRegistry, signal?: AbortSignal): Context {
  return { vendors, loaders: createLoaders(vendors, signal) };
}
