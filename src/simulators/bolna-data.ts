import { fictionalNumber, Prng } from './prng.js';
import type { Json } from './syllable-data.js';

/** Bolna demo data in the vendor's own JSON shapes (`Batch`, `AgentExecution`). */

export interface BolnaBatchState {
  readonly agentId: string;
  /** The valid rows of a batch created through the API: its executions are made when it is scheduled. */
  readonly contacts?: ReadonlyArray<{ readonly to: string; readonly context: Json }>;
  /** A `Batch` without `execution_status`; counts are computed from `executions` on every read. */
  batch: Json;
  executions: Json[];
}

export interface BolnaState {
  readonly agentIds: readonly string[];
  /** `AgentV2` records by id. */
  readonly agents: Map<string, Json>;
  readonly batches: Map<string, BolnaBatchState>;
  readonly executions: Map<string, Json>;
}

export const BOLNA_CALLER = '+15555550100';
const SECOND_CALLER = '+15555550101';
const AGENT_NAMES = ['Appointment reminder', 'Payment follow-up'];

type Mix = 'none' | 'scheduled' | 'running' | 'done' | 'showcase';

interface BatchSpec {
  readonly agent: 0 | 1;
  readonly status: 'created' | 'scheduled' | 'queued' | 'executed';
  readonly size: number;
  readonly mix: Mix;
  readonly ageHours: number;
  /** Rows of the CSV that failed validation: counted in total_contacts, never called. */
  readonly invalid?: number;
  /** Write timestamps with this offset instead of UTC, as some Bolna responses do. */
  readonly offset?: string;
  /** `legacy`: only the deprecated single `from_phone_number`, as older batches carry; `two`: two caller numbers. */
  readonly callers?: 'legacy' | 'two';
}

// Every Bolna batch status, sizes from 5 to 3,000, over two agents.
const SPECS: readonly BatchSpec[] = [
  { agent: 0, status: 'queued', size: 3_000, mix: 'running', ageHours: 5 },
  { agent: 0, status: 'queued', size: 9 + 6, mix: 'showcase', ageHours: 4 },
  { agent: 0, status: 'executed', size: 800, mix: 'done', ageHours: 48, invalid: 7, offset: '+05:30' },
  { agent: 0, status: 'scheduled', size: 120, mix: 'scheduled', ageHours: 8 },
  { agent: 0, status: 'created', size: 30, mix: 'none', ageHours: 0.5 },
  { agent: 0, status: 'executed', size: 5, mix: 'done', ageHours: 400, callers: 'legacy' },
  { agent: 1, status: 'queued', size: 1_500, mix: 'running', ageHours: 11, offset: '+05:30', callers: 'two' },
  { agent: 1, status: 'queued', size: 400, mix: 'running', ageHours: 28 },
  { agent: 1, status: 'executed', size: 2_000, mix: 'done', ageHours: 96, invalid: 12 },
  { agent: 1, status: 'executed', size: 60, mix: 'done', ageHours: 220 },
  { agent: 1, status: 'scheduled', size: 250, mix: 'scheduled', ageHours: 15 },
  { agent: 1, status: 'created', size: 18, mix: 'none', ageHours: 36 },
];

const OUTCOMES: Record<'scheduled' | 'running' | 'done', Record<string, number>> = {
  scheduled: { scheduled: 1 },
  running: {
    queued: 30,
    rescheduled: 3,
    initiated: 3,
    ringing: 3,
    'in-progress': 4,
    'call-disconnected': 2,
    completed: 35,
    busy: 5,
    'no-answer': 9,
    failed: 2,
    error: 1,
    'balance-low': 1,
  },
  done: { completed: 60, busy: 8, 'no-answer': 18, failed: 4, canceled: 3, stopped: 5, error: 2 },
};

/** Every execution status once. */
const SHOWCASE = [
  'scheduled',
  'queued',
  'rescheduled',
  'initiated',
  'ringing',
  'in-progress',
  'call-disconnected',
  'completed',
  'balance-low',
  'busy',
  'no-answer',
  'canceled',
  'failed',
  'stopped',
  'error',
];

const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];
const CITIES = ['Austin', 'Boston', 'Denver', 'Portland', 'Raleigh'];

/** ISO-8601 in UTC, or shifted to a fixed offset such as `+05:30`. */
function stamp(date: Date, offset?: string): string {
  if (!offset) return date.toISOString().replace('.000Z', 'Z');
  const sign = offset.startsWith('-') ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return `${new Date(date.getTime() + minutes * 60_000).toISOString().slice(0, 19)}${offset}`;
}

function humanize(ageHours: number): string {
  if (ageHours < 1) return `${Math.round(ageHours * 60)} minutes ago`;
  if (ageHours < 48) return `${Math.round(ageHours)} hours ago`;
  return `${Math.round(ageHours / 24)} days ago`;
}

export function createBolnaState(seed: number, anchor: Date, largeBatchTargets = 0): BolnaState {
  const rng = new Prng(seed ^ 0xb01a);
  const agentIds = [rng.uuid(), rng.uuid()];
  const batches = new Map<string, BolnaBatchState>();
  const executions = new Map<string, Json>();
  let numberIndex = 40_000;

  // An extra running batch of `largeBatchTargets` executions, for big-batch tests and benchmarks.
  const large: BatchSpec = { agent: 0, status: 'queued', size: largeBatchTargets, mix: 'running', ageHours: 0.25 };
  for (const spec of largeBatchTargets > 0 ? [...SPECS, large] : SPECS) {
    const agentId = agentIds[spec.agent] ?? '';
    const batchId = rng.hex(32);
    const created = new Date(anchor.getTime() - spec.ageHours * 3_600_000);
    const scheduled = spec.status === 'created' ? null : new Date(created.getTime() + (spec.status === 'scheduled' ? 30 : 1) * 3_600_000);
    const rows: Json[] = [];
    if (spec.mix !== 'none') {
      for (let i = 0; i < spec.size; i += 1) {
        const status = spec.mix === 'showcase' ? (SHOWCASE[i % SHOWCASE.length] ?? 'queued') : rng.weighted(OUTCOMES[spec.mix]);
        const row = execution(rng, { agentId, batchId, status, created: scheduled ?? created, to: fictionalNumber(numberIndex++), offset: spec.offset });
        rows.push(row);
        executions.set(String(row.id), row);
      }
    }
    const valid = spec.size;
    const batch: Json = {
      batch_id: batchId,
      humanized_created_at: humanize(spec.ageHours),
      created_at: stamp(created, spec.offset),
      updated_at: stamp(new Date(created.getTime() + Math.min(spec.ageHours, 2) * 3_600_000), spec.offset),
      status: spec.status,
      ...(scheduled ? { scheduled_at: stamp(scheduled, spec.offset) } : {}),
      from_phone_number: BOLNA_CALLER,
      ...(spec.callers === 'legacy' ? {} : { from_phone_numbers: spec.callers === 'two' ? [BOLNA_CALLER, SECOND_CALLER] : [BOLNA_CALLER] }),
      file_name: `contacts_${batchId.slice(0, 6)}.csv`,
      valid_contacts: valid,
      total_contacts: valid + (spec.invalid ?? 0),
    };
    batches.set(batchId, { agentId, batch, executions: rows });
  }
  const agents = new Map(
    agentIds.map((id, i) => [
      id,
      {
        id,
        agent_name: AGENT_NAMES[i] ?? `Agent ${i + 1}`,
        agent_type: 'other',
        agent_status: 'processed',
        created_at: stamp(new Date(anchor.getTime() - (60 + i) * 86_400_000)),
        updated_at: stamp(new Date(anchor.getTime() - 3 * 86_400_000)),
        tasks: [],
      },
    ]),
  );
  return { agentIds, agents, batches, executions };
}

export interface ExecutionSeed {
  readonly agentId: string;
  readonly batchId: string;
  readonly status: string;
  readonly created: Date;
  readonly to: string;
  readonly offset?: string;
  /** The CSV's other columns (a batch created through the API); the demo's made-up ones otherwise. */
  readonly context?: Json;
}

export function execution(rng: Prng, seed: ExecutionSeed): Json {
  const { status } = seed;
  const dialled = !['scheduled', 'queued', 'rescheduled', 'balance-low', 'canceled'].includes(status);
  const talked = status === 'completed' || status === 'in-progress' || status === 'call-disconnected';
  const duration = talked ? rng.int(20, 300) : 0;
  const updated = new Date(seed.created.getTime() + rng.int(60, 14_400) * 1000);
  const voicemail = status === 'completed' && rng.next() < 0.1;
  const breakdown = { llm: rng.int(1, 40) / 10, network: rng.int(1, 20) / 10, platform: 2, synthesizer: rng.int(1, 70) / 10, transcriber: rng.int(1, 10) / 10 };
  const row: Json = {
    id: rng.uuid(),
    agent_id: seed.agentId,
    batch_id: seed.batchId,
    conversation_duration: duration,
    total_cost: dialled ? Math.round(Object.values(breakdown).reduce((a, b) => a + b, 0) * 100) / 100 : 0,
    status,
    answered_by_voice_mail: voicemail,
    created_at: stamp(seed.created, seed.offset),
    updated_at: stamp(updated, seed.offset),
    cost_breakdown: breakdown,
    telephony_data: {
      duration: String(duration),
      to_number: seed.to,
      from_number: BOLNA_CALLER,
      ...(talked ? { recording_url: `https://recordings.example.com/${seed.batchId}/${rng.hex(16)}.mp3` } : {}),
      hosted_telephony: true,
      provider_call_id: `CA${rng.hex(32)}`,
      call_type: 'outbound',
      provider: rng.pick(['twilio', 'plivo']),
      ...(dialled ? { hangup_by: rng.pick(['Caller', 'Callee', 'Agent']), hangup_reason: status === 'no-answer' ? 'No Answer' : 'Normal Hangup', hangup_provider_code: 4000, ring_duration: rng.int(2, 30), post_dial_delay: 1 } : {}),
    },
    batch_run_details: {
      status,
      created_at: stamp(seed.created, seed.offset),
      updated_at: stamp(updated, seed.offset),
      retried: dialled ? rng.int(0, 2) : 0,
    },
    context_details: seed.context ?? { name: rng.pick(NAMES), city: rng.pick(CITIES) },
  };
  if (status === 'completed') {
    row.transcript = voicemail ? 'assistant: Hello!\nuser: (voicemail greeting)' : 'assistant: Hi, this is a reminder about your appointment.\nuser: Thanks, I will be there.';
    row.extracted_data = { confirmed: rng.next() < 0.7, callback_requested: rng.next() < 0.2 };
  }
  if (status === 'error' || status === 'failed') row.error_message = rng.pick(['Carrier rejected the call', 'Number unreachable']);
  return row;
}

/** `execution_status` of a batch, computed from its executions. */
export function bolnaCounts(executions: readonly Json[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of executions) {
    const status = String(row.status);
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}
