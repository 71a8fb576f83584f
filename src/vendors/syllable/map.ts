import type { BatchRecord, CampaignRecord, ResultRecord, StatusCountRecord } from '../../domain/model.js';
import { normaliseSyllableBatchStatus, normaliseSyllableResultStatus } from '../../domain/status.js';
import { lazyTimestamp, rawTime } from '../../domain/time.js';
import { intern } from '../intern.js';
import { asBoolean, asCountMap, asId, asNumber, asObject, asString, asStringArray, type JsonObject } from '../json-reader.js';

/**
 * Syllable JSON → domain records. Reads the current `CommunicationBatch`/`BatchDetails`
 * shapes and the older full-object shape (`count`, `last_worked_on`, status `IDLE`) still
 * shown in the vendor's docs.
 */

export function toBatchRecord(raw: JsonObject, withCounts: boolean, fetchedAt: number): BatchRecord | null {
  const batchId = asId(raw.batch_id);
  if (!batchId) return null;
  const vendorStatus = asString(raw.status) ?? 'PENDING';
  const paused = asBoolean(raw.paused) ?? vendorStatus.toUpperCase() === 'PAUSED';
  return {
    vendor: 'syllable',
    vendorBatchId: batchId,
    status: normaliseSyllableBatchStatus(vendorStatus, paused),
    vendorStatus,
    paused,
    expiresOn: lazyTimestamp(raw.expires_on),
    scheduledAt: null,
    createdAt: lazyTimestamp(raw.created_at),
    updatedAt: lazyTimestamp(raw.last_updated_at) ?? lazyTimestamp(raw.last_worked_on),
    lastUpdatedBy: asString(raw.last_updated_by),
    fileName: asString(raw.upload_filename),
    errorMessage: asString(raw.error_message),
    campaignId: asId(raw.campaign_id),
    agentId: null,
    callRate: asNumber(raw.call_rate),
    autoCallRate: asBoolean(raw.auto_call_rate) ?? false,
    autoCallRateBaseline: asNumber(raw.auto_call_rate_baseline),
    dispatchId: asId(raw.dispatch_id),
    deletedAt: lazyTimestamp(raw.deleted_at),
    deletedReason: asString(raw.deleted_reason),
    fromPhoneNumbers: [],
    validContacts: null,
    statusCounts: withCounts ? toStatusCounts(raw) : undefined,
    declaredTotal: asNumber(raw.count),
    fetchedAt,
  };
}

/** Merges `status_counts` with `detailed_status_counts`, whose per-channel counts become the breakdown. */
function toStatusCounts(raw: JsonObject): StatusCountRecord[] {
  const plain = asCountMap(raw.status_counts) ?? new Map<string, number>();
  const detailed = asObject(raw.detailed_status_counts) ?? {};
  const requestStatuses = new Set([...plain.keys(), ...Object.keys(detailed)]);
  const counts: StatusCountRecord[] = [];
  for (const requestStatus of requestStatuses) {
    const detail = asObject(detailed[requestStatus]);
    const count = plain.get(requestStatus) ?? asNumber(detail?.total_count) ?? 0;
    const breakdown: StatusCountRecord[] = [];
    for (const [channelStatus, channelCount] of asCountMap(detail?.counts) ?? []) {
      breakdown.push({
        status: normaliseSyllableResultStatus(requestStatus, channelStatus),
        vendorStatus: channelStatus,
        count: channelCount,
        breakdown: [],
      });
    }
    counts.push({ status: normaliseSyllableResultStatus(requestStatus, null), vendorStatus: requestStatus, count, breakdown });
  }
  return counts;
}

/** `sameAsBefore` shares repeated values between consecutive rows of one answer. */
export function toResultRecord(batchId: string, raw: JsonObject, sameAsBefore: <T extends string | null>(value: T) => T = (value) => value): ResultRecord | null {
  const referenceId = asId(raw.reference_id);
  if (!referenceId) return null;
  const vendorStatus = intern(asString(raw.request_status) ?? 'PENDING');
  const channelStatus = intern(asString(raw.channel_manager_status));
  const providerCallId = asString(raw.channel_manager_sid);
  return {
    vendor: 'syllable',
    vendorBatchId: batchId,
    referenceId,
    target: asString(raw.target),
    variables: asObject(raw.request_variables),
    status: normaliseSyllableResultStatus(vendorStatus, channelStatus),
    vendorStatus,
    channelStatus,
    attemptCount: asNumber(raw.attempt_count) ?? 0,
    createdAt: sameAsBefore(rawTime(raw.created_at)),
    sentAt: rawTime(raw.sent_at),
    sessionId: asId(raw.session_id),
    conversationId: asId(raw.conversation_id),
    insights: asObject(raw.insights),
    insightsStatus: intern(asString(raw.insights_status)),
    lineType: intern(asString(raw.line_type)),
    enrichment: asObject(raw.enrichment),
    providerCallId,
  };
}

export function toCampaignRecord(raw: JsonObject): CampaignRecord | null {
  const id = asId(raw.id);
  if (!id) return null;
  return {
    vendor: 'syllable',
    id,
    name: asString(raw.campaign_name),
    description: asString(raw.description),
    mode: asString(raw.mode),
    callerId: asString(raw.caller_id),
    hourlyRate: asNumber(raw.hourly_rate),
    maxDailyCalls: asNumber(raw.max_daily_calls),
    dailyStartTime: asString(raw.daily_start_time),
    dailyEndTime: asString(raw.daily_end_time),
    activeDays: asStringArray(raw.active_days) ?? [],
    retryCount: asNumber(raw.retry_count),
    retryInterval: asString(raw.retry_interval),
    agentId: asId(raw.agent_id),
    createdAt: lazyTimestamp(raw.created_at),
    updatedAt: lazyTimestamp(raw.updated_at),
  };
}
