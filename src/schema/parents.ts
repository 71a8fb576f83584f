import type { AgentRecord, CampaignRecord } from '../domain/model.js';
import { builder } from './builder.js';
import { readTimestamp } from './timestamp.js';
import { VendorEnum } from './vendor.js';

/** The parents batches belong to: a Syllable campaign, a Bolna agent. Read once per distinct id. */

export const CampaignRef = builder.objectRef<CampaignRecord>('Campaign').implement({
  description: "A Syllable outbound campaign: the parent of its batches. It sets their calling hours, pace, caller id and retries.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The campaign id at Syllable (an integer).' }),
    vendor: t.field({ type: VendorEnum, description: 'The vendor of the campaign (Syllable).', resolve: (c) => c.vendor }),
    name: t.exposeString('name', { nullable: true, description: 'The campaign name (`campaign_name`).' }),
    description: t.exposeString('description', { nullable: true, description: 'What the campaign is for.' }),
    mode: t.exposeString('mode', { nullable: true, description: 'The channel, as Syllable words it: voice, sms or email.' }),
    callerId: t.exposeString('callerId', { nullable: true, description: 'The number calls come from (`caller_id`).' }),
    hourlyRate: t.exposeInt('hourlyRate', {
      nullable: true,
      description: "Calls an hour for the campaign's batches that set no `callRate` of their own (1 to 3600).",
    }),
    maxDailyCalls: t.exposeInt('maxDailyCalls', { nullable: true, description: 'The most calls a day; null for no limit.' }),
    dailyStartTime: t.exposeString('dailyStartTime', { nullable: true, description: 'Start of the daily calling window, as Syllable gives it (e.g. `09:00`).' }),
    dailyEndTime: t.exposeString('dailyEndTime', { nullable: true, description: 'End of the daily calling window.' }),
    activeDays: t.exposeStringList('activeDays', { description: 'Days calls are placed: `mon` to `sun`.' }),
    retryCount: t.exposeInt('retryCount', { nullable: true, description: 'Attempts after the first for a target not reached.' }),
    retryInterval: t.exposeString('retryInterval', { nullable: true, description: 'Time between attempts, as Syllable words it.' }),
    agentId: t.exposeID('agentId', { nullable: true, description: 'The Syllable agent that places the calls.' }),
    createdAt: t.field({ type: 'DateTime', nullable: true, description: 'When the campaign was created.', resolve: (c) => readTimestamp(c.vendor, 'createdAt', c.createdAt) }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the campaign last changed.', resolve: (c) => readTimestamp(c.vendor, 'updatedAt', c.updatedAt) }),
  }),
});

export const AgentRef = builder.objectRef<AgentRecord>('Agent').implement({
  description: 'The Bolna voice agent that places the calls of a batch.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The agent id at Bolna (a uuid).' }),
    vendor: t.field({ type: VendorEnum, description: 'The vendor of the agent (Bolna).', resolve: (a) => a.vendor }),
    name: t.exposeString('name', { nullable: true, description: 'The agent name (`agent_name`); null when Bolna does not give it.' }),
    agentType: t.exposeString('agentType', { nullable: true, description: 'The kind of agent, as Bolna words it.' }),
    status: t.exposeString('status', { nullable: true, description: 'Whether the agent is ready, as Bolna words it (`processed`, `seeding`).' }),
    createdAt: t.field({ type: 'DateTime', nullable: true, description: 'When the agent was created.', resolve: (a) => readTimestamp(a.vendor, 'createdAt', a.createdAt) }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the agent last changed.', resolve: (a) => readTimestamp(a.vendor, 'updatedAt', a.updatedAt) }),
  }),
});

builder.queryFields((t) => ({
  campaigns: t.field({
    type: [CampaignRef],
    description: 'The Syllable campaigns new batches can be created in (`createBatch` `campaignId`); empty when Syllable is not enabled. Read once per CACHE_TTL_MS.',
    authScopes: { batchesRead: true },
    resolve: (_root, _args, ctx) => ctx.store.reads.campaigns(),
  }),
  agents: t.field({
    type: [AgentRef],
    description: 'The Bolna agents new batches can be created for (`createBatch` `agentId`): those configured in BOLNA_AGENT_IDS; empty when Bolna is not enabled. Read once per CACHE_TTL_MS.',
    authScopes: { batchesRead: true },
    resolve: (_root, _args, ctx) => ctx.store.reads.agents(),
  }),
}));
