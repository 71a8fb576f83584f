import { VendorError, vendorLabel } from '../domain/errors.js';
import type { Timestamp, Vendor } from '../domain/model.js';
import { parseTimestamp } from '../domain/time.js';

/** A vendor timestamp (parsed, or the vendor's text) for a DateTime field: an unreadable value is an error on that field only. */
export function readTimestamp(vendor: Vendor, field: string, value: Timestamp | string | null): Date | null {
  if (value === null) return null;
  const timestamp = typeof value === 'string' ? parseTimestamp(value) : value;
  if (timestamp?.date) return timestamp.date;
  const raw = typeof value === 'string' ? value : value.raw;
  throw new VendorError(vendor, 'VENDOR_BAD_RESPONSE', `${vendorLabel(vendor)} sent an unreadable ${field}: "${raw.slice(0, 64)}".`);
}
