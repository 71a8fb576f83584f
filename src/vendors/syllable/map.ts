import type { BatchRecord, ResultRecord, StatusCountRecord } from '../../domain/model.js';
import { normaliseSyllableBatchStatus, normaliseSyllableResultStatus } from '../../domain/status.js';
import { lazyTimestamp } from '../../domain/time.js';
import { intern } from '../intern.js';
import { asBoolean, asCountMap, asId, asNumber, asObject, asString, type JsonObject } from '../json-reader.js';

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

export function toResultRecord(batchId: string, raw: JsonObject): ResultRecord | null {
  const referenceId = asId(raw.reference_id);
  if (!referenceId) return null;
  const vendorStatus = intern(asString(raw.request_status) ?? 'PENDING');
  const channelStatus = intern(asString(raw.channel_manager_status));
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
    createdAt: lazyTimestamp(raw.created_at),
    sentAt: lazyTimestamp(raw.sent_at),
    updatedAt: null,
    sessionId: asId(raw.session_id),
    conversationId: asId(raw.conversation_id),
    durationSeconds: null,
    costCents: null,
    recordingUrl: null,
    transcript: null,
    answeredByVoicemail: null,
    insights: asObject(raw.insights),
    insightsStatus: intern(asString(raw.insights_status)),
    lineType: intern(asString(raw.line_type)),
  };
}
