import { InvalidInputError, vendorLabel } from './errors.js';
import type { PreparedTarget } from './targets.js';
import type { Vendor } from './model.js';

/**
 * A batch to create (`createBatch`), as the store hands it to a vendor's adapter: its options, and
 * its targets already checked and normalised (E.164).
 */

/** The settings of a new batch; each vendor takes its own and refuses the other's. */
export interface LaunchOptions {
  // Syllable
  readonly campaignId?: string | null;
  /** Left paused after its targets are loaded; false starts it. */
  readonly paused?: boolean | null;
  readonly expiresOn?: Date | null;
  /** Calls an hour, 1 to 3600. */
  readonly callRate?: number | null;
  // Bolna
  readonly agentId?: string | null;
  /** E.164 caller numbers. */
  readonly fromPhoneNumbers?: readonly string[] | null;
  readonly scheduledAt?: Date | null;
  readonly retry?: RetryOptions | null;
}

/** The settings of a new batch out of a larger input (the rest of it left behind). */
export function launchOptionsOf(input: LaunchOptions): LaunchOptions {
  const { campaignId, paused, expiresOn, callRate, agentId, fromPhoneNumbers, scheduledAt, retry } = input;
  return { campaignId, paused, expiresOn, callRate, agentId, fromPhoneNumbers, scheduledAt, retry };
}

/** What a new batch is created in: a Syllable campaign or a Bolna agent, and the input field naming it. */
export interface LaunchDestination {
  readonly field: 'campaignId' | 'agentId';
  readonly kind: 'campaign' | 'agent';
  readonly id: string | null;
}

export function launchDestination(vendor: Vendor, options: LaunchOptions): LaunchDestination {
  return vendor === 'syllable' ? { field: 'campaignId', kind: 'campaign', id: options.campaignId ?? null } : { field: 'agentId', kind: 'agent', id: options.agentId ?? null };
}

/** The destination of a new batch is not one the vendor knows; `how` says how that was learnt, `after` what follows. */
export function unknownDestination(vendor: Vendor, options: LaunchOptions, how = '', after = ''): InvalidInputError {
  const { field, kind, id } = launchDestination(vendor, options);
  return new InvalidInputError(`${vendorLabel(vendor)} has no ${kind} ${id}${how}: see \`${kind}s\`.${after}`, field);
}

/** Bolna's `retry_config`: attempts after the first for a target not reached, and the waits between. */
export interface RetryOptions {
  readonly maxRetries: number;
  readonly intervalsMinutes: readonly number[];
}

/** The checked targets of a list: their variable columns and rows. */
export interface TargetFile {
  readonly variableNames: readonly string[];
  readonly targets: readonly PreparedTarget[];
}

export interface NewBatch {
  readonly vendor: Vendor;
  /**
   * Names the batch after its idempotency key (a short hash of it), so a create whose answer was
   * lost can be found again: Syllable's batch id, a part of Bolna's file name.
   */
  readonly launchTag: string;
  /** The file name the vendor shows (`upload_filename`, `file_name`). */
  readonly fileName: string;
  readonly targets: TargetFile;
  readonly options: LaunchOptions;
}

/** Where a created batch stands with its targets. */
export type LoadState = 'loaded' | 'empty' | 'failed';
