import type { BatchRecord, Vendor } from './model.js';

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

/**
 * A write whose answer was lost (a timeout, a connection reset after it was sent): the vendor may
 * or may not have applied it, and the batch read back just after does not show it yet. Carries
 * that read-back, so a client can show what is known rather than guess; a later read tells.
 */
export class WriteOutcomeUnknownError extends OutboundGraphError {
  readonly code = 'WRITE_OUTCOME_UNKNOWN';
  override readonly name = 'WriteOutcomeUnknownError';
  constructor(
    readonly operation: string,
    readonly vendor: Vendor,
    /** The batch as read back after the lost answer; null when that read failed too or the batch is gone. */
    readonly batch: BatchRecord | null,
    cause: VendorError,
    /** What to do next, when it is not "check the batch before trying again". */
    advice?: string,
  ) {
    super(
      `${vendorLabel(vendor)}'s answer to ${operation} was lost (${cause.code}): it may still apply the change. ${advice ?? `${batch ? 'The batch as read back just after does not show it yet' : 'The batch could not be read back'}; check it before trying again.`}`,
      { cause },
    );
  }
  override extensions(): Record<string, unknown> {
    return { operation: this.operation, vendor: this.vendor };
  }
}

/**
 * A create went part of the way: the batch exists at its vendor (named here) but its targets are
 * not loaded, or it is not started as asked. Calling `createBatch` again with the same
 * idempotency key finishes what is left; it never creates a second batch.
 */
export class BatchIncompleteError extends OutboundGraphError {
  readonly code = 'BATCH_INCOMPLETE';
  override readonly name = 'BatchIncompleteError';
  constructor(
    readonly vendor: Vendor,
    /** The batch as read back; null when it could not be read. */
    readonly batch: BatchRecord | null,
    readonly vendorBatchId: string,
    /** What is left: `load` (the targets) or `start` (unpause, schedule). */
    readonly step: 'load' | 'start',
    reason: string,
  ) {
    super(
      `${vendorLabel(vendor)} batch "${vendorBatchId}" was created, but ${step === 'load' ? 'its targets are not loaded' : 'it is not started as asked'}: ${reason} Call createBatch again with the same idempotencyKey to finish it; no second batch is made.`,
    );
  }
  override extensions(): Record<string, unknown> {
    return { vendor: this.vendor, vendorBatchId: this.vendorBatchId, step: this.step };
  }
}

/** Another call with the same idempotency key is still creating its batch. */
export class LaunchInProgressError extends OutboundGraphError {
  readonly code = 'LAUNCH_IN_PROGRESS';
  override readonly name = 'LaunchInProgressError';
  constructor() {
    super('Another call with this idempotencyKey is still creating its batch: ask again in a moment, with the same key, for its answer.');
  }
}

/** Something this server needs besides the vendors (Redis, for the idempotency keys and uploads) is not answering: nothing was sent. */
export class ServiceUnavailableError extends OutboundGraphError {
  readonly code = 'SERVICE_UNAVAILABLE';
  override readonly name = 'ServiceUnavailableError';
}

// Who may call (src/security/auth.ts checks tokens and the router's secret).

/** No token, or one this server does not accept: HTTP 401. */
export class UnauthenticatedError extends OutboundGraphError {
  readonly code = 'UNAUTHENTICATED';
  override readonly name = 'UnauthenticatedError';
}

/** The caller is known but lacks the scope the operation needs. */
export class ForbiddenError extends OutboundGraphError {
  readonly code = 'FORBIDDEN';
  override readonly name = 'ForbiddenError';
  constructor(
    message: string,
    readonly requiredScope: string | null = null,
  ) {
    super(message);
  }
  override extensions(): Record<string, unknown> {
    return this.requiredScope ? { requiredScope: this.requiredScope } : {};
  }
}

/** The keys to check tokens with could not be fetched: our failure, not the caller's (HTTP 503). */
export class AuthUnavailableError extends OutboundGraphError {
  readonly code = 'AUTH_UNAVAILABLE';
  override readonly name = 'AuthUnavailableError';
}

// Limits of subscriptions and of the vendor calls of one operation.

/** The subscription limits are reached: a client error with its own code. */
export class SubscriptionLimitError extends OutboundGraphError {
  readonly code = 'SUBSCRIPTION_LIMIT';
  override readonly name = 'SubscriptionLimitError';
  constructor(
    message: string,
    readonly limit: number,
  ) {
    super(message);
  }
  override extensions(): Record<string, unknown> {
    return { limit: this.limit };
  }
}

/** The operation has started as many vendor calls as one operation may; this part is left out. */
export class VendorCallBudgetExceededError extends OutboundGraphError {
  readonly code = 'VENDOR_CALL_BUDGET_EXCEEDED';
  override readonly name = 'VendorCallBudgetExceededError';
  constructor(
    readonly vendor: Vendor,
    readonly limit: number,
  ) {
    super(`Left out: this operation already made ${limit} vendor calls, the most one operation may (MAX_VENDOR_CALLS_PER_OPERATION). Ask for fewer items at once or page through them; the ${vendorLabel(vendor)} data left out has not been read.`);
  }
  override extensions(): Record<string, unknown> {
    return { vendor: this.vendor, limit: this.limit };
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

/** Failures of vendor calls that never left this process (breaker open, refused by a limit, no connection made). */
const unsentFailures = new WeakSet<object>();

/** Marks a failure as one of a call that certainly never reached the vendor. */
export function markNeverSent<E>(error: E): E {
  if (typeof error === 'object' && error !== null) unsentFailures.add(error);
  return error;
}

/**
 * Whether a failed call certainly never reached the vendor. A write that failed otherwise (a
 * timeout, a reset after it was sent) may have been applied: its outcome is unknown.
 */
export function neverSent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && unsentFailures.has(error);
}

/** A write failed in a way that leaves unknown whether the vendor applied it: its answer was lost. */
export function answerLost(error: unknown): error is VendorError {
  return error instanceof VendorError && (error.code === 'VENDOR_TIMEOUT' || error.code === 'VENDOR_UNAVAILABLE') && !neverSent(error);
}

export function vendorLabel(vendor: Vendor): string {
  return vendor === 'syllable' ? 'Syllable' : 'Bolna';
}
