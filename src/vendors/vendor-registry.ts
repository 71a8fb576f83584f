import { InvalidInputError, vendorLabel } from '../domain/errors.js';
import type { Vendor } from '../domain/model.js';
import type { VendorHealth } from '../http/settings.js';
import type { VendorAdapter } from './vendor-adapter.js';

/** The enabled vendors of this server, as adapters of kind `A`; a vendor without credentials is absent. */
export class VendorRegistry<A extends Pick<VendorAdapter, 'vendor' | 'health' | 'close'> = VendorAdapter> {
  private readonly adapters: ReadonlyMap<Vendor, A>;

  constructor(adapters: readonly A[]) {
    this.adapters = new Map(adapters.map((adapter) => [adapter.vendor, adapter]));
  }

  get enabled(): Vendor[] {
    return [...this.adapters.keys()];
  }

  /** The adapter for a vendor, or a typed error naming the disabled vendor. */
  get(vendor: Vendor): A {
    const adapter = this.adapters.get(vendor);
    if (!adapter) throw new InvalidInputError(`${vendorLabel(vendor)} is not enabled on this server (no credentials configured).`);
    return adapter;
  }

  /** Throws the typed "not enabled" error for a vendor without credentials. */
  assertEnabled(vendor: Vendor): void {
    this.get(vendor);
  }

  health(): VendorHealth[] {
    return [...this.adapters.values()].map((adapter) => adapter.health());
  }

  async close(): Promise<void> {
    await Promise.all([...this.adapters.values()].map((adapter) => adapter.close()));
  }
}
