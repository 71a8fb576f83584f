/**
 * Vendor-neutral shapes that the adapters produce and the schema reads.
 * Resolvers never see vendor JSON; adapters never see GraphQL.
 */

export const VENDORS = ['syllable', 'bolna'] as const;
export type Vendor = (typeof VENDORS)[number];

export const BATCH_STATUSES = [
  'PENDING',
  'SCHEDULED',
  'ACTIVE',
  'PAUSED',
  'COMPLETED',
  'FAILED',
  'CANCELED',
  'EXPIRED',
  'UNKNOWN',
] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const RESULT_STATUSES = [
  'PENDING',
  'IN_PROGRESS',
  'COMPLETED',
  'NOT_REACHED',
  'FAILED',
  'CANCELED',
  'UNKNOWN',
] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** A vendor timestamp after parsing: `raw` is kept so an unparsable value is reported, not dropped. */
export interface Timestamp {
  readonly raw: string;
  readonly date: Date | null;
}

/** One vendor status and how many targets are in it; `breakdown` holds channel-level counts. */
export interface StatusCountRecord {
  readonly status: ResultStatus;
  readonly vendorStatus: string;
  readonly count: number;
  readonly breakdown: readonly StatusCountRecord[];
}

export interface BatchRecord {
  readonly vendor: Vendor;
  readonly vendorBatchId: string;
  readonly status: BatchStatus;
  readonly vendorStatus: string;
  readonly paused: boolean;
  readonly expiresOn: Timestamp | null;
  readonly scheduledAt: Timestamp | null;
  readonly createdAt: Timestamp | null;
  readonly updatedAt: Timestamp | null;
  readonly lastUpdatedBy: string | null;
  readonly fileName: string | null;
  readonly errorMessage: string | null;
  readonly campaignId: string | null;
  /** Bolna returns the agent only through the list route it was read from. */
  readonly agentId: string | null;
  /**
   * Per-status counts; `undefined` when the vendor response that produced this record
   * did not carry them (Syllable list items), so a detail read is needed.
   */
  readonly statusCounts: readonly StatusCountRecord[] | undefined;
  /** Targets in the batch when the vendor states it outside the counts (Bolna `total_contacts`). */
  readonly declaredTotal: number | null;
  /** Epoch ms at which the vendor said what this record shows (older when served from a cache). */
  readonly fetchedAt: number;
}

export interface ResultRecord {
  readonly vendor: Vendor;
  readonly vendorBatchId: string;
  /** Syllable `reference_id`, Bolna execution `id`: unique within the batch. */
  readonly referenceId: string;
  readonly target: string | null;
  readonly variables: Record<string, unknown> | null;
  readonly status: ResultStatus;
  readonly vendorStatus: string;
  readonly channelStatus: string | null;
  readonly attemptCount: number | null;
  readonly createdAt: Timestamp | null;
  readonly sentAt: Timestamp | null;
  readonly updatedAt: Timestamp | null;
  readonly sessionId: string | null;
  readonly conversationId: string | null;
  readonly durationSeconds: number | null;
  readonly costCents: number | null;
  readonly recordingUrl: string | null;
  readonly transcript: string | null;
  readonly answeredByVoicemail: boolean | null;
  readonly insights: Record<string, unknown> | null;
  /** Syllable's post-call analysis state (free text, e.g. PENDING). */
  readonly insightsStatus: string | null;
  /** Syllable's phone lookup: mobile, landline, voip. */
  readonly lineType: string | null;
}

/** What a vendor allows for a batch in its current state. */
export interface BatchCapabilities {
  readonly canPause: boolean;
  readonly canResume: boolean;
  readonly canUpdateExpiry: boolean;
}

export interface BatchChange {
  readonly paused?: boolean;
  /** `null` clears the expiry. */
  readonly expiresOn?: Date | null;
}

/** Filters a vendor may apply to a batch's results itself; each is an exact match on a vendor field. */
export interface ResultFilter {
  readonly referenceId?: string;
  /** A vendor request status (Syllable `status`). */
  readonly vendorStatus?: string;
  /** Syllable `insights_status`. */
  readonly insightsStatus?: string;
}

/** The results of one batch as one vendor response gave them. */
export interface ResultSet {
  readonly rows: readonly ResultRecord[];
  /** Epoch ms of the vendor response. */
  readonly fetchedAt: number;
  /** Size of that response in bytes: what keeping the rows costs, roughly. */
  readonly bytes: number;
}

/** Something a response's data should be read with: served from the cache because a vendor failed. */
export interface DataWarning {
  readonly code: 'STALE_DATA';
  readonly vendor: Vendor;
  readonly message: string;
  /** Epoch ms of the vendor answer that was served. */
  readonly fetchedAt: number;
  /** Code of the vendor failure that made the data stale. */
  readonly reason: string;
}
