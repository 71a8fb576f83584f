/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Normalised state of a batch, the same for every vendor. */
export type BatchStatus =
  /** Calling (Syllable ACTIVE, Bolna queued). */
  | 'ACTIVE'
  /** Canceled or stopped before finishing. */
  | 'CANCELED'
  /** All calls made (Bolna executed). */
  | 'COMPLETED'
  /** Its expiry passed before it finished (Syllable EXPIRED). */
  | 'EXPIRED'
  /** Could not run, e.g. the upload failed (Syllable FAILED). */
  | 'FAILED'
  /** On hold (Syllable PAUSED or `paused`). */
  | 'PAUSED'
  /** Created, not started (Syllable PENDING, Bolna created). */
  | 'PENDING'
  /** Waiting for its scheduled start (Bolna scheduled). */
  | 'SCHEDULED'
  /** A vendor status this API does not know yet; see `vendorStatus`. */
  | 'UNKNOWN';

/** A new batch. Give the targets as `targets` (at most 5,000) or as `uploadId` (a CSV sent to POST /uploads, up to 100,000 rows). Syllable takes `campaignId`, `paused`, `expiresOn`, `callRate`; Bolna takes `agentId`, `fromPhoneNumbers`, `scheduledAt`, `retry`; the other vendor's settings are refused. */
export type CreateBatchInput = {
  /** Bolna: the agent that calls (see `agents`). Required for Bolna. */
  agentId?: string | number | null | undefined;
  /** Syllable: calls an hour, 1 to 3600; left out, the campaign's `hourlyRate` applies. */
  callRate?: number | null | undefined;
  /** Syllable: the campaign of the batch (see `campaigns`). Required for Syllable. */
  campaignId?: string | number | null | undefined;
  /** Country of numbers written without a +country code (ISO 3166, two letters). */
  defaultCountry?: string | null | undefined;
  /** Syllable: no calls after this instant; in the future. */
  expiresOn?: string | null | undefined;
  /** The name the vendor shows for the list (`.csv` is added). Default `targets-<date>.csv`; Bolna's carries a tag of the key (`name.og-<tag>.csv`). */
  fileName?: string | null | undefined;
  /** Bolna: the numbers calls come from, in E.164. */
  fromPhoneNumbers?: Array<string> | null | undefined;
  /** Names this create (1 to 200 characters; a uuid is a good one). The same key with the same input answers the same batch for 24 hours without creating another; with other input it is an InvalidInputError. Send the same key again after a lost answer or a BatchIncompleteError. */
  idempotencyKey: string;
  /** Syllable: true leaves the batch on hold once loaded (start it with `resumeBatch`); false or left out starts it. */
  paused?: boolean | null | undefined;
  /** Bolna: retries of a target not reached. */
  retry?: RetryInput | null | undefined;
  /** Bolna: when the batch starts, at least 2 minutes ahead (Bolna rounds it up to the next 10 minutes). Left out, it waits, `created`, for `scheduleBatch`. */
  scheduledAt?: string | null | undefined;
  /** False: any invalid row refuses the whole create (an InvalidInputError with `validation`), and nothing is sent. True: the batch is created with the valid rows. */
  skipInvalidTargets?: boolean | null | undefined;
  /** The targets, at most 5,000. */
  targets?: Array<TargetInput> | null | undefined;
  /** An upload of yours from POST /uploads, kept an hour. */
  uploadId?: string | number | null | undefined;
  /** Where to create the batch. */
  vendor: Vendor;
};

/** Normalised state of one target of a batch, the same for every vendor. */
export type ResultStatus =
  /** Will not be attempted: canceled, stopped, skipped or a duplicate. */
  | 'CANCELED'
  /** Finished with a conversation. */
  | 'COMPLETED'
  /** Could not be attempted or failed: invalid number, carrier or platform error, low balance. */
  | 'FAILED'
  /** Being attempted: dialling, ringing, connected, or in post-call processing. */
  | 'IN_PROGRESS'
  /** Finished without reaching anyone: no answer, busy, declined, voicemail. */
  | 'NOT_REACHED'
  /** Not yet attempted: waiting, queued or rescheduled. */
  | 'PENDING'
  /** A vendor status this API does not know yet; see `vendorStatus`. */
  | 'UNKNOWN';

/** Where a retry's batch goes, and its settings (as in `CreateBatchInput`). At the source's own vendor, a campaign or agent left out is the source's (Bolna: its caller numbers too); at the other vendor, give it. */
export type RetryDestinationInput = {
  /** Bolna: the agent that calls (see `agents`). Required for Bolna. */
  agentId?: string | number | null | undefined;
  /** Syllable: calls an hour, 1 to 3600; left out, the campaign's `hourlyRate` applies. */
  callRate?: number | null | undefined;
  /** Syllable: the campaign of the batch (see `campaigns`). Required for Syllable. */
  campaignId?: string | number | null | undefined;
  /** Syllable: no calls after this instant; in the future. */
  expiresOn?: string | null | undefined;
  /** The name the vendor shows for the list. Default `retry-of-<source batch id>.csv`. */
  fileName?: string | null | undefined;
  /** Bolna: the numbers calls come from, in E.164. */
  fromPhoneNumbers?: Array<string> | null | undefined;
  /** Syllable: true leaves the batch on hold once loaded (start it with `resumeBatch`); false or left out starts it. */
  paused?: boolean | null | undefined;
  /** Bolna: retries of a target not reached. */
  retry?: RetryInput | null | undefined;
  /** Bolna: when the batch starts, at least 2 minutes ahead (Bolna rounds it up to the next 10 minutes). Left out, it waits, `created`, for `scheduleBatch`. */
  scheduledAt?: string | null | undefined;
  /** Where to create the new batch: the source batch's vendor or the other one. */
  vendor: Vendor;
};

/** Bolna's retries of a target not reached (`retry_config`). */
export type RetryInput = {
  /** Minutes to wait before each retry: one per retry, 1 to 10,080 each. */
  intervalsMinutes: Array<number>;
  /** Attempts after the first, 0 to 5. */
  maxRetries: number;
};

/** One person to call. */
export type TargetInput = {
  /** The number, in any common format: `+15555550123`, `(555) 555-0123`. Without a +country code it is read as a number of `defaultCountry`; the vendor gets it in E.164. */
  phoneNumber: string;
  /** Your id of this target, unique in the list (Syllable's `reference_id`). Give every row one, or none: for a Syllable list with none, `row-1`, `row-2`… are made. */
  referenceId?: string | null | undefined;
  /** Prompt variables; every row should have the same names. */
  variables?: Array<VariableInput> | null | undefined;
};

/** What is wrong with a row of a target list. */
export type TargetIssueCode =
  /** Another row (or the batch) already has this number, once normalised: this row is not sent. */
  | 'PHONE_NUMBER_DUPLICATE'
  /** The phone number is not a valid number of its country (checked with full metadata, not only its length). */
  | 'PHONE_NUMBER_INVALID'
  /** The row has no phone number. */
  | 'PHONE_NUMBER_MISSING'
  /** Another row has the same reference id. */
  | 'REFERENCE_ID_DUPLICATE'
  /** The reference id is too long, or has spaces around it or control characters. */
  | 'REFERENCE_ID_INVALID'
  /** The row has no reference id while other rows have one. */
  | 'REFERENCE_ID_MISSING'
  /** The batch already has a target with this reference id (adding targets). */
  | 'REFERENCE_ID_TAKEN'
  /** A value has a line break or control character (it would break the vendor's CSV), is not valid text, or is too long. */
  | 'VALUE_INVALID'
  /** The row gives the same variable twice. */
  | 'VARIABLE_DUPLICATE'
  /** Other rows have a variable this row lacks: the prompt would read it empty. */
  | 'VARIABLE_MISSING'
  /** The variable's name is not a plain name, or is a column the vendor reads itself. */
  | 'VARIABLE_NAME_INVALID';

/** A prompt variable of one target: the agent reads `{name}` as `value`. */
export type VariableInput = {
  /** Letters, digits and underscores, not starting with a digit (a column of the CSV the vendor gets). */
  name: string;
  /** The value for this target; no line breaks or control characters. */
  value: string;
};

/** The calling platform that runs a batch. */
export type Vendor =
  /** Bolna (api.bolna.ai), batch calls of a voice agent. */
  | 'BOLNA'
  /** Syllable (api.syllable.cloud), outbound communication batches. */
  | 'SYLLABLE';

export type BatchDetailFragment = { updatedAt: string | null, totalCount: number, validContacts: number | null, errorMessage: string | null, callRate: number | null, autoCallRate: boolean | null, autoCallRateBaseline: number | null, id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null, hourlyRate: number | null, dailyStartTime: string | null, dailyEndTime: string | null } | null, statusCounts: Array<{ status: ResultStatus, vendorStatus: string, count: number, breakdown: Array<{ status: ResultStatus, vendorStatus: string, count: number }> }>, eta: { finishesAt: string | null, callsPerHour: number | null, expiresBeforeFinish: boolean, unfinishedAtExpiry: number, stalledSince: string | null, basis: string }, progressHistory: Array<{ at: string, total: number, pending: number, inProgress: number, finished: number }>, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } };

export type DashboardBatchQueryVariables = Exact<{
  id: string | number;
}>;


export type DashboardBatchQuery = { batch: { updatedAt: string | null, totalCount: number, validContacts: number | null, errorMessage: string | null, callRate: number | null, autoCallRate: boolean | null, autoCallRateBaseline: number | null, id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null, hourlyRate: number | null, dailyStartTime: string | null, dailyEndTime: string | null } | null, statusCounts: Array<{ status: ResultStatus, vendorStatus: string, count: number, breakdown: Array<{ status: ResultStatus, vendorStatus: string, count: number }> }>, eta: { finishesAt: string | null, callsPerHour: number | null, expiresBeforeFinish: boolean, unfinishedAtExpiry: number, stalledSince: string | null, basis: string }, progressHistory: Array<{ at: string, total: number, pending: number, inProgress: number, finished: number }>, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } } | null };

export type DashboardBatchProgressSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type DashboardBatchProgressSubscription = { batchProgress: { at: string, changed: Array<string>, staleSince: string | null, batch: { updatedAt: string | null, totalCount: number, validContacts: number | null, errorMessage: string | null, callRate: number | null, autoCallRate: boolean | null, autoCallRateBaseline: number | null, id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null, hourlyRate: number | null, dailyStartTime: string | null, dailyEndTime: string | null } | null, statusCounts: Array<{ status: ResultStatus, vendorStatus: string, count: number, breakdown: Array<{ status: ResultStatus, vendorStatus: string, count: number }> }>, eta: { finishesAt: string | null, callsPerHour: number | null, expiresBeforeFinish: boolean, unfinishedAtExpiry: number, stalledSince: string | null, basis: string }, progressHistory: Array<{ at: string, total: number, pending: number, inProgress: number, finished: number }>, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } } } };

export type DashboardResultsQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  status?: ResultStatus | null | undefined;
  referenceId?: string | null | undefined;
}>;


export type DashboardResultsQuery = { batch: { id: string, resultsCsvUrl: string, results: { totalCount: number, fetchedAt: string, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ node: { id: string, referenceId: string, target: string | null, status: ResultStatus, vendorStatus: string, attemptCount: number | null, durationSeconds: number | null, sentAt: string | null, updatedAt: string | null, errorMessage: string | null } }> } | null } | null };

export type DashboardRetryableQueryVariables = Exact<{
  id: string | number;
}>;


export type DashboardRetryableQuery = { batch: { id: string, notReached: number, failed: number } | null };

export type DashboardRetryTargetsMutationVariables = Exact<{
  id: string | number;
  statuses: Array<ResultStatus> | ResultStatus;
  idempotencyKey: string;
  into?: RetryDestinationInput | null | undefined;
}>;


export type DashboardRetryTargetsMutation = { retryBatchTargets:
    | { __typename: 'BatchIncompleteError', code: string, message: string }
    | { __typename: 'BatchMutationSuccess', batch: { updatedAt: string | null, totalCount: number, validContacts: number | null, errorMessage: string | null, callRate: number | null, autoCallRate: boolean | null, autoCallRateBaseline: number | null, id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null, hourlyRate: number | null, dailyStartTime: string | null, dailyEndTime: string | null } | null, statusCounts: Array<{ status: ResultStatus, vendorStatus: string, count: number, breakdown: Array<{ status: ResultStatus, vendorStatus: string, count: number }> }>, eta: { finishesAt: string | null, callsPerHour: number | null, expiresBeforeFinish: boolean, unfinishedAtExpiry: number, stalledSince: string | null, basis: string }, progressHistory: Array<{ at: string, total: number, pending: number, inProgress: number, finished: number }>, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } } }
    | { __typename: 'BatchNotFoundError', code: string, message: string }
    | { __typename: 'InvalidInputError', code: string, message: string, field: string | null }
    | { __typename: 'UnsupportedOperationError', code: string, message: string, operation: string }
    | { __typename: 'VendorError', code: string, message: string, retryAfter: number | null }
    | { __typename: 'WriteOutcomeUnknownError', code: string, message: string }
   };

export type BatchRowFragment = { id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null } | null, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } };

export type DashboardBatchesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  vendor?: Vendor | null | undefined;
  status?: BatchStatus | null | undefined;
}>;


export type DashboardBatchesQuery = { batches: { totalCount: number, incompleteVendors: Array<Vendor>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ node: { id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null } | null, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } } }> } };

export type DashboardProgressSubscriptionVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type DashboardProgressSubscription = { batchesProgress: { at: string, changed: Array<string>, staleSince: string | null, batch: { id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null } | null, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } } } };

type ControlOutcome_BatchIncompleteError_Fragment = { __typename: 'BatchIncompleteError', code: string, message: string };

type ControlOutcome_BatchMutationSuccess_Fragment = { __typename: 'BatchMutationSuccess', batch: { updatedAt: string | null, totalCount: number, validContacts: number | null, errorMessage: string | null, callRate: number | null, autoCallRate: boolean | null, autoCallRateBaseline: number | null, id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null, hourlyRate: number | null, dailyStartTime: string | null, dailyEndTime: string | null } | null, statusCounts: Array<{ status: ResultStatus, vendorStatus: string, count: number, breakdown: Array<{ status: ResultStatus, vendorStatus: string, count: number }> }>, eta: { finishesAt: string | null, callsPerHour: number | null, expiresBeforeFinish: boolean, unfinishedAtExpiry: number, stalledSince: string | null, basis: string }, progressHistory: Array<{ at: string, total: number, pending: number, inProgress: number, finished: number }>, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } } };

type ControlOutcome_BatchNotFoundError_Fragment = { __typename: 'BatchNotFoundError', code: string, message: string };

type ControlOutcome_InvalidInputError_Fragment = { __typename: 'InvalidInputError', code: string, message: string, field: string | null };

type ControlOutcome_UnsupportedOperationError_Fragment = { __typename: 'UnsupportedOperationError', code: string, message: string, operation: string };

type ControlOutcome_VendorError_Fragment = { __typename: 'VendorError', code: string, message: string, retryAfter: number | null };

type ControlOutcome_WriteOutcomeUnknownError_Fragment = { __typename: 'WriteOutcomeUnknownError', code: string, message: string };

export type ControlOutcomeFragment =
  | ControlOutcome_BatchIncompleteError_Fragment
  | ControlOutcome_BatchMutationSuccess_Fragment
  | ControlOutcome_BatchNotFoundError_Fragment
  | ControlOutcome_InvalidInputError_Fragment
  | ControlOutcome_UnsupportedOperationError_Fragment
  | ControlOutcome_VendorError_Fragment
  | ControlOutcome_WriteOutcomeUnknownError_Fragment
;

export type DashboardPauseMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardPauseMutation = { pauseBatch:
    | { __typename: 'BatchIncompleteError', code: string, message: string }
    | { __typename: 'BatchMutationSuccess', batch: { updatedAt: string | null, totalCount: number, validContacts: number | null, errorMessage: string | null, callRate: number | null, autoCallRate: boolean | null, autoCallRateBaseline: number | null, id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null, hourlyRate: number | null, dailyStartTime: string | null, dailyEndTime: string | null } | null, statusCounts: Array<{ status: ResultStatus, vendorStatus: string, count: number, breakdown: Array<{ status: ResultStatus, vendorStatus: string, count: number }> }>, eta: { finishesAt: string | null, callsPerHour: number | null, expiresBeforeFinish: boolean, unfinishedAtExpiry: number, stalledSince: string | null, basis: string }, progressHistory: Array<{ at: string, total: number, pending: number, inProgress: number, finished: number }>, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } } }
    | { __typename: 'BatchNotFoundError', code: string, message: string }
    | { __typename: 'InvalidInputError', code: string, message: string, field: string | null }
    | { __typename: 'UnsupportedOperationError', code: string, message: string, operation: string }
    | { __typename: 'VendorError', code: string, message: string, retryAfter: number | null }
    | { __typename: 'WriteOutcomeUnknownError', code: string, message: string }
   };

export type DashboardResumeMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardResumeMutation = { resumeBatch:
    | { __typename: 'BatchIncompleteError', code: string, message: string }
    | { __typename: 'BatchMutationSuccess', batch: { updatedAt: string | null, totalCount: number, validContacts: number | null, errorMessage: string | null, callRate: number | null, autoCallRate: boolean | null, autoCallRateBaseline: number | null, id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null, hourlyRate: number | null, dailyStartTime: string | null, dailyEndTime: string | null } | null, statusCounts: Array<{ status: ResultStatus, vendorStatus: string, count: number, breakdown: Array<{ status: ResultStatus, vendorStatus: string, count: number }> }>, eta: { finishesAt: string | null, callsPerHour: number | null, expiresBeforeFinish: boolean, unfinishedAtExpiry: number, stalledSince: string | null, basis: string }, progressHistory: Array<{ at: string, total: number, pending: number, inProgress: number, finished: number }>, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } } }
    | { __typename: 'BatchNotFoundError', code: string, message: string }
    | { __typename: 'InvalidInputError', code: string, message: string, field: string | null }
    | { __typename: 'UnsupportedOperationError', code: string, message: string, operation: string }
    | { __typename: 'VendorError', code: string, message: string, retryAfter: number | null }
    | { __typename: 'WriteOutcomeUnknownError', code: string, message: string }
   };

export type DashboardExpiryMutationVariables = Exact<{
  id: string | number;
  expiresOn?: string | null | undefined;
}>;


export type DashboardExpiryMutation = { updateBatchExpiry:
    | { __typename: 'BatchIncompleteError', code: string, message: string }
    | { __typename: 'BatchMutationSuccess', batch: { updatedAt: string | null, totalCount: number, validContacts: number | null, errorMessage: string | null, callRate: number | null, autoCallRate: boolean | null, autoCallRateBaseline: number | null, id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null, hourlyRate: number | null, dailyStartTime: string | null, dailyEndTime: string | null } | null, statusCounts: Array<{ status: ResultStatus, vendorStatus: string, count: number, breakdown: Array<{ status: ResultStatus, vendorStatus: string, count: number }> }>, eta: { finishesAt: string | null, callsPerHour: number | null, expiresBeforeFinish: boolean, unfinishedAtExpiry: number, stalledSince: string | null, basis: string }, progressHistory: Array<{ at: string, total: number, pending: number, inProgress: number, finished: number }>, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } } }
    | { __typename: 'BatchNotFoundError', code: string, message: string }
    | { __typename: 'InvalidInputError', code: string, message: string, field: string | null }
    | { __typename: 'UnsupportedOperationError', code: string, message: string, operation: string }
    | { __typename: 'VendorError', code: string, message: string, retryAfter: number | null }
    | { __typename: 'WriteOutcomeUnknownError', code: string, message: string }
   };

export type DashboardCallRateMutationVariables = Exact<{
  id: string | number;
  callRate?: number | null | undefined;
  autoCallRate?: boolean | null | undefined;
}>;


export type DashboardCallRateMutation = { updateBatchCallRate:
    | { __typename: 'BatchIncompleteError', code: string, message: string }
    | { __typename: 'BatchMutationSuccess', batch: { updatedAt: string | null, totalCount: number, validContacts: number | null, errorMessage: string | null, callRate: number | null, autoCallRate: boolean | null, autoCallRateBaseline: number | null, id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null, hourlyRate: number | null, dailyStartTime: string | null, dailyEndTime: string | null } | null, statusCounts: Array<{ status: ResultStatus, vendorStatus: string, count: number, breakdown: Array<{ status: ResultStatus, vendorStatus: string, count: number }> }>, eta: { finishesAt: string | null, callsPerHour: number | null, expiresBeforeFinish: boolean, unfinishedAtExpiry: number, stalledSince: string | null, basis: string }, progressHistory: Array<{ at: string, total: number, pending: number, inProgress: number, finished: number }>, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } } }
    | { __typename: 'BatchNotFoundError', code: string, message: string }
    | { __typename: 'InvalidInputError', code: string, message: string, field: string | null }
    | { __typename: 'UnsupportedOperationError', code: string, message: string, operation: string }
    | { __typename: 'VendorError', code: string, message: string, retryAfter: number | null }
    | { __typename: 'WriteOutcomeUnknownError', code: string, message: string }
   };

export type DashboardScheduleMutationVariables = Exact<{
  id: string | number;
  at: string;
}>;


export type DashboardScheduleMutation = { scheduleBatch:
    | { __typename: 'BatchIncompleteError', code: string, message: string }
    | { __typename: 'BatchMutationSuccess', batch: { updatedAt: string | null, totalCount: number, validContacts: number | null, errorMessage: string | null, callRate: number | null, autoCallRate: boolean | null, autoCallRateBaseline: number | null, id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null, hourlyRate: number | null, dailyStartTime: string | null, dailyEndTime: string | null } | null, statusCounts: Array<{ status: ResultStatus, vendorStatus: string, count: number, breakdown: Array<{ status: ResultStatus, vendorStatus: string, count: number }> }>, eta: { finishesAt: string | null, callsPerHour: number | null, expiresBeforeFinish: boolean, unfinishedAtExpiry: number, stalledSince: string | null, basis: string }, progressHistory: Array<{ at: string, total: number, pending: number, inProgress: number, finished: number }>, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } } }
    | { __typename: 'BatchNotFoundError', code: string, message: string }
    | { __typename: 'InvalidInputError', code: string, message: string, field: string | null }
    | { __typename: 'UnsupportedOperationError', code: string, message: string, operation: string }
    | { __typename: 'VendorError', code: string, message: string, retryAfter: number | null }
    | { __typename: 'WriteOutcomeUnknownError', code: string, message: string }
   };

export type DashboardStopMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardStopMutation = { stopBatch:
    | { __typename: 'BatchIncompleteError', code: string, message: string }
    | { __typename: 'BatchMutationSuccess', batch: { updatedAt: string | null, totalCount: number, validContacts: number | null, errorMessage: string | null, callRate: number | null, autoCallRate: boolean | null, autoCallRateBaseline: number | null, id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null, hourlyRate: number | null, dailyStartTime: string | null, dailyEndTime: string | null } | null, statusCounts: Array<{ status: ResultStatus, vendorStatus: string, count: number, breakdown: Array<{ status: ResultStatus, vendorStatus: string, count: number }> }>, eta: { finishesAt: string | null, callsPerHour: number | null, expiresBeforeFinish: boolean, unfinishedAtExpiry: number, stalledSince: string | null, basis: string }, progressHistory: Array<{ at: string, total: number, pending: number, inProgress: number, finished: number }>, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } } }
    | { __typename: 'BatchNotFoundError', code: string, message: string }
    | { __typename: 'InvalidInputError', code: string, message: string, field: string | null }
    | { __typename: 'UnsupportedOperationError', code: string, message: string, operation: string }
    | { __typename: 'VendorError', code: string, message: string, retryAfter: number | null }
    | { __typename: 'WriteOutcomeUnknownError', code: string, message: string }
   };

export type DashboardDeleteMutationVariables = Exact<{
  id: string | number;
  reason: string;
}>;


export type DashboardDeleteMutation = { deleteBatch:
    | { __typename: 'BatchDeleted', id: string, deletedAt: string }
    | { __typename: 'BatchNotFoundError', code: string, message: string }
    | { __typename: 'InvalidInputError', code: string, message: string, field: string | null }
    | { __typename: 'UnsupportedOperationError', code: string, message: string }
    | { __typename: 'VendorError', code: string, message: string }
    | { __typename: 'WriteOutcomeUnknownError', code: string, message: string }
   };

export type DashboardAccessQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardAccessQuery = { batchAccess: { authenticated: boolean, subject: string | null, scopes: Array<string>, canRead: boolean, canWrite: boolean } };

export type DashboardLaunchPlacesQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardLaunchPlacesQuery = { campaigns: Array<{ id: string, name: string | null, callerId: string | null, hourlyRate: number | null }>, agents: Array<{ id: string, name: string | null }> };

export type PreflightFragment = { total: number, valid: number, invalid: number, duplicates: number, variableNames: Array<string>, issues: Array<{ row: number, field: string, code: TargetIssueCode, message: string }> };

export type DashboardCreateBatchMutationVariables = Exact<{
  input: CreateBatchInput;
}>;


export type DashboardCreateBatchMutation = { createBatch:
    | { __typename: 'BatchIncompleteError', batchId: string, step: string, code: string, message: string }
    | { __typename: 'BatchMutationSuccess', batch: { updatedAt: string | null, totalCount: number, validContacts: number | null, errorMessage: string | null, callRate: number | null, autoCallRate: boolean | null, autoCallRateBaseline: number | null, id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null, hourlyRate: number | null, dailyStartTime: string | null, dailyEndTime: string | null } | null, statusCounts: Array<{ status: ResultStatus, vendorStatus: string, count: number, breakdown: Array<{ status: ResultStatus, vendorStatus: string, count: number }> }>, eta: { finishesAt: string | null, callsPerHour: number | null, expiresBeforeFinish: boolean, unfinishedAtExpiry: number, stalledSince: string | null, basis: string }, progressHistory: Array<{ at: string, total: number, pending: number, inProgress: number, finished: number }>, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } } }
    | { __typename: 'BatchNotFoundError', code: string, message: string }
    | { __typename: 'InvalidInputError', code: string, message: string, field: string | null, validation: { total: number, valid: number, invalid: number, duplicates: number, variableNames: Array<string>, issues: Array<{ row: number, field: string, code: TargetIssueCode, message: string }> } | null }
    | { __typename: 'UnsupportedOperationError', code: string, message: string, operation: string }
    | { __typename: 'VendorError', code: string, message: string, retryAfter: number | null }
    | { __typename: 'WriteOutcomeUnknownError', code: string, message: string }
   };

export type DashboardAddTargetsMutationVariables = Exact<{
  id: string | number;
  targets: Array<TargetInput> | TargetInput;
  skipInvalidTargets?: boolean | null | undefined;
}>;


export type DashboardAddTargetsMutation = { addBatchTargets:
    | { __typename: 'BatchNotFoundError', code: string, message: string }
    | { __typename: 'BatchTargetsAdded', added: number, batch: { updatedAt: string | null, totalCount: number, validContacts: number | null, errorMessage: string | null, callRate: number | null, autoCallRate: boolean | null, autoCallRateBaseline: number | null, id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null, hourlyRate: number | null, dailyStartTime: string | null, dailyEndTime: string | null } | null, statusCounts: Array<{ status: ResultStatus, vendorStatus: string, count: number, breakdown: Array<{ status: ResultStatus, vendorStatus: string, count: number }> }>, eta: { finishesAt: string | null, callsPerHour: number | null, expiresBeforeFinish: boolean, unfinishedAtExpiry: number, stalledSince: string | null, basis: string }, progressHistory: Array<{ at: string, total: number, pending: number, inProgress: number, finished: number }>, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } }, notAdded: Array<{ row: number, message: string }> }
    | { __typename: 'InvalidInputError', code: string, message: string, field: string | null, refused: { total: number, valid: number, invalid: number, duplicates: number, variableNames: Array<string>, issues: Array<{ row: number, field: string, code: TargetIssueCode, message: string }> } | null }
    | { __typename: 'UnsupportedOperationError', code: string, message: string }
    | { __typename: 'VendorError', code: string, message: string }
    | { __typename: 'WriteOutcomeUnknownError', code: string, message: string }
   };

export type DashboardRemoveTargetsMutationVariables = Exact<{
  id: string | number;
  referenceIds: Array<string> | string;
}>;


export type DashboardRemoveTargetsMutation = { removeBatchTargets:
    | { __typename: 'BatchNotFoundError', code: string, message: string }
    | { __typename: 'BatchTargetsRemoved', removed: number, batch: { updatedAt: string | null, totalCount: number, validContacts: number | null, errorMessage: string | null, callRate: number | null, autoCallRate: boolean | null, autoCallRateBaseline: number | null, id: string, vendor: Vendor, vendorBatchId: string, fileName: string | null, status: BatchStatus, vendorStatus: string, paused: boolean, createdAt: string | null, fetchedAt: string, expiresOn: string | null, scheduledAt: string | null, deletedAt: string | null, canPause: boolean, canResume: boolean, canUpdateExpiry: boolean, canUpdateCallRate: boolean, canSchedule: boolean, canStop: boolean, canDelete: boolean, canAddTargets: boolean, canRemoveTargets: boolean, campaign: { id: string, name: string | null, hourlyRate: number | null, dailyStartTime: string | null, dailyEndTime: string | null } | null, statusCounts: Array<{ status: ResultStatus, vendorStatus: string, count: number, breakdown: Array<{ status: ResultStatus, vendorStatus: string, count: number }> }>, eta: { finishesAt: string | null, callsPerHour: number | null, expiresBeforeFinish: boolean, unfinishedAtExpiry: number, stalledSince: string | null, basis: string }, progressHistory: Array<{ at: string, total: number, pending: number, inProgress: number, finished: number }>, agent: { id: string, name: string | null } | null, progress: { total: number, pending: number, inProgress: number, completed: number, notReached: number, failed: number, canceled: number, unknown: number, finished: number, finishedFraction: number } }, notRemoved: Array<{ referenceId: string, message: string }> }
    | { __typename: 'InvalidInputError', code: string, message: string, field: string | null }
    | { __typename: 'UnsupportedOperationError', code: string, message: string }
    | { __typename: 'VendorError', code: string, message: string }
    | { __typename: 'WriteOutcomeUnknownError', code: string, message: string }
   };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const BatchRowFragmentDoc = new TypedDocumentString(`
    fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}
    `, {"fragmentName":"BatchRow"}) as unknown as TypedDocumentString<BatchRowFragment, unknown>;
export const BatchDetailFragmentDoc = new TypedDocumentString(`
    fragment BatchDetail on Batch {
  ...BatchRow
  updatedAt
  totalCount
  validContacts
  errorMessage
  callRate
  autoCallRate
  autoCallRateBaseline
  campaign {
    id
    name
    hourlyRate
    dailyStartTime
    dailyEndTime
  }
  statusCounts {
    status
    vendorStatus
    count
    breakdown {
      status
      vendorStatus
      count
    }
  }
  eta {
    finishesAt
    callsPerHour
    expiresBeforeFinish
    unfinishedAtExpiry
    stalledSince
    basis
  }
  progressHistory(last: 500) {
    at
    total
    pending
    inProgress
    finished
  }
}
    fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}`, {"fragmentName":"BatchDetail"}) as unknown as TypedDocumentString<BatchDetailFragment, unknown>;
export const ControlOutcomeFragmentDoc = new TypedDocumentString(`
    fragment ControlOutcome on BatchMutationResult {
  __typename
  ... on BatchMutationSuccess {
    batch {
      ...BatchDetail
    }
  }
  ... on Error {
    code
    message
  }
  ... on InvalidInputError {
    field
  }
  ... on UnsupportedOperationError {
    operation
  }
  ... on VendorError {
    retryAfter
  }
}
    fragment BatchDetail on Batch {
  ...BatchRow
  updatedAt
  totalCount
  validContacts
  errorMessage
  callRate
  autoCallRate
  autoCallRateBaseline
  campaign {
    id
    name
    hourlyRate
    dailyStartTime
    dailyEndTime
  }
  statusCounts {
    status
    vendorStatus
    count
    breakdown {
      status
      vendorStatus
      count
    }
  }
  eta {
    finishesAt
    callsPerHour
    expiresBeforeFinish
    unfinishedAtExpiry
    stalledSince
    basis
  }
  progressHistory(last: 500) {
    at
    total
    pending
    inProgress
    finished
  }
}
fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}`, {"fragmentName":"ControlOutcome"}) as unknown as TypedDocumentString<ControlOutcomeFragment, unknown>;
export const PreflightFragmentDoc = new TypedDocumentString(`
    fragment Preflight on TargetValidation {
  total
  valid
  invalid
  duplicates
  variableNames
  issues {
    row
    field
    code
    message
  }
}
    `, {"fragmentName":"Preflight"}) as unknown as TypedDocumentString<PreflightFragment, unknown>;
export const DashboardBatchDocument = new TypedDocumentString(`
    query DashboardBatch($id: ID!) {
  batch(id: $id) {
    ...BatchDetail
  }
}
    fragment BatchDetail on Batch {
  ...BatchRow
  updatedAt
  totalCount
  validContacts
  errorMessage
  callRate
  autoCallRate
  autoCallRateBaseline
  campaign {
    id
    name
    hourlyRate
    dailyStartTime
    dailyEndTime
  }
  statusCounts {
    status
    vendorStatus
    count
    breakdown {
      status
      vendorStatus
      count
    }
  }
  eta {
    finishesAt
    callsPerHour
    expiresBeforeFinish
    unfinishedAtExpiry
    stalledSince
    basis
  }
  progressHistory(last: 500) {
    at
    total
    pending
    inProgress
    finished
  }
}
fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}`) as unknown as TypedDocumentString<DashboardBatchQuery, DashboardBatchQueryVariables>;
export const DashboardBatchProgressDocument = new TypedDocumentString(`
    subscription DashboardBatchProgress($id: ID!) {
  batchProgress(id: $id) {
    at
    changed
    staleSince
    batch {
      ...BatchDetail
    }
  }
}
    fragment BatchDetail on Batch {
  ...BatchRow
  updatedAt
  totalCount
  validContacts
  errorMessage
  callRate
  autoCallRate
  autoCallRateBaseline
  campaign {
    id
    name
    hourlyRate
    dailyStartTime
    dailyEndTime
  }
  statusCounts {
    status
    vendorStatus
    count
    breakdown {
      status
      vendorStatus
      count
    }
  }
  eta {
    finishesAt
    callsPerHour
    expiresBeforeFinish
    unfinishedAtExpiry
    stalledSince
    basis
  }
  progressHistory(last: 500) {
    at
    total
    pending
    inProgress
    finished
  }
}
fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}`) as unknown as TypedDocumentString<DashboardBatchProgressSubscription, DashboardBatchProgressSubscriptionVariables>;
export const DashboardResultsDocument = new TypedDocumentString(`
    query DashboardResults($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $status: ResultStatus, $referenceId: String) {
  batch(id: $id) {
    id
    resultsCsvUrl(status: $status)
    results(
      first: $first
      after: $after
      last: $last
      before: $before
      status: $status
      referenceId: $referenceId
    ) {
      totalCount
      fetchedAt
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          id
          referenceId
          target
          status
          vendorStatus
          attemptCount
          durationSeconds
          sentAt
          updatedAt
          errorMessage
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardResultsQuery, DashboardResultsQueryVariables>;
export const DashboardRetryableDocument = new TypedDocumentString(`
    query DashboardRetryable($id: ID!) {
  batch(id: $id) {
    id
    notReached: retryableTargets(statuses: [NOT_REACHED])
    failed: retryableTargets(statuses: [FAILED])
  }
}
    `) as unknown as TypedDocumentString<DashboardRetryableQuery, DashboardRetryableQueryVariables>;
export const DashboardRetryTargetsDocument = new TypedDocumentString(`
    mutation DashboardRetryTargets($id: ID!, $statuses: [ResultStatus!]!, $idempotencyKey: String!, $into: RetryDestinationInput) {
  retryBatchTargets(
    id: $id
    statuses: $statuses
    idempotencyKey: $idempotencyKey
    into: $into
  ) {
    ...ControlOutcome
  }
}
    fragment BatchDetail on Batch {
  ...BatchRow
  updatedAt
  totalCount
  validContacts
  errorMessage
  callRate
  autoCallRate
  autoCallRateBaseline
  campaign {
    id
    name
    hourlyRate
    dailyStartTime
    dailyEndTime
  }
  statusCounts {
    status
    vendorStatus
    count
    breakdown {
      status
      vendorStatus
      count
    }
  }
  eta {
    finishesAt
    callsPerHour
    expiresBeforeFinish
    unfinishedAtExpiry
    stalledSince
    basis
  }
  progressHistory(last: 500) {
    at
    total
    pending
    inProgress
    finished
  }
}
fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}
fragment ControlOutcome on BatchMutationResult {
  __typename
  ... on BatchMutationSuccess {
    batch {
      ...BatchDetail
    }
  }
  ... on Error {
    code
    message
  }
  ... on InvalidInputError {
    field
  }
  ... on UnsupportedOperationError {
    operation
  }
  ... on VendorError {
    retryAfter
  }
}`) as unknown as TypedDocumentString<DashboardRetryTargetsMutation, DashboardRetryTargetsMutationVariables>;
export const DashboardBatchesDocument = new TypedDocumentString(`
    query DashboardBatches($first: Int, $after: String, $last: Int, $before: String, $vendor: Vendor, $status: BatchStatus) {
  batches(
    first: $first
    after: $after
    last: $last
    before: $before
    vendor: $vendor
    status: $status
  ) {
    totalCount
    incompleteVendors
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    edges {
      node {
        ...BatchRow
      }
    }
  }
}
    fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}`) as unknown as TypedDocumentString<DashboardBatchesQuery, DashboardBatchesQueryVariables>;
export const DashboardProgressDocument = new TypedDocumentString(`
    subscription DashboardProgress($ids: [ID!]!) {
  batchesProgress(ids: $ids) {
    at
    changed
    staleSince
    batch {
      ...BatchRow
    }
  }
}
    fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}`) as unknown as TypedDocumentString<DashboardProgressSubscription, DashboardProgressSubscriptionVariables>;
export const DashboardPauseDocument = new TypedDocumentString(`
    mutation DashboardPause($id: ID!) {
  pauseBatch(id: $id) {
    ...ControlOutcome
  }
}
    fragment BatchDetail on Batch {
  ...BatchRow
  updatedAt
  totalCount
  validContacts
  errorMessage
  callRate
  autoCallRate
  autoCallRateBaseline
  campaign {
    id
    name
    hourlyRate
    dailyStartTime
    dailyEndTime
  }
  statusCounts {
    status
    vendorStatus
    count
    breakdown {
      status
      vendorStatus
      count
    }
  }
  eta {
    finishesAt
    callsPerHour
    expiresBeforeFinish
    unfinishedAtExpiry
    stalledSince
    basis
  }
  progressHistory(last: 500) {
    at
    total
    pending
    inProgress
    finished
  }
}
fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}
fragment ControlOutcome on BatchMutationResult {
  __typename
  ... on BatchMutationSuccess {
    batch {
      ...BatchDetail
    }
  }
  ... on Error {
    code
    message
  }
  ... on InvalidInputError {
    field
  }
  ... on UnsupportedOperationError {
    operation
  }
  ... on VendorError {
    retryAfter
  }
}`) as unknown as TypedDocumentString<DashboardPauseMutation, DashboardPauseMutationVariables>;
export const DashboardResumeDocument = new TypedDocumentString(`
    mutation DashboardResume($id: ID!) {
  resumeBatch(id: $id) {
    ...ControlOutcome
  }
}
    fragment BatchDetail on Batch {
  ...BatchRow
  updatedAt
  totalCount
  validContacts
  errorMessage
  callRate
  autoCallRate
  autoCallRateBaseline
  campaign {
    id
    name
    hourlyRate
    dailyStartTime
    dailyEndTime
  }
  statusCounts {
    status
    vendorStatus
    count
    breakdown {
      status
      vendorStatus
      count
    }
  }
  eta {
    finishesAt
    callsPerHour
    expiresBeforeFinish
    unfinishedAtExpiry
    stalledSince
    basis
  }
  progressHistory(last: 500) {
    at
    total
    pending
    inProgress
    finished
  }
}
fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}
fragment ControlOutcome on BatchMutationResult {
  __typename
  ... on BatchMutationSuccess {
    batch {
      ...BatchDetail
    }
  }
  ... on Error {
    code
    message
  }
  ... on InvalidInputError {
    field
  }
  ... on UnsupportedOperationError {
    operation
  }
  ... on VendorError {
    retryAfter
  }
}`) as unknown as TypedDocumentString<DashboardResumeMutation, DashboardResumeMutationVariables>;
export const DashboardExpiryDocument = new TypedDocumentString(`
    mutation DashboardExpiry($id: ID!, $expiresOn: DateTime) {
  updateBatchExpiry(id: $id, expiresOn: $expiresOn) {
    ...ControlOutcome
  }
}
    fragment BatchDetail on Batch {
  ...BatchRow
  updatedAt
  totalCount
  validContacts
  errorMessage
  callRate
  autoCallRate
  autoCallRateBaseline
  campaign {
    id
    name
    hourlyRate
    dailyStartTime
    dailyEndTime
  }
  statusCounts {
    status
    vendorStatus
    count
    breakdown {
      status
      vendorStatus
      count
    }
  }
  eta {
    finishesAt
    callsPerHour
    expiresBeforeFinish
    unfinishedAtExpiry
    stalledSince
    basis
  }
  progressHistory(last: 500) {
    at
    total
    pending
    inProgress
    finished
  }
}
fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}
fragment ControlOutcome on BatchMutationResult {
  __typename
  ... on BatchMutationSuccess {
    batch {
      ...BatchDetail
    }
  }
  ... on Error {
    code
    message
  }
  ... on InvalidInputError {
    field
  }
  ... on UnsupportedOperationError {
    operation
  }
  ... on VendorError {
    retryAfter
  }
}`) as unknown as TypedDocumentString<DashboardExpiryMutation, DashboardExpiryMutationVariables>;
export const DashboardCallRateDocument = new TypedDocumentString(`
    mutation DashboardCallRate($id: ID!, $callRate: Int, $autoCallRate: Boolean) {
  updateBatchCallRate(id: $id, callRate: $callRate, autoCallRate: $autoCallRate) {
    ...ControlOutcome
  }
}
    fragment BatchDetail on Batch {
  ...BatchRow
  updatedAt
  totalCount
  validContacts
  errorMessage
  callRate
  autoCallRate
  autoCallRateBaseline
  campaign {
    id
    name
    hourlyRate
    dailyStartTime
    dailyEndTime
  }
  statusCounts {
    status
    vendorStatus
    count
    breakdown {
      status
      vendorStatus
      count
    }
  }
  eta {
    finishesAt
    callsPerHour
    expiresBeforeFinish
    unfinishedAtExpiry
    stalledSince
    basis
  }
  progressHistory(last: 500) {
    at
    total
    pending
    inProgress
    finished
  }
}
fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}
fragment ControlOutcome on BatchMutationResult {
  __typename
  ... on BatchMutationSuccess {
    batch {
      ...BatchDetail
    }
  }
  ... on Error {
    code
    message
  }
  ... on InvalidInputError {
    field
  }
  ... on UnsupportedOperationError {
    operation
  }
  ... on VendorError {
    retryAfter
  }
}`) as unknown as TypedDocumentString<DashboardCallRateMutation, DashboardCallRateMutationVariables>;
export const DashboardScheduleDocument = new TypedDocumentString(`
    mutation DashboardSchedule($id: ID!, $at: DateTime!) {
  scheduleBatch(id: $id, at: $at) {
    ...ControlOutcome
  }
}
    fragment BatchDetail on Batch {
  ...BatchRow
  updatedAt
  totalCount
  validContacts
  errorMessage
  callRate
  autoCallRate
  autoCallRateBaseline
  campaign {
    id
    name
    hourlyRate
    dailyStartTime
    dailyEndTime
  }
  statusCounts {
    status
    vendorStatus
    count
    breakdown {
      status
      vendorStatus
      count
    }
  }
  eta {
    finishesAt
    callsPerHour
    expiresBeforeFinish
    unfinishedAtExpiry
    stalledSince
    basis
  }
  progressHistory(last: 500) {
    at
    total
    pending
    inProgress
    finished
  }
}
fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}
fragment ControlOutcome on BatchMutationResult {
  __typename
  ... on BatchMutationSuccess {
    batch {
      ...BatchDetail
    }
  }
  ... on Error {
    code
    message
  }
  ... on InvalidInputError {
    field
  }
  ... on UnsupportedOperationError {
    operation
  }
  ... on VendorError {
    retryAfter
  }
}`) as unknown as TypedDocumentString<DashboardScheduleMutation, DashboardScheduleMutationVariables>;
export const DashboardStopDocument = new TypedDocumentString(`
    mutation DashboardStop($id: ID!) {
  stopBatch(id: $id) {
    ...ControlOutcome
  }
}
    fragment BatchDetail on Batch {
  ...BatchRow
  updatedAt
  totalCount
  validContacts
  errorMessage
  callRate
  autoCallRate
  autoCallRateBaseline
  campaign {
    id
    name
    hourlyRate
    dailyStartTime
    dailyEndTime
  }
  statusCounts {
    status
    vendorStatus
    count
    breakdown {
      status
      vendorStatus
      count
    }
  }
  eta {
    finishesAt
    callsPerHour
    expiresBeforeFinish
    unfinishedAtExpiry
    stalledSince
    basis
  }
  progressHistory(last: 500) {
    at
    total
    pending
    inProgress
    finished
  }
}
fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}
fragment ControlOutcome on BatchMutationResult {
  __typename
  ... on BatchMutationSuccess {
    batch {
      ...BatchDetail
    }
  }
  ... on Error {
    code
    message
  }
  ... on InvalidInputError {
    field
  }
  ... on UnsupportedOperationError {
    operation
  }
  ... on VendorError {
    retryAfter
  }
}`) as unknown as TypedDocumentString<DashboardStopMutation, DashboardStopMutationVariables>;
export const DashboardDeleteDocument = new TypedDocumentString(`
    mutation DashboardDelete($id: ID!, $reason: String!) {
  deleteBatch(id: $id, reason: $reason) {
    __typename
    ... on BatchDeleted {
      id
      deletedAt
    }
    ... on Error {
      code
      message
    }
    ... on InvalidInputError {
      field
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardDeleteMutation, DashboardDeleteMutationVariables>;
export const DashboardAccessDocument = new TypedDocumentString(`
    query DashboardAccess {
  batchAccess {
    authenticated
    subject
    scopes
    canRead
    canWrite
  }
}
    `) as unknown as TypedDocumentString<DashboardAccessQuery, DashboardAccessQueryVariables>;
export const DashboardLaunchPlacesDocument = new TypedDocumentString(`
    query DashboardLaunchPlaces {
  campaigns {
    id
    name
    callerId
    hourlyRate
  }
  agents {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<DashboardLaunchPlacesQuery, DashboardLaunchPlacesQueryVariables>;
export const DashboardCreateBatchDocument = new TypedDocumentString(`
    mutation DashboardCreateBatch($input: CreateBatchInput!) {
  createBatch(input: $input) {
    ...ControlOutcome
    ... on InvalidInputError {
      validation {
        ...Preflight
      }
    }
    ... on BatchIncompleteError {
      batchId
      step
    }
  }
}
    fragment BatchDetail on Batch {
  ...BatchRow
  updatedAt
  totalCount
  validContacts
  errorMessage
  callRate
  autoCallRate
  autoCallRateBaseline
  campaign {
    id
    name
    hourlyRate
    dailyStartTime
    dailyEndTime
  }
  statusCounts {
    status
    vendorStatus
    count
    breakdown {
      status
      vendorStatus
      count
    }
  }
  eta {
    finishesAt
    callsPerHour
    expiresBeforeFinish
    unfinishedAtExpiry
    stalledSince
    basis
  }
  progressHistory(last: 500) {
    at
    total
    pending
    inProgress
    finished
  }
}
fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}
fragment ControlOutcome on BatchMutationResult {
  __typename
  ... on BatchMutationSuccess {
    batch {
      ...BatchDetail
    }
  }
  ... on Error {
    code
    message
  }
  ... on InvalidInputError {
    field
  }
  ... on UnsupportedOperationError {
    operation
  }
  ... on VendorError {
    retryAfter
  }
}
fragment Preflight on TargetValidation {
  total
  valid
  invalid
  duplicates
  variableNames
  issues {
    row
    field
    code
    message
  }
}`) as unknown as TypedDocumentString<DashboardCreateBatchMutation, DashboardCreateBatchMutationVariables>;
export const DashboardAddTargetsDocument = new TypedDocumentString(`
    mutation DashboardAddTargets($id: ID!, $targets: [TargetInput!]!, $skipInvalidTargets: Boolean) {
  addBatchTargets(
    id: $id
    targets: $targets
    skipInvalidTargets: $skipInvalidTargets
  ) {
    __typename
    ... on BatchTargetsAdded {
      added
      batch {
        ...BatchDetail
      }
      notAdded {
        row
        message
      }
    }
    ... on Error {
      code
      message
    }
    ... on InvalidInputError {
      field
      refused: validation {
        ...Preflight
      }
    }
  }
}
    fragment BatchDetail on Batch {
  ...BatchRow
  updatedAt
  totalCount
  validContacts
  errorMessage
  callRate
  autoCallRate
  autoCallRateBaseline
  campaign {
    id
    name
    hourlyRate
    dailyStartTime
    dailyEndTime
  }
  statusCounts {
    status
    vendorStatus
    count
    breakdown {
      status
      vendorStatus
      count
    }
  }
  eta {
    finishesAt
    callsPerHour
    expiresBeforeFinish
    unfinishedAtExpiry
    stalledSince
    basis
  }
  progressHistory(last: 500) {
    at
    total
    pending
    inProgress
    finished
  }
}
fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}
fragment Preflight on TargetValidation {
  total
  valid
  invalid
  duplicates
  variableNames
  issues {
    row
    field
    code
    message
  }
}`) as unknown as TypedDocumentString<DashboardAddTargetsMutation, DashboardAddTargetsMutationVariables>;
export const DashboardRemoveTargetsDocument = new TypedDocumentString(`
    mutation DashboardRemoveTargets($id: ID!, $referenceIds: [String!]!) {
  removeBatchTargets(id: $id, referenceIds: $referenceIds) {
    __typename
    ... on BatchTargetsRemoved {
      removed
      batch {
        ...BatchDetail
      }
      notRemoved {
        referenceId
        message
      }
    }
    ... on Error {
      code
      message
    }
    ... on InvalidInputError {
      field
    }
  }
}
    fragment BatchDetail on Batch {
  ...BatchRow
  updatedAt
  totalCount
  validContacts
  errorMessage
  callRate
  autoCallRate
  autoCallRateBaseline
  campaign {
    id
    name
    hourlyRate
    dailyStartTime
    dailyEndTime
  }
  statusCounts {
    status
    vendorStatus
    count
    breakdown {
      status
      vendorStatus
      count
    }
  }
  eta {
    finishesAt
    callsPerHour
    expiresBeforeFinish
    unfinishedAtExpiry
    stalledSince
    basis
  }
  progressHistory(last: 500) {
    at
    total
    pending
    inProgress
    finished
  }
}
fragment BatchRow on Batch {
  id
  vendor
  vendorBatchId
  fileName
  status
  vendorStatus
  paused
  createdAt
  fetchedAt
  expiresOn
  scheduledAt
  deletedAt
  campaign {
    id
    name
  }
  agent {
    id
    name
  }
  progress {
    total
    pending
    inProgress
    completed
    notReached
    failed
    canceled
    unknown
    finished
    finishedFraction
  }
  canPause
  canResume
  canUpdateExpiry
  canUpdateCallRate
  canSchedule
  canStop
  canDelete
  canAddTargets
  canRemoveTargets
}`) as unknown as TypedDocumentString<DashboardRemoveTargetsMutation, DashboardRemoveTargetsMutationVariables>;