import { resultGlobalId } from '../domain/ids.js';
import type { ResultRecord } from '../domain/model.js';
import { builder } from './builder.js';
import { ResultStatusEnum } from './status-count.js';
import { readTimestamp } from './timestamp.js';
import { VendorEnum } from './vendor.js';

const resultIdOf = (result: ResultRecord): string =>
  resultGlobalId({ vendor: result.vendor, batchId: result.vendorBatchId, referenceId: result.referenceId });

export const BatchResultRef = builder.objectRef<ResultRecord>('BatchResult').implement({
  description: 'One target of a batch and what happened to it (a Syllable request result or a Bolna execution).',
  interfaces: [builder.nodeInterfaceRef()],
  authScopes: { batchesRead: true },
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
    createdAt: t.field({ type: 'DateTime', nullable: true, description: 'When the target was added.', resolve: (r) => readTimestamp(r.vendor, 'createdAt', r.createdAt) }),
    sentAt: t.field({ type: 'DateTime', nullable: true, description: 'When the call was placed (Syllable).', resolve: (r) => readTimestamp(r.vendor, 'sentAt', r.sentAt) }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, description: 'Last status change (Bolna).', resolve: (r) => readTimestamp(r.vendor, 'updatedAt', r.updatedAt) }),
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
      description: 'Data extracted after the call: Syllable `insights`, Bolna `extracted_data`.',
    }),
    insightsStatus: t.exposeString('insightsStatus', { nullable: true, description: 'State of Syllable post-call analysis, as the vendor words it.' }),
    lineType: t.exposeString('lineType', { nullable: true, description: 'Phone line type from Syllable lookup: mobile, landline, voip.' }),
  }),
});
