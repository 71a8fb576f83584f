import type { BatchRecord, ResultRecord, StatusCountRecord } from '../../domain/model.js';
import { normaliseBolnaBatchStatus, normaliseBolnaExecutionStatus } from '../../domain/status.js';
import { lazyTimestamp } from '../../domain/time.js';
import { intern } from '../intern.js';
import { asBoolean, asCountMap, asId, asNumber, asObject, asString, type JsonObject } from '../json-reader.js';

/** Bolna JSON → domain records. Bolna's `Batch` declares no required field, so every read is optional. */

export function toBatchRecord(raw: JsonObject, agentId: string | null, fetchedAt: number): BatchRecord | null {
  const batchId = asId(raw.batch_id);
  if (!batchId) return null;
  // Batch responses carry no status in some docs versions; action responses call it `state`.
  const vendorStatus = asString(raw.status) ?? asString(raw.state) ?? 'created';
  return {
    vendor: 'bolna',
    vendorBatchId: batchId,
    status: normaliseBolnaBatchStatus(vendorStatus),
    vendorStatus,
    paused: false,
    expiresOn: null,
    scheduledAt: lazyTimestamp(raw.scheduled_at),
    createdAt: lazyTimestamp(raw.created_at),
    updatedAt: lazyTimestamp(raw.updated_at),
    lastUpdatedBy: null,
    fileName: asString(raw.file_name),
    errorMessage: null,
    campaignId: null,
    agentId: asId(raw.agent_id) ?? agentId,
    // Bolna returns the counts on both the list and the single read.
    statusCounts: toStatusCounts(raw),
    declaredTotal: asNumber(raw.total_contacts),
    fetchedAt,
  };
}

function toStatusCounts(raw: JsonObject): StatusCountRecord[] {
  return [...(asCountMap(raw.execution_status) ?? [])].map(([vendorStatus, count]) => ({
    status: normaliseBolnaExecutionStatus(vendorStatus),
    vendorStatus,
    count,
    breakdown: [],
  }));
}

export function toResultRecord(batchId: string, raw: JsonObject): ResultRecord | null {
  const referenceId = asId(raw.id);
  if (!referenceId) return null;
  const run = asObject(raw.batch_run_details);
  const telephony = asObject(raw.telephony_data);
  const vendorStatus = intern(asString(raw.status) ?? asString(run?.status) ?? 'queued');
  const retried = asNumber(run?.retried);
  return {
    vendor: 'bolna',
    vendorBatchId: batchId,
    referenceId,
    target: asString(telephony?.to_number),
    variables: asObject(raw.context_details),
    status: normaliseBolnaExecutionStatus(vendorStatus),
    vendorStatus,
    channelStatus: null,
    // `retried` counts retries after the first attempt.
    attemptCount: retried === null ? null : retried + 1,
    createdAt: lazyTimestamp(raw.created_at) ?? lazyTimestamp(run?.created_at),
    sentAt: null,
    updatedAt: lazyTimestamp(raw.updated_at) ?? lazyTimestamp(run?.updated_at),
    sessionId: null,
    conversationId: null,
    // Older documents name the duration `conversation_time`.
    durationSeconds: asNumber(raw.conversation_duration) ?? asNumber(raw.conversation_time),
    costCents: asNumber(raw.total_cost),
    recordingUrl: asString(telephony?.recording_url),
    transcript: asString(raw.transcript),
    answeredByVoicemail: asBoolean(raw.answered_by_voice_mail),
    insights: asObject(raw.extracted_data),
    insightsStatus: null,
    lineType: null,
  };
}
