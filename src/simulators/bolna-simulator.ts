import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { bolnaCounts, createBolnaState, execution as newExecution, type BolnaBatchState } from './bolna-data.js';
import { Prng } from './prng.js';
import { csvRows } from './http/csv.js';
import { Progression, SimClock } from './progress.js';
import type { Json } from './syllable-data.js';
import { SimulatorServer, type SimRequest, type SimResponse, type SimulatorOptions } from './sim-server.js';

/**
 * Bolna's batch API as its OpenAPI document describes it: `Authorization: Bearer`, errors as
 * `{error, message}`, and 403 with `{detail}` for a bad key, as Bolna's own client observed.
 */

const HEX32 = /^[0-9a-fA-F]{32}$/;
const E164 = /^\+[1-9]\d{6,14}$/;
/** Bolna wants a numeric offset on `scheduled_at` (`+00:00`; its limits page says `Z` is rejected). */
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?[+-]\d{2}:?\d{2}$/;
const TEN_MINUTES = 10 * 60_000;
/** Executions not yet placed: a stop keeps them from ever being placed. */
const NOT_PLACED = new Set(['scheduled', 'queued', 'rescheduled']);

/** Executions not yet at an outcome. */
const STILL_OPEN = new Set(['scheduled', 'queued', 'rescheduled', 'initiated', 'ringing', 'in-progress', 'call-disconnected']);
const CALL_OUTCOMES = { completed: 6, 'no-answer': 2, busy: 1, failed: 1 } as const;
/** Demo pace of a running Bolna batch: Bolna has no pace per batch, only account concurrency. */
const BOLNA_DEMO_RATE_PER_HOUR = 1_200;

/** Bolna writes its own timestamps in UTC, to the second. */
function utc(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function error(status: number, message: string): SimResponse {
  return { status, body: { error: status, message } };
}

/** Bolna's published limit on its batch routes, per organization. */
export const BOLNA_REQUESTS_PER_MINUTE = 1000;

export interface BolnaSimulatorOptions extends SimulatorOptions {
  /** @default 1000, as Bolna publishes */
  readonly rateLimitPerMinute?: number;
  readonly apiKey: string;
  readonly seed: number;
  readonly anchor: Date;
  readonly largeBatchTargets?: number;
}

export interface BolnaSimulator {
  readonly server: SimulatorServer;
  /** Agents whose batches the demo data holds. */
  readonly agentIds: readonly string[];
}

export function createBolnaSimulator(options: BolnaSimulatorOptions): BolnaSimulator {
  const state = createBolnaState(options.seed, options.anchor, options.largeBatchTargets);
  const progress = options.progress ?? { mode: 'off' };
  const clock = new SimClock();
  const running = new Progression<object>(clock.now(), options.seed);
  /** Executions of batches created here. */
  const rng = new Prng(options.seed ^ 0xc0ffee);

  /** Running (`queued`) batches finish their due calls; one with none left becomes `executed`. A batch created here queues at its start. */
  function advance(): void {
    if (progress.mode !== 'realtime') return;
    const now = clock.now();
    for (const entry of state.batches.values()) {
      const id = String(entry.batch.batch_id);
      if (entry.contacts && entry.batch.status === 'scheduled' && Date.parse(String(entry.batch.scheduled_at)) <= now) {
        entry.batch.status = 'queued';
        for (const row of entry.executions) {
          row.status = 'queued';
          Object.assign(row.batch_run_details as Json, { status: 'queued' });
        }
        serialised.delete(entry);
      }
      if (entry.batch.status !== 'queued') {
        running.idle(entry, id, now);
        continue;
      }
      const stamp = utc(new Date(now));
      const { placed, left } = running.advance(entry, id, now, progress.ratePerHour ?? BOLNA_DEMO_RATE_PER_HOUR, entry.executions, (row) => STILL_OPEN.has(String(row.status)), (row, batchClock) => {
        const status = batchClock.outcome(CALL_OUTCOMES);
        row.status = status;
        row.updated_at = stamp;
        const run = row.batch_run_details as Json | undefined;
        if (run) Object.assign(run, { status, updated_at: stamp });
      });
      if (placed === 0 && left) continue;
      if (!left) {
        entry.batch.status = 'executed';
        entry.batch.updated_at = stamp;
      }
      serialised.delete(entry);
    }
  }

  function batchFor(request: SimRequest): SimResponse | { entry: ReturnType<typeof state.batches.get> & object } {
    const id = request.params.batch_id ?? '';
    if (!HEX32.test(id)) return error(400, 'batch_id must be 32 hexadecimal characters');
    const entry = state.batches.get(id.toLowerCase());
    return entry ? { entry } : error(404, 'Batch not found');
  }

  function get(request: SimRequest): SimResponse {
    const found = batchFor(request);
    if (!('entry' in found)) return found;
    return { status: 200, body: { ...found.entry.batch, execution_status: bolnaCounts(found.entry.executions) } };
  }

  function listForAgent(request: SimRequest): SimResponse {
    const agentId = request.params.agent_id ?? '';
    const items = [...state.batches.values()]
      .filter((entry) => entry.agentId === agentId)
      .map((entry) => ({ ...entry.batch, execution_status: bolnaCounts(entry.executions) }));
    return { status: 200, body: items };
  }

  // Executions never change here once generated: serialise each batch's rows once.
  const serialised = new WeakMap<object, string>();
  function executions(request: SimRequest): SimResponse {
    const found = batchFor(request);
    if (!('entry' in found)) return found;
    let text = serialised.get(found.entry);
    if (text === undefined) serialised.set(found.entry, (text = JSON.stringify(found.entry.executions)));
    return { status: 200, body: found.entry.executions, text };
  }

  /**
   * `POST /batches/{id}/schedule`, multipart: `scheduled_at` with a numeric offset, at least 2
   * minutes ahead; the start is rounded up to the next 10 minutes, as Bolna's limits page says.
   */
  function schedule(request: SimRequest): SimResponse {
    const found = batchFor(request);
    if (!('entry' in found)) return found;
    if (request.contentType !== 'multipart/form-data') return error(400, 'Expected a multipart/form-data body');
    const form = (request.body ?? {}) as Record<string, string>;
    const at = form.scheduled_at;
    if (!at) return error(400, 'scheduled_at is required');
    if (!WITH_OFFSET.test(at)) return error(400, 'scheduled_at must be ISO-8601 with a UTC offset such as +00:00');
    const start = new Date(at.replace(' ', 'T'));
    if (Number.isNaN(start.getTime())) return error(400, 'scheduled_at is not a valid date and time');
    if (start.getTime() - Date.now() < 2 * 60_000) return error(400, 'scheduled_at must be at least 2 minutes in the future');
    const bypass = form.bypass_call_guardrails;
    if (bypass !== undefined && bypass !== 'true' && bypass !== 'false') return error(400, 'bypass_call_guardrails must be true or false');
    const batch = found.entry.batch;
    if (batch.status !== 'created' && batch.status !== 'scheduled') return error(400, `A batch in state ${String(batch.status)} cannot be scheduled`);
    batch.scheduled_at = utc(new Date(Math.ceil(start.getTime() / TEN_MINUTES) * TEN_MINUTES));
    batch.status = 'scheduled';
    // A batch created here gets its executions, waiting for the start, once it has one.
    const { entry } = found;
    if (entry.contacts && entry.executions.length === 0) {
      const startAt = new Date(String(batch.scheduled_at));
      for (const contact of entry.contacts) {
        const row = newExecution(rng, { agentId: entry.agentId, batchId: String(batch.batch_id), status: 'scheduled', created: startAt, to: contact.to, context: contact.context });
        entry.executions.push(row);
        state.executions.set(String(row.id), row);
      }
      serialised.delete(entry);
    }
    batch.updated_at = utc(new Date());
    return { status: 200, body: { message: 'success', state: 'scheduled' } };
  }

  /**
   * `POST /batches/{id}/stop`: calls not yet placed become `stopped`. Bolna's batch status has no
   * stopped value, so the batch reads as `executed` (done) from then on.
   */
  function stop(request: SimRequest): SimResponse {
    const found = batchFor(request);
    if (!('entry' in found)) return found;
    const { entry } = found;
    if (entry.batch.status !== 'queued') return { status: 404, body: { message: 'Batch is not queued or running' } };
    const now = utc(new Date());
    for (const row of entry.executions) {
      if (!NOT_PLACED.has(String(row.status))) continue;
      row.status = 'stopped';
      row.updated_at = now;
      const run = row.batch_run_details as Json | undefined;
      if (run) Object.assign(run, { status: 'stopped', updated_at: now });
    }
    serialised.delete(entry);
    entry.batch.status = 'executed';
    entry.batch.updated_at = now;
    return { status: 200, body: { message: 'success', state: 'stopped' } };
  }

  /** `DELETE /batches/{id}`: the batch and its executions are gone. */
  function remove(request: SimRequest): SimResponse {
    const found = batchFor(request);
    if (!('entry' in found)) return found;
    state.batches.delete(String(found.entry.batch.batch_id));
    for (const row of found.entry.executions) state.executions.delete(String(row.id));
    return { status: 200, body: { message: 'success', state: 'deleted' } };
  }

  /**
   * `POST /batches`, multipart: `agent_id`, `file` (CSV with a `contact_number` column in E.164;
   * every other column a variable), `from_phone_numbers` (repeated), `retry_config` (JSON text).
   * Rows whose number is not E.164 are dropped silently: counted in `total_contacts`, not in
   * `valid_contacts`, as Bolna does.
   */
  function create(request: SimRequest): SimResponse {
    if (request.contentType !== 'multipart/form-data' || !request.form) return error(400, 'Expected a multipart/form-data body');
    const { fields, files } = request.form;
    const agentId = fields.get('agent_id')?.at(-1);
    if (!agentId) return error(400, 'agent_id is required');
    const file = files.get('file');
    if (!file) return error(400, 'file is required');
    const callers = fields.get('from_phone_numbers') ?? [];
    const badCaller = callers.find((number) => !E164.test(number));
    if (badCaller !== undefined) return error(422, `from_phone_numbers: ${badCaller} is not a valid E.164 number`);
    const retry = fields.get('retry_config')?.at(-1);
    if (retry !== undefined) {
      try {
        const config = JSON.parse(retry) as Json;
        if (typeof config !== 'object' || config === null || !Array.isArray(config.retry_intervals_minutes)) throw new Error('shape');
      } catch {
        return error(400, 'retry_config must be JSON: {"enabled": bool, "max_retries": int, "retry_intervals_minutes": [int]}');
      }
    }
    if (!state.agents.has(agentId)) return error(404, 'Agent not found');
    const rows = csvRows(file.text);
    if (!rows) return error(400, 'The file is not a valid CSV');
    const header = (rows[0] ?? []).map((cell) => cell.trim());
    const numberAt = header.indexOf('contact_number');
    if (numberAt < 0) return error(400, 'The CSV needs a contact_number column');
    const contacts = rows.slice(1).flatMap((cells) => {
      const to = (cells[numberAt] ?? '').trim();
      if (!E164.test(to)) return [];
      return [{ to, context: Object.fromEntries(header.flatMap((name, i) => (i === numberAt ? [] : [[name, cells[i] ?? '']]))) }];
    });
    const batchId = randomBytes(16).toString('hex');
    const now = utc(new Date());
    const batch: Json = {
      batch_id: batchId,
      humanized_created_at: 'just now',
      created_at: now,
      updated_at: now,
      status: 'created',
      from_phone_number: callers[0] ?? null,
      from_phone_numbers: callers,
      file_name: file.fileName,
      valid_contacts: contacts.length,
      total_contacts: rows.length - 1,
    };
    const entry: BolnaBatchState = { agentId, contacts, batch, executions: [] };
    state.batches.set(batchId, entry);
    return { status: 200, body: { batch_id: batchId, state: 'created' } };
  }

  /**
   * `GET /v2/agent/{agent_id}/executions`: the agent's executions a page at a time (1-based
   * `page_number`, `page_size` at most 50), filtered by `batch_id` and `status`, within a `from`–`to`
   * window on `created_at` of at most 7 days (required, as Bolna's live endpoint behaves).
   */
  let lastWalk: { key: string; rows: Json[] } | null = null;
  function agentExecutions(request: SimRequest): SimResponse {
    if (!state.agents.has(request.params.agent_id ?? '')) return error(404, 'Agent not found');
    const { query } = request;
    const pageNumber = Number(query.get('page_number') ?? '1');
    const pageSize = Number(query.get('page_size') ?? '20');
    if (!Number.isInteger(pageNumber) || pageNumber < 1) return error(400, 'page_number must be an integer of at least 1');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50) return error(400, 'page_size must be an integer from 1 to 50');
    const from = Date.parse(query.get('from') ?? '');
    const to = Date.parse(query.get('to') ?? '');
    if (Number.isNaN(from) || Number.isNaN(to) || to < from) return error(400, 'from and to are required date-times, from before to');
    if (to - from > 7 * 24 * 3_600_000) return error(400, 'The range from from to to is at most 7 days');
    const batchId = query.get('batch_id')?.toLowerCase();
    const status = query.get('status');
    // A walk asks for the same list page after page: it is filtered at its first page only.
    const key = JSON.stringify([request.params.agent_id, batchId, status, from, to]);
    let matching = pageNumber > 1 && lastWalk?.key === key ? lastWalk.rows : null;
    if (!matching) {
      const entries = batchId ? [state.batches.get(batchId)].filter((entry) => entry !== undefined) : [...state.batches.values()];
      matching = entries
        .filter((entry) => entry.agentId === request.params.agent_id)
        .flatMap((entry) => entry.executions)
        .filter((row) => {
          const created = Date.parse(String(row.created_at));
          return created >= from && created <= to && (status === null || row.status === status);
        });
      lastWalk = { key, rows: matching };
    }
    const start = (pageNumber - 1) * pageSize;
    return { status: 200, body: { page_number: pageNumber, page_size: pageSize, total: matching.length, has_more: start + pageSize < matching.length, data: matching.slice(start, start + pageSize) } };
  }

  function agent(request: SimRequest): SimResponse {
    const found = state.agents.get(request.params.agent_id ?? '');
    return found ? { status: 200, body: found } : error(404, 'Agent not found');
  }

  function execution(request: SimRequest): SimResponse {
    const row = state.executions.get(request.params.execution_id ?? '');
    return row ? { status: 200, body: row } : error(404, 'Execution not found');
  }

  const server = new SimulatorServer(
    'bolna',
    [
      { method: 'GET', template: '/batches/{agent_id}/all', handle: listForAgent },
      { method: 'POST', template: '/batches', handle: create },
      { method: 'GET', template: '/batches/{batch_id}', handle: get },
      { method: 'GET', template: '/batches/{batch_id}/executions', handle: executions },
      { method: 'GET', template: '/executions/{execution_id}', handle: execution },
      { method: 'POST', template: '/batches/{batch_id}/schedule', handle: schedule },
      { method: 'POST', template: '/batches/{batch_id}/stop', handle: stop },
      { method: 'DELETE', template: '/batches/{batch_id}', handle: remove },
      { method: 'GET', template: '/v2/agent/{agent_id}', handle: agent },
      { method: 'GET', template: '/v2/agent/{agent_id}/executions', handle: agentExecutions },
    ],
    {
      accepts: (headers: IncomingMessage['headers']) => headers.authorization === `Bearer ${options.apiKey}`,
      rejection: { status: 403, body: { detail: 'Invalid API key' } },
    },
    error,
    options,
    { limit: options.rateLimitPerMinute ?? BOLNA_REQUESTS_PER_MINUTE, windowMs: 60_000 },
    advance,
    clock,
  );
  return { server, agentIds: state.agentIds };
}
