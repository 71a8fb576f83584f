import { InvalidInputError } from './errors.js';
import { VENDORS, type Vendor } from './model.js';

/**
 * Global ids stay readable (`syllable:20250117.9`, `bolna:<hex>:<execution>`).
 * Vendor ids are free strings, so `%` and `:` inside a component are percent-encoded
 * to keep the separators unambiguous.
 */

export interface BatchKey {
  readonly vendor: Vendor;
  readonly batchId: string;
}

export interface ResultKey extends BatchKey {
  readonly referenceId: string;
}

export type GlobalKey = ({ kind: 'Batch' } & BatchKey) | ({ kind: 'BatchResult' } & ResultKey);

const MAX_COMPONENT_LENGTH = 256;
const BOLNA_BATCH_ID = /^[0-9a-fA-F]{32}$/;
// Control characters and whitespace never occur in vendor ids; rejecting them keeps ids printable.
const UNPRINTABLE = /[\s\p{Cc}]/u;

// Ids are made and read for every field and alias; most hold neither `%` nor `:`, so are kept as they are.
function encodeComponent(value: string): string {
  return value.includes('%') || value.includes(':') ? value.replace(/%/g, '%25').replace(/:/g, '%3A') : value;
}

function decodeComponent(value: string): string {
  return value.includes('%') ? value.replace(/%3A/gi, ':').replace(/%25/g, '%') : value;
}

export function batchGlobalId(key: BatchKey): string {
  return `${key.vendor}:${encodeComponent(key.batchId)}`;
}

export function resultGlobalId(key: ResultKey): string {
  return `${batchGlobalId(key)}:${encodeComponent(key.referenceId)}`;
}

function isVendor(value: string): value is Vendor {
  return (VENDORS as readonly string[]).includes(value);
}

function checkComponent(value: string, what: string, id: string): void {
  if (value.length === 0 || value.length > MAX_COMPONENT_LENGTH || UNPRINTABLE.test(value)) {
    throw new InvalidInputError(`Malformed id "${truncate(id)}": the ${what} is empty, too long or not printable.`);
  }
  // A vendor URL path segment of "." or ".." would name another resource (`/batches/..` is `/`).
  if (value === '.' || value === '..') throw new InvalidInputError(`Malformed id "${truncate(id)}": the ${what} may not be "." or "..".`);
}

function truncate(id: string): string {
  return id.length > 80 ? `${id.slice(0, 80)}…` : id;
}

/** Parses any global id; throws InvalidInputError naming what is wrong. */
export function parseGlobalId(id: string): GlobalKey {
  const parts = id.split(':');
  const [vendor, rawBatch, rawReference, ...rest] = parts;
  if (vendor === undefined || rawBatch === undefined || rest.length > 0) {
    throw new InvalidInputError(
      `Malformed id "${truncate(id)}": expected "<vendor>:<batch id>" or "<vendor>:<batch id>:<reference id>".`,
    );
  }
  if (!isVendor(vendor)) {
    throw new InvalidInputError(`Malformed id "${truncate(id)}": unknown vendor "${truncate(vendor)}" (expected ${VENDORS.join(' or ')}).`);
  }
  const batchId = decodeComponent(rawBatch);
  checkComponent(batchId, 'batch id', id);
  if (vendor === 'bolna' && !BOLNA_BATCH_ID.test(batchId)) {
    throw new InvalidInputError(`Malformed id "${truncate(id)}": Bolna batch ids are 32 hexadecimal characters.`);
  }
  if (rawReference === undefined) return { kind: 'Batch', vendor, batchId };
  const referenceId = decodeComponent(rawReference);
  checkComponent(referenceId, 'reference id', id);
  return { kind: 'BatchResult', vendor, batchId, referenceId };
}

export function parseBatchId(id: string): BatchKey {
  const key = parseGlobalId(id);
  if (key.kind !== 'Batch') {
    throw new InvalidInputError(`Id "${truncate(id)}" names a batch result, not a batch.`);
  }
  return { vendor: key.vendor, batchId: key.batchId };
}

