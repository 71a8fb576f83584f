import type { InvalidInputError } from '../domain/errors.js';
import type { LaunchOptions, LoadState, NewBatch } from '../domain/launch.js';
import type { PreparedTarget, TargetRow, TargetRules } from '../domain/targets.js';
import type { CallOptions } from '../http/call-options.js';
import type { VendorHealth } from '../http/settings.js';
import type {
  AgentRecord,
  BatchCapabilities,
  BatchChange,
  BatchControl,
  BatchList,
  BatchListFilter,
  BatchRecord,
  CampaignRecord,
  ResultFilter,
  ResultRecord,
  ResultSet,
  Vendor,
} from '../domain/model.js';

/** What a vendor answered to a deletion. */
export interface DeletionReceipt {
  /** The vendor's own time of deletion when it gives one, else when it confirmed the deletion. */
  readonly deletedAt: Date;
  /** The vendor keeps the batch readable, marked deleted (Syllable): its record says when. */
  readonly kept: boolean;
}

/** The arguments of a control that a vendor may have rules about (what it accepts, before any call). */
export interface ControlInput {
  readonly control: BatchControl;
  /** `scheduleBatch`: the start asked for. */
  readonly at?: Date;
  /** `updateBatchCallRate`: calls an hour; null clears it. */
  readonly callRate?: number | null;
}

/**
 * What a vendor allows, and why not: its controls, for which batch states, with which arguments,
 * and its id formats. The store asks; the adapter that knows the vendor says.
 */
export interface VendorRules {
  readonly vendor: Vendor;
  /** Names the vendor account (base URL and credential, hashed) for cache keys. */
  readonly credentialScope: string;
  /** The controls this vendor offers at all, whatever a batch's state. */
  readonly controls: ReadonlySet<BatchControl>;
  /** Why this vendor lacks a control, for the client: what to do instead. */
  unsupported(control: BatchControl): string;
  /** The result filters the vendor applies itself; the rest are applied here. */
  readonly resultFilters: ReadonlySet<keyof ResultFilter>;
  /** The list filters the vendor applies itself (exactly); all are applied here again. Only its batches can match them. */
  readonly listFilters: ReadonlySet<keyof BatchListFilter>;
  /** Why the vendor could not take this list filter (an id in another format), before any call; null when it can. */
  listFilterProblem(filter: BatchListFilter): InvalidInputError | null;
  /** Why the vendor would refuse these arguments of a control (a start too soon, a pace out of range), before any call; null when it takes them. */
  controlInputProblem(input: ControlInput, now: number): InvalidInputError | null;
  /** The vendor names a batch's agent only in its agent's list: a batch read alone finds it there. */
  readonly agentOnList: boolean;
  /** What this vendor allows for the batch in its current state. */
  capabilities(batch: BatchRecord): BatchCapabilities;
  /** What a target list must be for this vendor (reference ids, reserved columns). */
  readonly targetRules: TargetRules;
  /** Why the vendor would refuse these settings of a new batch (a missing campaign, a start too soon), before any call; null when it takes them. */
  launchProblem(options: LaunchOptions, now: number): InvalidInputError | null;
  /** The targets go with the create itself (Bolna), or in a load after it (Syllable). */
  readonly targetsAtCreate: boolean;
  /** Whether a created batch holds its targets, as read back. */
  loadState(batch: BatchRecord): LoadState;
  /** A result's target as a row of a new list (a retry): its number, its reference id and its variables; null when it has no number. */
  retryTarget(result: ResultRecord): TargetRow | null;
}

/** The reads of a vendor, with call options `C`. */
export interface VendorReads<C extends CallOptions = CallOptions> {
  /** Every batch the configured credentials can see, in vendor order, narrowed by `filter` where the vendor can. */
  listBatches(filter: BatchListFilter, call: C): Promise<BatchList>;
  /** One batch with its per-status counts. */
  getBatch(batchId: string, call: C): Promise<BatchRecord | null>;
  /** Per-target results of a batch, filtered as far as `resultFilters` go; `null` when the batch is unknown. */
  listResults(batchId: string, filter: ResultFilter, call: C): Promise<ResultSet | null>;
  getResult(batchId: string, referenceId: string, call: C): Promise<ResultRecord | null>;
  /** The campaign a batch belongs to (Syllable); `null` when unknown or the vendor has none. */
  getCampaign(campaignId: string, call: C): Promise<CampaignRecord | null>;
  /** The agent that places a batch's calls (Bolna); `null` when unknown or the vendor has none. */
  getAgent(agentId: string, call: C): Promise<AgentRecord | null>;
  /** Every campaign new batches can be created in (Syllable); empty for a vendor without campaigns. */
  listCampaigns(call: C): Promise<readonly CampaignRecord[]>;
  /** Every agent new batches can be created for (Bolna: the configured ones); empty for a vendor without agents. */
  listAgents(call: C): Promise<readonly AgentRecord[]>;
}

/**
 * What the API needs from a vendor: its rules, its reads and its writes. Each adapter turns its
 * vendor's JSON into domain records; `null` means "the vendor does not know this id", failures are
 * thrown as typed errors.
 *
 * Writes are only called for a control in `controls` and a batch whose `capabilities` allow it:
 * the store checks both before it calls, so an adapter never sees a write its vendor lacks.
 */
export interface VendorAdapter extends VendorRules, VendorReads {
  /**
   * Applies a change (pause, expiry, pace). Returns the updated batch as the vendor answered
   * (its counts may be missing), or `null` when the batch is unknown.
   */
  updateBatch(batchId: string, change: BatchChange, call: CallOptions): Promise<BatchRecord | null>;
  /** Sets the start of a batch; `false` when the batch is unknown. */
  scheduleBatch(batchId: string, at: Date, bypassCallGuardrails: boolean, call: CallOptions): Promise<boolean>;
  /** Stops a running batch; `false` when the vendor says it is not running (or unknown). Never retried. */
  stopBatch(batchId: string, call: CallOptions): Promise<boolean>;
  /** Deletes a batch; `null` when the batch is unknown. Never retried. */
  deleteBatch(batchId: string, reason: string, call: CallOptions): Promise<DeletionReceipt | null>;
  /**
   * Creates a batch (never retried): its vendor id, or null when the vendor does not know its
   * campaign or agent. With `targetsAtCreate` the targets go with it; else it is created empty.
   */
  createBatch(batch: NewBatch, call: CallOptions): Promise<string | null>;
  /** The batch an earlier create of `batch.launchTag` made, if the vendor has it (after a lost answer). */
  findCreated(batch: NewBatch, call: CallOptions): Promise<BatchRecord | null>;
  /** Loads the targets of a batch created empty, in one file; false when the batch is unknown. Never retried. */
  loadTargets(batchId: string, batch: NewBatch, call: CallOptions): Promise<boolean>;
  /** Starts a loaded batch as its options ask (Syllable: unpause; Bolna: schedule); nothing when they ask nothing. */
  startCreated(batchId: string, batch: NewBatch, call: CallOptions): Promise<void>;
  /** Adds one target to a batch; false when the batch is unknown. Never retried. */
  addTarget(batchId: string, target: PreparedTarget, variableNames: readonly string[], call: CallOptions): Promise<boolean>;
  /** Removes pending targets by reference id; false when the batch is unknown. */
  removeTargets(batchId: string, referenceIds: readonly string[], call: CallOptions): Promise<boolean>;
  /** Breaker and rate-limit state of the vendor's client (readiness, metrics). */
  health(): VendorHealth;
  close(): Promise<void>;
}
