import { resultGlobalId } from '../domain/ids.js';
import { COST_COMPONENTS, type CostBreakdown, type ResultRecord } from '../domain/model.js';
import { builder } from './builder.js';
import { readGuard } from './read-guard.js';
import { ResultStatusEnum } from './status-count.js';
import { readTimestamp } from './timestamp.js';
import { VendorEnum } from './vendor.js';

const resultIdOf = (result: ResultRecord): string =>
  resultGlobalId({ vendor: result.vendor, batchId: result.vendorBatchId, referenceId: result.referenceId });

function costBreakdownOf(costs: readonly number[] | null): CostBreakdown | null {
  if (!costs) return null;
  const read = (i: number) => (Number.isNaN(costs[i]) ? null : costs[i]!);
  return Object.fromEntries(COST_COMPONENTS.map((component, i) => [component, read(i)])) as unknown as CostBreakdown;
}

const CostBreakdownRef = builder.objectRef<CostBreakdown>('CostBreakdown').implement({
  description: 'What a call cost per component, in cents (Bolna `cost_breakdown`).',
  fields: (t) => ({
    llm: t.exposeFloat('llm', { nullable: true, description: 'Language model.' }),
    network: t.exposeFloat('network', { nullable: true, description: 'Telephony network.' }),
    platform: t.exposeFloat('platform', { nullable: true, description: "Bolna's platform fee." }),
    synthesizer: t.exposeFloat('synthesizer', { nullable: true, description: 'Speech synthesis.' }),
    transcriber: t.exposeFloat('transcriber', { nullable: true, description: 'Speech recognition.' }),
  }),
});

export const BatchResultRef = builder.objectRef<ResultRecord>('BatchResult').implement({
  description: 'One target of a batch and what happened to it (a Syllable request result or a Bolna execution).',
  interfaces: [builder.nodeInterfaceRef()],
  extensions: readGuard('batchesRead'),
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'referenceId' in value,
  fields: (t) => ({
    id: t.id({ description: 'Global id `<vendor>:<batch id>:<reference id>`.', resolve: resultIdOf }),
    vendor: t.field({ type: VendorEnum, description: 'The vendor that ran the call.', resolve: (r) => r.vendor }),
    referenceId: t.exposeString('referenceId', {
      description: 'The row id within its batch: Syllable `reference_id` (chosen by whoever uploaded the batch), Bolna execution id.',
    }),
    target: t.exposeString('target', { nullable: true, description: 'The phone number called.' }),
    variables: t.expose('variables', {
      type: 'JSON',
      nullable: true,
      description: 'Per-target variables given to the agent: Syllable `request_variables`, Bolna `context_details`.',
    }),
    status: t.field({ type: ResultStatusEnum, description: 'State of this target, normalised.', resolve: (r) => r.status }),
    vendorStatus: t.exposeString('vendorStatus', { description: 'The status exactly as the vendor sent it.' }),
    channelStatus: t.exposeString('channelStatus', {
      nullable: true,
      description: 'Syllable channel-manager status (carrier-level outcome such as `NO-ANSWER`); null for Bolna.',
    }),
    attemptCount: t.exposeInt('attemptCount', {
      nullable: true,
      description: 'Attempts made: Syllable `attempt_count`; Bolna retries + 1. Null when the vendor does not say.',
    }),
    retries: t.int({
      nullable: true,
      description: 'Attempts after the first: Bolna `batch_run_details.retried`; for Syllable `attempt_count` − 1 (0 before any attempt). Null when the vendor does not say.',
      resolve: (r) => (r.attemptCount === null ? null : Math.max(0, r.attemptCount - 1)),
    }),
    createdAt: t.field({ type: 'DateTime', nullable: true, description: 'When the target was added.', resolve: (r) => readTimestamp(r.vendor, 'createdAt', r.createdAt) }),
    sentAt: t.field({ type: 'DateTime', nullable: true, description: 'When the call was placed (Syllable).', resolve: (r) => readTimestamp(r.vendor, 'sentAt', r.sentAt ?? null) }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, description: 'Last status change (Bolna).', resolve: (r) => readTimestamp(r.vendor, 'updatedAt', r.updatedAt ?? null) }),
    sessionId: t.exposeID('sessionId', { nullable: true, description: 'Syllable session of the call.' }),
    conversationId: t.exposeID('conversationId', { nullable: true, description: 'Syllable conversation of the call.' }),
    durationSeconds: t.exposeFloat('durationSeconds', { nullable: true, description: 'Conversation length in seconds (Bolna).' }),
    cost: t.exposeFloat('costCents', { nullable: true, description: 'Total cost of the call in cents (Bolna `total_cost`).' }),
    recordingUrl: t.exposeString('recordingUrl', { nullable: true, description: 'Link to the call recording (Bolna).' }),
    transcript: t.exposeString('transcript', { nullable: true, description: 'Transcript of the conversation (Bolna).' }),
    answeredByVoicemail: t.exposeBoolean('answeredByVoicemail', { nullable: true, description: 'True when voicemail answered (Bolna).' }),
    insights: t.expose('insights', {
      type: 'JSON',
      nullable: true,
      description: 'Data extracted after the call, for every vendor: Syllable `insights`, Bolna `extracted_data` (the same as `extractedData`).',
    }),
    extractedData: t.field({
      type: 'JSON',
      nullable: true,
      description: 'Bolna `extracted_data`: structured data pulled from the conversation. Null for Syllable (see `insights`).',
      resolve: (r) => (r.vendor === 'bolna' ? r.insights : null),
    }),
    enrichment: t.expose('enrichment', { type: 'JSON', nullable: true, description: "Syllable's raw phone lookup of the target (line type, carrier, mcc, mnc…)." }),
    provider: t.string({ nullable: true, description: 'Telephony provider that carried the call (Bolna: twilio, plivo).', resolve: (r) => r.call?.provider ?? null }),
    providerCallId: t.exposeString('providerCallId', {
      nullable: true,
      description: "The telephony provider's id of the call: Bolna `provider_call_id`, Syllable `channel_manager_sid`.",
    }),
    hangupBy: t.string({ nullable: true, description: 'Who ended the call, as Bolna words it (Caller, Callee, Agent).', resolve: (r) => r.call?.hangupBy ?? null }),
    hangupReason: t.string({ nullable: true, description: 'Why the call ended, as Bolna words it.', resolve: (r) => r.call?.hangupReason ?? null }),
    ringDurationSeconds: t.float({ nullable: true, description: 'Seconds the phone rang before an answer (Bolna).', resolve: (r) => r.call?.ringDurationSeconds ?? null }),
    errorMessage: t.string({ nullable: true, description: 'Why the call failed, as the vendor words it (Bolna `error_message`).', resolve: (r) => r.call?.errorMessage ?? null }),
    costBreakdown: t.field({ type: CostBreakdownRef, nullable: true, description: 'What the call cost per component (Bolna).', resolve: (r) => costBreakdownOf(r.costs ?? null) }),
    insightsStatus: t.exposeString('insightsStatus', { nullable: true, description: 'State of Syllable post-call analysis, as the vendor words it.' }),
    lineType: t.exposeString('lineType', { nullable: true, description: 'Phone line type from Syllable lookup: mobile, landline, voip.' }),
  }),
});
