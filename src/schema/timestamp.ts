import { VendorError, vendorLabel } from '../domain/errors.js';
import type { Timestamp, Vendor } from '../domain/model.js';

/** A vendor timestamp for a DateTime field: an unreadable value is an error on that field only. */
export function readTimestamp(vendor: Vendor, field: string, value: Timestamp | null): Date | null {
  if (value === null) return null;
  if (value.date) return value.date;
  throw new VendorError(vendor, 'VENDOR_BAD_RESPONSE', `${vendorLabel(vendor)} sent an unreadable ${field}: "${value.raw.slice(0, 64)}".`);
}
