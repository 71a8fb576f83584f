import { InvalidInputError, vendorLabel } from '../domain/errors.js';
import type { Vendor } from '../domain/model.js';
import type { VendorAdapter } from './vendor-adapter.js';

/** The enabled vendors of this server; a vendor without credentials is absent. */
export class VendorRegistry {
  private readonly adapters: ReadonlyMap<Vendor, VendorAdapter>;

  constructor(adapters: readonly VendorAdapter[]) {
    this.adapters = new Map(adapters.map((adapter) => [adapter.vendor, adapter]));
  }

  get enabled(): Vendor[] {
    return [...this.adapters.keys()];
  }

  /** The adapter for a vendor, or a typed error naming the disabled vendor. */
  get(vendor: Vendor): VendorAdapter {
    const adapter = this.adapters.get(vendor);
    if (!adapter) throw new InvalidInputError(`${vendorLabel(vendor)} is not enabled on this server (no credentials configured).`);
    return adapter;
  }

  /** Throws the typed "not enabled" error for a vendor without credentials. */
  assertEnabled(vendor: Vendor): void {
    this.get(vendor);
  }

  health() {
    return [...this.adapters.values()].map((adapter) => adapter.health());
  }

  async close(): Promise<void> {
    await Promise.all([...this.adapters.values()].map((adapter) => adapter.close()));
  }
}
