import { batchRecord, COST_COMPONENTS, type AgentRecord, type BatchRecord, type CallDetail, type ResultRecord, type StatusCountRecord } from '../../domain/model.js';
import { normaliseBolnaBatchStatus, normaliseBolnaExecutionStatus } from '../../domain/status.js';
import { lazyTimestamp, rawTime } from '../../domain/time.js';
import { intern, internRecord } from '../intern.js';
import { asBoolean, asCountMap, asId, asNumber, asObject, asString, asStringArray, type JsonObject } from '../json-reader.js';

/** Bolna JSON → domain records. Bolna's `Batch` declares no required field, so every read is optional. */

export function toBatchRecord(raw: JsonObject, agentId: string | null, fetchedAt: number): BatchRecord | null {
  const batchId = asId(raw.batch_id);
  if (!batchId) return null;
  // Batch responses carry no status in some docs versions; action responses call it `state`.
  const vendorStatus = asString(raw.status) ?? asString(raw.state) ?? 'created';
  // Bolna has no pause, expiry, pace, campaign or soft deletion: those stay unknown.
  return batchRecord({
    vendor: 'bolna',
    vendorBatchId: batchId,
    status: normaliseBolnaBatchStatus(vendorStatus),
    vendorStatus,
    scheduledAt: lazyTimestamp(raw.scheduled_at),
    createdAt: lazyTimestamp(raw.created_at),
    updatedAt: lazyTimestamp(raw.updated_at),
    fileName: asString(raw.file_name),
    agentId: asId(raw.agent_id) ?? agentId,
    fromPhoneNumbers: callerNumbers(raw),
    validContacts: asNumber(raw.valid_contacts),
    // Bolna returns the counts on both the list and the single read.
    statusCounts: toStatusCounts(raw),
    declaredTotal: asNumber(raw.total_contacts),
    fetchedAt,
  });
}

/** `from_phone_numbers`, with the deprecated single `from_phone_number` read too (older batches carry only it). */
function callerNumbers(raw: JsonObject): string[] {
  const numbers = asStringArray(raw.from_phone_numbers) ?? [];
  const single = asString(raw.from_phone_number);
  return single && !numbers.includes(single) ? [...numbers, single] : numbers;
}

function toStatusCounts(raw: JsonObject): StatusCountRecord[] {
  return [...(asCountMap(raw.execution_status) ?? [])].map(([vendorStatus, count]) => ({
    status: normaliseBolnaExecutionStatus(vendorStatus),
    vendorStatus,
    count,
    breakdown: [],
  }));
}

/** `sameAsBefore` shares repeated values between consecutive rows of one answer. */
export function toResultRecord(batchId: string, raw: JsonObject, sameAsBefore: <T extends string | null>(value: T) => T = (value) => value): ResultRecord | null {
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
    // `retried` counts retries after the first attempt.
    attemptCount: retried === null ? null : retried + 1,
    createdAt: sameAsBefore(rawTime(raw.created_at) ?? rawTime(run?.created_at)),
    updatedAt: rawTime(raw.updated_at) ?? rawTime(run?.updated_at),
    // Older documents name the duration `conversation_time`.
    durationSeconds: asNumber(raw.conversation_duration) ?? asNumber(raw.conversation_time),
    costCents: asNumber(raw.total_cost),
    recordingUrl: asString(telephony?.recording_url),
    transcript: asString(raw.transcript),
    answeredByVoicemail: asBoolean(raw.answered_by_voice_mail),
    insights: asObject(raw.extracted_data),
    providerCallId: asString(telephony?.provider_call_id),
    call: toCallDetail(raw, telephony),
    costs: toCosts(asObject(raw.cost_breakdown)),
  };
}

function toCallDetail(raw: JsonObject, telephony: JsonObject | null): CallDetail | null {
  const provider = asString(telephony?.provider);
  const hangupBy = asString(telephony?.hangup_by);
  const hangupReason = asString(telephony?.hangup_reason);
  const ringDurationSeconds = asNumber(telephony?.ring_duration);
  const errorMessage = asString(raw.error_message);
  if (provider === null && hangupBy === null && hangupReason === null && ringDurationSeconds === null && errorMessage === null) return null;
  const key = JSON.stringify([provider, hangupBy, hangupReason, ringDurationSeconds, errorMessage]);
  return internRecord(key, () => ({ provider, hangupBy, hangupReason, ringDurationSeconds, errorMessage }));
}

/** Five doubles in one packed array: a tenth of the memory of an object of boxed numbers. */
function toCosts(costs: JsonObject | null): number[] | null {
  if (!costs) return null;
  return COST_COMPONENTS.map((component) => asNumber(costs[component]) ?? Number.NaN);
}

/** Bolna `AgentV2` (`GET /v2/agent/{agent_id}`). */
export function toAgentRecord(raw: JsonObject, requestedId: string): AgentRecord {
  return {
    vendor: 'bolna',
    id: asId(raw.id) ?? requestedId,
    name: asString(raw.agent_name),
    agentType: asString(raw.agent_type),
    status: asString(raw.agent_status),
    createdAt: lazyTimestamp(raw.created_at),
    updatedAt: lazyTimestamp(raw.updated_at),
  };
}
