import type { ApiError, ApiErrorItem } from './api';

/** A typed error of a mutation's union, as the schema sends it. */
export interface TypedFailure {
  readonly __typename: string;
  readonly code: string;
  readonly message: string;
  readonly field?: string | null;
  readonly retryAfter?: number | null;
}

/**
 * What to tell a person about a refused control. The API's messages already name the batch and
 * the reason; this says what kind of refusal it is and what they can do.
 */
export function describeFailure(failure: TypedFailure): string {
  switch (failure.__typename) {
    case 'UnsupportedOperationError':
      return `Not possible for this batch: ${failure.message}`;
    case 'InvalidInputError':
      return `Please check ${failure.field ? `the ${fieldLabel(failure.field)}` : 'your input'}: ${failure.message}`;
    case 'BatchNotFoundError':
      return 'This batch no longer exists at its vendor. Go back to the list to see the batches there are.';
    case 'VendorError':
      return `The vendor did not make the change: ${failure.message}${failure.retryAfter ? ` Try again in ${failure.retryAfter} s.` : ''}`;
    default:
      return failure.message;
  }
}

const FIELD_LABELS: Record<string, string> = {
  expiresOn: 'expiry',
  callRate: 'call rate',
  autoCallRate: 'automatic pace',
  at: 'start time',
  reason: 'reason',
};

function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

/** What to tell a person about a request that failed as a whole, or an error beside data. */
export function describeError(error: ApiError | ApiErrorItem): string {
  const code = 'code' in error ? error.code : error.extensions?.code;
  const retryAfter = error.extensions?.retryAfter;
  switch (code) {
    case 'FORBIDDEN':
      return `Your token may not do this: ${error.message}`;
    case 'UNAUTHENTICATED':
      return `Please sign in again: ${error.message}`;
    case 'RATE_LIMITED':
      return `The vendor's request limit is reached${typeof retryAfter === 'number' ? `; try again in ${retryAfter} s` : '; try again shortly'}.`;
    case 'OVERLOADED':
      return 'The API is busy right now; try again in a second.';
    default:
      return error.message;
  }
}
