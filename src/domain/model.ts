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
  /** Syllable pace in calls an hour; null falls back to the campaign's `hourly_rate`. */
  readonly callRate: number | null;
  /** Syllable derives the pace from the expiry; null for Bolna. */
  readonly autoCallRate: boolean | null;
  /** The first pace Syllable computed for an automatic rate. */
  readonly autoCallRateBaseline: number | null;
  readonly dispatchId: string | null;
  /** Syllable deletes softly: a deleted batch still reads, with these set. */
  readonly deletedAt: Timestamp | null;
  readonly deletedReason: string | null;
  /** Bolna caller numbers (`from_phone_numbers`, or the deprecated single `from_phone_number`). */
  readonly fromPhoneNumbers: readonly string[];
  /** Bolna rows of the upload that passed validation. */
  readonly validContacts: number | null;
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

/** What a batch record holds where a vendor (or the key alone) tells nothing. */
const NOTHING_KNOWN: Omit<BatchRecord, 'vendor' | 'vendorBatchId' | 'status' | 'vendorStatus' | 'fetchedAt'> = {
  paused: false,
  expiresOn: null,
  scheduledAt: null,
  createdAt: null,
  updatedAt: null,
  lastUpdatedBy: null,
  fileName: null,
  errorMessage: null,
  campaignId: null,
  agentId: null,
  callRate: null,
  autoCallRate: null,
  autoCallRateBaseline: null,
  dispatchId: null,
  deletedAt: null,
  deletedReason: null,
  fromPhoneNumbers: [],
  validContacts: null,
  statusCounts: undefined,
  declaredTotal: null,
};

/** A batch record with the fields given, and nothing known of the others. */
export function batchRecord(fields: Pick<BatchRecord, 'vendor' | 'vendorBatchId' | 'status' | 'vendorStatus' | 'fetchedAt'> & Partial<BatchRecord>): BatchRecord {
  return { ...NOTHING_KNOWN, ...fields };
}

/**
 * One target of a batch. Fields only one vendor has are left out of the other's rows (absent
 * reads as null): 100,000 rows × eight empty fields is 6 MB.
 */
export interface ResultRecord {
  readonly vendor: Vendor;
  readonly vendorBatchId: string;
  /** Syllable `reference_id`, Bolna execution `id`: unique within the batch. */
  readonly referenceId: string;
  readonly target: string | null;
  readonly variables: Record<string, unknown> | null;
  readonly status: ResultStatus;
  readonly vendorStatus: string;
  readonly attemptCount: number | null;
  // Timestamps of rows stay the vendor's text, parsed when a field asks: a batch may have
  // 100,000 rows, of which a page shows a hundred.
  readonly createdAt: string | null;
  readonly insights: Record<string, unknown> | null;
  /** The telephony provider's call id (Bolna `provider_call_id`, Syllable `channel_manager_sid`). */
  readonly providerCallId: string | null;
  // Syllable only.
  readonly channelStatus?: string | null;
  readonly sentAt?: string | null;
  readonly sessionId?: string | null;
  readonly conversationId?: string | null;
  /** Syllable's post-call analysis state (free text, e.g. PENDING). */
  readonly insightsStatus?: string | null;
  /** Syllable's phone lookup: mobile, landline, voip. */
  readonly lineType?: string | null;
  /** Syllable's raw phone-lookup data (carrier, mcc, mnc…). */
  readonly enrichment?: Record<string, unknown> | null;
  // Bolna only.
  readonly updatedAt?: string | null;
  readonly durationSeconds?: number | null;
  readonly costCents?: number | null;
  readonly recordingUrl?: string | null;
  readonly transcript?: string | null;
  readonly answeredByVoicemail?: boolean | null;
  /**
   * How the call ended; null when the vendor gave nothing. Rows share equal details: a batch of
   * 100,000 calls has a few hundred distinct ones.
   */
  readonly call?: CallDetail | null;
  /** Cost per component in cents, in `COST_COMPONENTS` order (NaN when missing); null when none was given. */
  readonly costs?: readonly number[] | null;
}

/** What the telephony provider and the vendor's platform said about how one call ended. */
export interface CallDetail {
  /** Telephony provider (Bolna `twilio`, `plivo`). */
  readonly provider: string | null;
  readonly hangupBy: string | null;
  readonly hangupReason: string | null;
  readonly ringDurationSeconds: number | null;
  /** Why the call failed (Bolna `error_message`). */
  readonly errorMessage: string | null;
}

/** The components of Bolna's `cost_breakdown`, in the order `ResultRecord.costs` keeps them. */
export const COST_COMPONENTS = ['llm', 'network', 'platform', 'synthesizer', 'transcriber'] as const;

export interface CostBreakdown {
  readonly llm: number | null;
  readonly network: number | null;
  readonly platform: number | null;
  readonly synthesizer: number | null;
  readonly transcriber: number | null;
}

/** A Syllable outbound campaign: the parent of its batches, holding their hours, pace and caller id. */
export interface CampaignRecord {
  readonly vendor: Vendor;
  readonly id: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly mode: string | null;
  readonly callerId: string | null;
  readonly hourlyRate: number | null;
  readonly maxDailyCalls: number | null;
  readonly dailyStartTime: string | null;
  readonly dailyEndTime: string | null;
  readonly activeDays: readonly string[];
  readonly retryCount: number | null;
  readonly retryInterval: string | null;
  /** The agent the campaign's calls use (a Syllable agent id). */
  readonly agentId: string | null;
  readonly createdAt: Timestamp | null;
  readonly updatedAt: Timestamp | null;
}

/** A Bolna agent: the voice agent that places a batch's calls. */
export interface AgentRecord {
  readonly vendor: Vendor;
  readonly id: string;
  /** Null when the vendor does not say (or the agent could not be read). */
  readonly name: string | null;
  readonly agentType: string | null;
  readonly status: string | null;
  readonly createdAt: Timestamp | null;
  readonly updatedAt: Timestamp | null;
}

/** The batches of one vendor list read, and how many items of it could not be read. */
export interface BatchList {
  readonly records: readonly BatchRecord[];
  /** Items without a batch id (or not objects): kept out of the records, never out of the count. */
  readonly unreadable: number;
}

/** List filters a vendor may apply itself (exactly); every filter is applied here as well. */
export interface BatchListFilter {
  /** Syllable `search_fields=campaign_id`. */
  readonly campaignId?: string;
  /** Bolna lists per agent: only this agent's list is read. */
  readonly agentId?: string;
}

/** The controls a batch may offer; each is one mutation. */
export const BATCH_CONTROLS = ['pause', 'resume', 'updateExpiry', 'updateCallRate', 'schedule', 'stop', 'delete', 'addTargets', 'removeTargets'] as const;
export type BatchControl = (typeof BATCH_CONTROLS)[number];

/** What a vendor allows for a batch in its current state: one flag per control. */
export type BatchCapabilities = { readonly [C in BatchControl]: boolean };

export interface BatchChange {
  readonly paused?: boolean;
  /** `null` clears the expiry. */
  readonly expiresOn?: Date | null;
  /** Calls an hour; `null` clears it (the campaign's hourly rate applies). */
  readonly callRate?: number | null;
  readonly autoCallRate?: boolean;
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
  /** Rows the vendor sent that could not be read (no reference id): counted, not shown. */
  readonly unreadable: number;
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
  /** Code of the vendor failure (or slowness: VENDOR_TIMEOUT) that made the data stale. */
  readonly reason: string;
}

/**
 * Something a retry's answer should be read with: its source batch was still running (its targets
 * may still change), or some of the targets it matched were left out of the new batch.
 */
export interface RetryWarning {
  readonly code: 'SOURCE_STILL_RUNNING' | 'TARGETS_LEFT_OUT';
  readonly vendor: Vendor;
  readonly message: string;
}

/** What an answer's `extensions.warnings` may hold. */
export type OperationWarning = DataWarning | RetryWarning;
