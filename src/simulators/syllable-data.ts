import { fictionalNumber, Prng } from './prng.js';

/** Syllable demo data in the vendor's own JSON shapes (`CommunicationBatch`, `CommunicationRequestResult`). */

export type Json = Record<string, unknown>;

export interface SyllableBatchState {
  /** A `CommunicationBatch` without counts; counts are computed from `results` on every read. */
  batch: Json;
  results: Json[];
  /** Created through the API (not demo data): it starts calling once unpaused. */
  readonly createdHere?: boolean;
}

export const SYLLABLE_CAMPAIGNS = [
  { id: 101, name: 'Late payments' },
  { id: 102, name: 'Appointment reminders' },
  { id: 103, name: 'Policy renewals' },
] as const;

export const SYLLABLE_EDITOR = 'ops@example.com';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** The demo campaigns as `OutboundCampaign`, created a month before the anchor. */
export function syllableCampaigns(anchor: Date): Map<string, Json> {
  const created = iso(new Date(anchor.getTime() - 30 * 86_400_000));
  const updated = iso(new Date(anchor.getTime() - 2 * 86_400_000));
  const details: Record<number, Json> = {
    101: { description: 'Reminds customers of overdue invoices.', hourly_rate: 300, max_daily_calls: 2_500, retry_count: 2, retry_interval: '12h', days: WEEKDAYS, agent_id: 11 },
    102: { description: 'Confirms tomorrow’s appointments.', hourly_rate: 120, max_daily_calls: null, retry_count: 1, retry_interval: '30m', days: [...WEEKDAYS, 'sat'], agent_id: 12 },
    103: { description: null, hourly_rate: 60, max_daily_calls: 500, retry_count: 0, retry_interval: null, days: ['mon', 'wed', 'fri'], agent_id: null },
  };
  return new Map(
    SYLLABLE_CAMPAIGNS.map((campaign, i) => {
      const { days, ...detail } = details[campaign.id]!;
      return [
        String(campaign.id),
        {
          id: campaign.id,
          campaign_name: campaign.name,
          mode: 'voice',
          sms_session_ttl: null,
          label: null,
          labels: ['demo'],
          campaign_variables: { company: 'Example Co' },
          daily_start_time: '09:00:00',
          daily_end_time: i === 2 ? '20:00:00' : '17:00:00',
          source: `+1555555012${i}`,
          caller_id: `+1555555012${i}`,
          active_days: days,
          voicemail_detection: null,
          allowed_line_types: null,
          include_unknown_line_types: true,
          target_filters: null,
          created_at: created,
          updated_at: updated,
          last_updated_by: SYLLABLE_EDITOR,
          webhooks: [],
          ...detail,
        },
      ];
    }),
  );
}

type Mix = 'pending' | 'running' | 'paused' | 'ended' | 'failed' | 'showcase';

interface BatchSpec {
  readonly status: string;
  readonly paused?: boolean;
  readonly size: number;
  readonly campaign: number;
  readonly mix: Mix;
  /** Hours before the anchor the batch was created. */
  readonly ageHours: number;
  readonly file?: string;
  readonly errorMessage?: string;
  /** Paced by Syllable to finish by its expiry. */
  readonly autoCallRate?: boolean;
  /** Rows carry a free-text `note` as CRM exports hold them, some starting like a spreadsheet formula. */
  readonly notes?: boolean;
}

/**
 * Notes of the large batch, one per row in turn: plain text, and text a spreadsheet would run as a
 * formula (what an export must neutralise).
 */
export const LARGE_BATCH_NOTES = ['call after 5pm', '=HYPERLINK("http://example.com/pay","Pay now")', '+1 owes 20', '-2+3', '@sales follow up', '\tindented', '\rreturned', 'prefers email', ''];

// Every vendor batch status, sizes from 5 to 20,000, across three campaigns.
const SPECS: readonly BatchSpec[] = [
  { status: 'ACTIVE', size: 20_000, campaign: 101, mix: 'running', ageHours: 30 },
  { status: 'ACTIVE', size: 1_200, campaign: 102, mix: 'running', ageHours: 6, autoCallRate: true },
  { status: 'ACTIVE', size: 350, campaign: 103, mix: 'running', ageHours: 50 },
  { status: 'ACTIVE', size: 9, campaign: 102, mix: 'showcase', ageHours: 2 },
  { status: 'ACTIVE', size: 2_500, campaign: 103, mix: 'running', ageHours: 74 },
  { status: 'ACTIVE', size: 45, campaign: 102, mix: 'running', ageHours: 1 },
  { status: 'PENDING', size: 40, campaign: 101, mix: 'pending', ageHours: 3 },
  { status: 'PENDING', size: 5, campaign: 102, mix: 'pending', ageHours: 12 },
  { status: 'PENDING', size: 300, campaign: 101, mix: 'pending', ageHours: 20 },
  { status: 'PAUSED', paused: true, size: 800, campaign: 101, mix: 'paused', ageHours: 26 },
  { status: 'PAUSED', paused: true, size: 60, campaign: 103, mix: 'paused', ageHours: 98 },
  { status: 'FAILED', size: 0, campaign: 102, mix: 'failed', ageHours: 40, errorMessage: 'Row 2: column "phone" is missing' },
  { status: 'FAILED', size: 12, campaign: 103, mix: 'failed', ageHours: 130, errorMessage: 'Caller id is not verified for this campaign' },
  { status: 'CANCELED', size: 150, campaign: 101, mix: 'ended', ageHours: 150 },
  { status: 'CANCELED', size: 25, campaign: 102, mix: 'ended', ageHours: 170 },
  { status: 'EXPIRED', size: 500, campaign: 103, mix: 'ended', ageHours: 200 },
  { status: 'EXPIRED', size: 75, campaign: 101, mix: 'ended', ageHours: 260 },
  { status: 'EXPIRED', size: 220, campaign: 103, mix: 'ended', ageHours: 320 },
];

/** Request status and channel outcome pairs, with weights, per kind of batch. */
const OUTCOMES: Record<Exclude<Mix, 'showcase'>, Record<string, number>> = {
  pending: { 'PENDING|': 1 },
  running: {
    'PENDING|': 30,
    'INITIATED|IN-PROGRESS': 4,
    'CONNECTED|IN-PROGRESS': 4,
    'CONNECTED|NO-ANSWER': 6,
    'CONNECTED|BUSY': 3,
    'CONNECTED|MACHINE': 3,
    'COMPLETED|COMPLETED': 30,
    'COMPLETED|HUMAN': 6,
    'FAILED|FAILED': 3,
    'FAILED|SIP_TEMPORARILY_UNAVAILABLE': 2,
    'INVALID|INVALID': 2,
    'DUPLICATE|DUPLICATE': 1,
    'SKIPPED|FILTERED_LINE_TYPE': 1,
  },
  paused: {
    'PENDING|': 55,
    'CONNECTED|NO-ANSWER': 8,
    'COMPLETED|COMPLETED': 30,
    'FAILED|FAILED': 4,
    'INVALID|INVALID': 3,
  },
  ended: {
    'COMPLETED|COMPLETED': 45,
    'CONNECTED|NO-ANSWER': 12,
    'CONNECTED|BUSY': 5,
    'FAILED|FAILED': 6,
    'CANCELED|CANCELED': 30,
    'SKIPPED|FILTERED_LINE_TYPE': 2,
  },
  failed: { 'FAILED|UNEXPECTED_ERROR': 2, 'INVALID|INVALID': 1 },
};

/** One of every request status, with the channel outcomes that make statuses ambiguous. */
const SHOWCASE = [
  'PENDING|',
  'DUPLICATE|DUPLICATE',
  'INITIATED|',
  'CONNECTED|NO-ANSWER',
  'COMPLETED|COMPLETED',
  'FAILED|SIP_NOT_FOUND',
  'CANCELED|CANCELED',
  'INVALID|INVALID',
  'SKIPPED|FILTERED_LINE_TYPE',
];

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];

function iso(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** An extra running batch of `targets` rows (results as one unpaged array, as Syllable serves them). */
function largeBatchSpec(targets: number): BatchSpec {
  return { status: 'ACTIVE', size: targets, campaign: 101, mix: 'running', ageHours: 0.25, file: `LARGE_BATCH_${targets}.csv`, notes: true };
}

export function createSyllableState(seed: number, anchor: Date, largeBatchTargets = 0): Map<string, SyllableBatchState> {
  const rng = new Prng(seed ^ 0x5111ab1e);
  const state = new Map<string, SyllableBatchState>();
  const perDay = new Map<string, number>();
  let numberIndex = 0;

  const specs = largeBatchTargets > 0 ? [...SPECS, largeBatchSpec(largeBatchTargets)] : SPECS;
  specs.forEach((spec) => {
    const created = new Date(anchor.getTime() - spec.ageHours * 3_600_000);
    const day = created.toISOString().slice(0, 10).replace(/-/g, '');
    const sequence = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, sequence);
    const batchId = `${day}.${sequence}`;
    const expires =
      spec.status === 'EXPIRED'
        ? new Date(created.getTime() + 48 * 3_600_000)
        : spec.status === 'CANCELED' || spec.status === 'FAILED'
          ? null
          : new Date(anchor.getTime() + rng.int(3, 30) * 86_400_000);
    const updated = new Date(created.getTime() + Math.min(spec.ageHours, 4) * 3_600_000);
    const batch: Json = {
      batch_id: batchId,
      campaign_id: spec.campaign,
      expires_on: expires ? iso(expires) : null,
      paused: spec.paused ?? false,
      call_rate: rng.pick([null, 60, 120, 600]),
      auto_call_rate: false,
      status: spec.status,
      auto_call_rate_baseline: null,
      upload_filename: spec.file ?? `${SYLLABLE_CAMPAIGNS.find((c) => c.id === spec.campaign)?.name.toUpperCase().replace(/\s+/g, '_')}_${day}.csv`,
      dispatch_id: rng.hex(32),
      created_at: iso(created),
      deleted_at: null,
      deleted_reason: spec.status === 'CANCELED' ? 'Campaign ended early' : null,
      last_updated_at: iso(updated),
      last_updated_by: SYLLABLE_EDITOR,
      error_message: spec.errorMessage ?? null,
    };
    if (spec.autoCallRate) Object.assign(batch, { call_rate: null, auto_call_rate: true, auto_call_rate_baseline: 85.5 });
    const results: Json[] = [];
    for (let i = 0; i < spec.size; i += 1) {
      const outcome = spec.mix === 'showcase' ? (SHOWCASE[i % SHOWCASE.length] ?? 'PENDING|') : rng.weighted(OUTCOMES[spec.mix]);
      const row = resultRow(rng, `${batchId}-${String(i + 1).padStart(5, '0')}`, fictionalNumber(numberIndex++), outcome, created);
      if (spec.notes) (row.request_variables as Record<string, string>).note = LARGE_BATCH_NOTES[i % LARGE_BATCH_NOTES.length]!;
      results.push(row);
    }
    state.set(batchId, { batch, results });
  });
  return state;
}

function resultRow(rng: Prng, referenceId: string, target: string, outcome: string, batchCreated: Date): Json {
  const [requestStatus = 'PENDING', channelStatus = ''] = outcome.split('|');
  const attempted = requestStatus !== 'PENDING' && requestStatus !== 'DUPLICATE' && requestStatus !== 'INVALID' && requestStatus !== 'SKIPPED';
  const sent = attempted ? new Date(batchCreated.getTime() + rng.int(60, 7_200) * 1000) : null;
  const spoke = requestStatus === 'COMPLETED' || (requestStatus === 'CONNECTED' && channelStatus === 'IN-PROGRESS');
  return {
    reference_id: referenceId,
    target,
    request_variables: {
      first_name: rng.pick(FIRST_NAMES),
      account_number: String(rng.int(100_000, 999_999)),
      amount_due: `${rng.int(20, 900)}.00`,
    },
    channel_manager_sid: attempted ? `CM${rng.hex(32)}` : null,
    created_at: iso(batchCreated),
    sent_at: sent ? iso(sent) : null,
    attempt_count: attempted ? rng.int(1, 3) : 0,
    session_id: spoke ? rng.int(10_000, 99_999) : null,
    conversation_id: spoke ? rng.int(100_000, 999_999) : null,
    request_status: requestStatus,
    channel_manager_status: channelStatus === '' ? null : channelStatus,
    insights_status: requestStatus === 'COMPLETED' ? rng.pick(['COMPLETED', 'COMPLETED', 'PENDING']) : null,
    insights: requestStatus === 'COMPLETED' ? { outcome: rng.pick(['promised_payment', 'callback', 'declined']), rating: rng.pick(['Good', 'Neutral']) } : null,
    line_type: rng.pick(['mobile', 'mobile', 'landline', 'voip']),
    enrichment: null,
  };
}

/** `status_counts` and `detailed_status_counts` of a batch, computed from its results. */
export function syllableCounts(results: readonly Json[]): { status_counts: Record<string, number>; detailed_status_counts: Json } {
  const plain: Record<string, number> = {};
  const detailed: Record<string, { total_count: number; counts: Record<string, number> }> = {};
  for (const row of results) {
    const status = String(row.request_status);
    plain[status] = (plain[status] ?? 0) + 1;
    const entry = (detailed[status] ??= { total_count: 0, counts: {} });
    entry.total_count += 1;
    const channel = row.channel_manager_status;
    if (typeof channel === 'string') entry.counts[channel] = (entry.counts[channel] ?? 0) + 1;
  }
  return { status_counts: plain, detailed_status_counts: detailed };
}
