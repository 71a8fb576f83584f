import type { Vendor } from './model.js';

/**
 * Errors a client can act on. Each carries a stable `code` (sent as `extensions.code`);
 * anything that is not an OutboundGraphError is masked by the server.
 * Messages never contain credentials, URLs with secrets or raw vendor bodies.
 */
export abstract class OutboundGraphError extends Error {
  abstract readonly code: string;
  /** Extra machine-readable fields for `extensions`. */
  extensions(): Record<string, unknown> {
    return {};
  }
}

export class InvalidInputError extends OutboundGraphError {
  readonly code = 'INVALID_INPUT';
  override readonly name = 'InvalidInputError';
  constructor(
    message: string,
    /** The argument at fault, when one is. */
    readonly field: string | null = null,
  ) {
    super(message);
  }
  override extensions(): Record<string, unknown> {
    return this.field ? { field: this.field } : {};
  }
}

/** The vendor does not know this id. */
export class NodeNotFoundError extends OutboundGraphError {
  readonly code = 'NOT_FOUND';
  override readonly name: string = 'NodeNotFoundError';
  constructor(
    readonly id: string,
    message = `Nothing found with id "${id}".`,
  ) {
    super(message);
  }
  override extensions(): Record<string, unknown> {
    return { id: this.id };
  }
}

export class BatchNotFoundError extends NodeNotFoundError {
  override readonly name = 'BatchNotFoundError';
  constructor(id: string) {
    super(id, `No batch with id "${id}".`);
  }
}

export class UnsupportedOperationError extends OutboundGraphError {
  readonly code = 'UNSUPPORTED_OPERATION';
  override readonly name = 'UnsupportedOperationError';
  constructor(
    message: string,
    readonly operation: string,
    readonly vendor: Vendor,
  ) {
    super(message);
  }
  override extensions(): Record<string, unknown> {
    return { operation: this.operation, vendor: this.vendor };
  }
}

/** Codes for vendor failures, finer than the single GraphQL `VendorError` type. */
export type VendorErrorCode = 'VENDOR_ERROR' | 'VENDOR_AUTH' | 'VENDOR_TIMEOUT' | 'VENDOR_UNAVAILABLE' | 'VENDOR_BAD_RESPONSE' | 'RATE_LIMITED';

export class VendorError extends OutboundGraphError {
  override readonly name = 'VendorError';
  constructor(
    readonly vendor: Vendor,
    readonly code: VendorErrorCode,
    message: string,
    /** HTTP status the vendor answered with; null when it never answered. */
    readonly statusCode: number | null = null,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds ?? null;
  }
  /** With RATE_LIMITED (and an open breaker): seconds until the vendor may be called again. */
  readonly retryAfterSeconds: number | null;
  override extensions(): Record<string, unknown> {
    return { vendor: this.vendor, statusCode: this.statusCode, ...(this.retryAfterSeconds !== null ? { retryAfter: this.retryAfterSeconds } : {}) };
  }
}

/** Items of a vendor answer that could not be read (no id): left out, and reported, never hidden. */
export class UnreadableItemsError extends VendorError {
  constructor(
    vendor: Vendor,
    /** How many items were left out. */
    readonly count: number,
    /** What the items are, plural (`batches`, `results of batch x`). */
    what: string,
    /** Whether `totalCount` still counts them (it does when no filter could have excluded them). */
    counted: boolean,
  ) {
    const tail = counted ? 'left out of the page but counted in `totalCount`' : 'left out (whether they match the filters is unknown)';
    super(vendor, 'VENDOR_BAD_RESPONSE', `${vendorLabel(vendor)} sent ${count} of its ${what} without an id, which could not be read: ${tail}.`);
  }
  override extensions(): Record<string, unknown> {
    return { ...super.extensions(), unreadable: this.count };
  }
}

/** The vendor rejected a request as invalid (HTTP 400/422): its message is the user's to read. */
export class VendorRejectedInputError extends InvalidInputError {
  constructor(
    readonly vendor: Vendor,
    readonly statusCode: number,
    vendorMessage: string,
  ) {
    super(`${vendorLabel(vendor)} rejected the request: ${vendorMessage}`);
  }
  override extensions(): Record<string, unknown> {
    return { vendor: this.vendor, statusCode: this.statusCode };
  }
}

export function vendorLabel(vendor: Vendor): string {
  return vendor === 'syllable' ? 'Syllable' : 'Bolna';
}
