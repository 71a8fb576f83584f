import type { IncomingMessage } from 'node:http';
import { DEMO_SPEED_UP, Progression, SimClock } from './progress.js';
import { SimulatorServer, type SimRequest, type SimResponse, type SimulatorOptions } from './sim-server.js';
import { createSyllableState, SYLLABLE_EDITOR, syllableCampaigns, syllableCounts, type Json, type SyllableBatchState } from './syllable-data.js';

/**
 * Syllable's outbound batch API as its OpenAPI document describes it: API key in
 * `Syllable-API-Key`, FastAPI-style 422 bodies `{detail: [{loc, msg, type}]}`, 404 for an unknown batch.
 */

const BATCHES = '/api/v1/outbound/batches';
const CAMPAIGNS = '/api/v1/outbound/campaigns';
const BATCH_PROPERTIES = ['batch_id', 'campaign_id', 'status', 'expires_on', 'last_updated_at'];
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

interface Issue {
  readonly loc: Array<string | number>;
  readonly msg: string;
  readonly type: string;
}

function unprocessable(issues: Issue[]): SimResponse {
  return { status: 422, body: { detail: issues } };
}

/** A scalar JSON value as text, for sorting and parsing. */
function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

const notFound: SimResponse = { status: 404, body: { detail: 'Batch not found' } };

/** Syllable writes timestamps to the second, in UTC. */
function nowIso(now = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What a placed call ends as, by weight. */
const CALL_OUTCOMES = { 'COMPLETED|COMPLETED': 6, 'CONNECTED|NO-ANSWER': 2, 'CONNECTED|BUSY': 1, 'FAILED|FAILED': 1 } as const;

/**
 * A row a running batch still has to finish: waiting (PENDING), or a call under way (INITIATED,
 * or CONNECTED while the channel says IN-PROGRESS or nothing yet). Calls under way end in row
 * order with the waiting ones, so a batch never sits at no targets left with calls in progress.
 */
function unfinished(row: Json): boolean {
  const status = row.request_status;
  if (status === 'PENDING' || status === 'INITIATED') return true;
  return status === 'CONNECTED' && (row.channel_manager_status === 'IN-PROGRESS' || !row.channel_manager_status);
}

/** States in which a batch still calls or may call. */
const OPEN_STATUSES = new Set(['PENDING', 'ACTIVE', 'PAUSED']);

function nonNegativeInt(query: URLSearchParams, name: string, fallback: number, issues: Issue[]): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    issues.push({ loc: ['query', name], msg: 'Input should be a valid integer, greater than or equal to 0', type: 'int_parsing' });
    return fallback;
  }
  return Number(raw);
}

export interface SyllableSimulatorOptions extends SimulatorOptions {
  readonly apiKey: string;
  readonly seed: number;
  readonly anchor: Date;
  readonly largeBatchTargets?: number;
}

export function createSyllableSimulator(options: SyllableSimulatorOptions): SimulatorServer {
  const state = createSyllableState(options.seed, options.anchor, options.largeBatchTargets);
  const campaigns = syllableCampaigns(options.anchor);
  const progress = options.progress ?? { mode: 'off' };
  const clock = new SimClock();
  const running = new Progression<SyllableBatchState>(clock.now(), options.seed);

  /** Running batches place their due calls; paused and ended ones do not; an expired one ends. */
  function advance(): void {
    if (progress.mode !== 'realtime') return;
    const now = clock.now();
    for (const entry of state.values()) {
      const batch = entry.batch;
      const id = text(batch.batch_id);
      const expires = batch.expires_on ? Date.parse(text(batch.expires_on)) : null;
      if (OPEN_STATUSES.has(text(batch.status)) && batch.deleted_at === null && expires !== null && expires <= now) {
        batch.status = 'EXPIRED';
        serialised.delete(entry);
      }
      if (batch.status !== 'ACTIVE' || batch.paused === true || batch.deleted_at !== null) {
        running.idle(entry, id, now);
        continue;
      }
      const rate = progress.ratePerHour ?? (Number(batch.call_rate) || Number(campaigns.get(text(batch.campaign_id))?.hourly_rate) || 60) * DEMO_SPEED_UP;
      const sentAt = nowIso(new Date(now));
      const { placed } = running.advance(entry, id, now, rate, entry.results, unfinished, (row, batchClock) => {
        const [requestStatus, channelStatus] = batchClock.outcome(CALL_OUTCOMES).split('|');
        Object.assign(row, {
          request_status: requestStatus,
          channel_manager_status: channelStatus,
          // A call already under way keeps when it was sent.
          attempt_count: Math.max(1, Number(row.attempt_count) || 0),
          sent_at: row.sent_at ?? sentAt,
          insights_status: requestStatus === 'COMPLETED' ? 'PENDING' : null,
        });
      });
      if (placed > 0) serialised.delete(entry);
    }
  }

  const details = (entry: SyllableBatchState): Json => ({ ...entry.batch, ...syllableCounts(entry.results) });
  // Results never change here once generated: serialise each batch's rows once.
  const serialised = new WeakMap<SyllableBatchState, string>();
  const serialisedResults = (entry: SyllableBatchState): string => {
    let text = serialised.get(entry);
    if (text === undefined) serialised.set(entry, (text = JSON.stringify(entry.results)));
    return text;
  };

  function list(request: SimRequest): SimResponse {
    const issues: Issue[] = [];
    const page = nonNegativeInt(request.query, 'page', 0, issues);
    const limit = nonNegativeInt(request.query, 'limit', 25, issues);
    const fields = request.query.getAll('search_fields');
    const values = request.query.getAll('search_field_values');
    fields.forEach((field, i) => {
      if (!BATCH_PROPERTIES.includes(field)) issues.push({ loc: ['query', 'search_fields', i], msg: `Input should be ${BATCH_PROPERTIES.join(', ')}`, type: 'enum' });
    });
    const orderBy = request.query.get('order_by');
    if (orderBy && !BATCH_PROPERTIES.includes(orderBy)) issues.push({ loc: ['query', 'order_by'], msg: `Input should be ${BATCH_PROPERTIES.join(', ')}`, type: 'enum' });
    if (issues.length > 0) return unprocessable(issues);

    let items = [...state.values()].map((entry) => entry.batch);
    fields.forEach((field, i) => {
      const wanted = values[i];
      if (wanted !== undefined) items = items.filter((batch) => String(batch[field]) === wanted);
    });
    if (orderBy) {
      const direction = request.query.get('order_by_direction') === 'desc' ? -1 : 1;
      items.sort((a, b) => direction * text(a[orderBy]).localeCompare(text(b[orderBy])));
    }
    const total = items.length;
    const pageItems = limit === 0 ? [] : items.slice(page * limit, page * limit + limit);
    return {
      status: 200,
      body: { items: pageItems, page, page_size: limit, total_pages: limit === 0 ? 0 : Math.ceil(total / limit), total_count: total },
    };
  }

  function get(request: SimRequest): SimResponse {
    const entry = state.get(request.params.batch_id ?? '');
    return entry ? { status: 200, body: details(entry) } : notFound;
  }

  /** `CommunicationBatchUpdate`: every field optional, omitted fields unchanged, unknown fields ignored. */
  function update(request: SimRequest): SimResponse {
    const entry = state.get(request.params.batch_id ?? '');
    if (!entry) return notFound;
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return unprocessable([{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' }]);
    }
    const change = body as Json;
    const issues: Issue[] = [];
    if ('paused' in change && change.paused !== null && typeof change.paused !== 'boolean') {
      issues.push({ loc: ['body', 'paused'], msg: 'Input should be a valid boolean', type: 'bool_type' });
    }
    if ('expires_on' in change && change.expires_on !== null && !(typeof change.expires_on === 'string' && ISO_DATE_TIME.test(change.expires_on))) {
      issues.push({ loc: ['body', 'expires_on'], msg: 'Input should be a valid datetime', type: 'datetime_parsing' });
    }
    if ('call_rate' in change && change.call_rate !== null && !(Number.isInteger(change.call_rate) && (change.call_rate as number) >= 1 && (change.call_rate as number) <= 3600)) {
      issues.push({ loc: ['body', 'call_rate'], msg: 'Input should be an integer between 1 and 3600', type: 'int_range' });
    }
    if ('auto_call_rate' in change && change.auto_call_rate !== null && typeof change.auto_call_rate !== 'boolean') {
      issues.push({ loc: ['body', 'auto_call_rate'], msg: 'Input should be a valid boolean', type: 'bool_type' });
    }
    if (issues.length > 0) return unprocessable(issues);
    const batch = entry.batch;
    if (batch.deleted_at !== null) return unprocessable([{ loc: ['path', 'batch_id'], msg: 'Batch is deleted', type: 'value_error' }]);
    // `auto_call_rate` derives the pace from the expiry: it needs one.
    const expiresAfter = 'expires_on' in change ? change.expires_on : batch.expires_on;
    if (change.auto_call_rate === true && (expiresAfter === null || expiresAfter === undefined)) {
      return unprocessable([{ loc: ['body', 'auto_call_rate'], msg: 'auto_call_rate requires expires_on', type: 'value_error' }]);
    }

    if (typeof change.paused === 'boolean') {
      batch.paused = change.paused;
      if (change.paused && (batch.status === 'ACTIVE' || batch.status === 'PENDING')) batch.status = 'PAUSED';
      if (!change.paused && batch.status === 'PAUSED') {
        batch.status = entry.results.some((row) => row.request_status !== 'PENDING') ? 'ACTIVE' : 'PENDING';
      }
    }
    if ('expires_on' in change) batch.expires_on = change.expires_on === null ? null : new Date(text(change.expires_on)).toISOString().replace('.000Z', 'Z');
    if ('call_rate' in change) batch.call_rate = change.call_rate;
    if (typeof change.auto_call_rate === 'boolean') {
      batch.auto_call_rate = change.auto_call_rate;
      // The baseline is the first automatic pace: what is left, spread over the hours until expiry.
      if (change.auto_call_rate && batch.auto_call_rate_baseline === null) {
        const waiting = entry.results.filter((row) => row.request_status === 'PENDING').length;
        const hours = Math.max(1, (new Date(text(batch.expires_on)).getTime() - Date.now()) / 3_600_000);
        batch.auto_call_rate_baseline = Math.min(3600, Math.max(1, Math.round((waiting / hours) * 10) / 10));
      }
    }
    batch.last_updated_at = nowIso();
    batch.last_updated_by = SYLLABLE_EDITOR;
    return { status: 200, body: batch };
  }

  /**
   * `DELETE` with the form field `delete_reason` (required). Syllable deletes softly: the batch
   * still reads, with `deleted_at` and `deleted_reason`; one that could still call is canceled.
   * Deleting again changes nothing.
   */
  function remove(request: SimRequest): SimResponse {
    const entry = state.get(request.params.batch_id ?? '');
    if (!entry) return notFound;
    const form = request.contentType === 'application/x-www-form-urlencoded' ? (request.body as Record<string, string> | null) : null;
    const reason = form?.delete_reason;
    if (reason === undefined) return unprocessable([{ loc: ['body', 'delete_reason'], msg: 'Field required', type: 'missing' }]);
    const batch = entry.batch;
    if (batch.deleted_at === null) {
      batch.deleted_at = nowIso();
      batch.deleted_reason = reason;
      if (OPEN_STATUSES.has(text(batch.status))) batch.status = 'CANCELED';
      batch.last_updated_at = batch.deleted_at;
      batch.last_updated_by = SYLLABLE_EDITOR;
    }
    return { status: 200, body: {} };
  }

  function campaign(request: SimRequest): SimResponse {
    const id = request.params.campaign_id ?? '';
    if (!/^\d+$/.test(id)) return unprocessable([{ loc: ['path', 'campaign_id'], msg: 'Input should be a valid integer', type: 'int_parsing' }]);
    const found = campaigns.get(String(Number(id)));
    return found ? { status: 200, body: found } : { status: 404, body: { detail: 'Campaign not found' } };
  }

  function results(request: SimRequest): SimResponse {
    const entry = state.get(request.params.batch_id ?? '');
    if (!entry) return notFound;
    const referenceId = request.query.get('reference_id');
    const status = request.query.get('status');
    const insightsStatus = request.query.get('insights_status');
    if (referenceId === null && status === null && insightsStatus === null) return { status: 200, body: entry.results, text: serialisedResults(entry) };
    const rows = entry.results.filter(
      (row) =>
        (referenceId === null || row.reference_id === referenceId) &&
        (status === null || row.request_status === status) &&
        (insightsStatus === null || row.insights_status === insightsStatus),
    );
    return { status: 200, body: rows };
  }

  return new SimulatorServer(
    'syllable',
    [
      { method: 'GET', template: BATCHES, handle: list },
      { method: 'GET', template: `${BATCHES}/{batch_id}`, handle: get },
      { method: 'PUT', template: `${BATCHES}/{batch_id}`, handle: update },
      { method: 'DELETE', template: `${BATCHES}/{batch_id}`, handle: remove },
      { method: 'GET', template: `${CAMPAIGNS}/{campaign_id}`, handle: campaign },
      { method: 'GET', template: `${BATCHES}/{batch_id}/results`, handle: results },
    ],
    {
      accepts: (headers: IncomingMessage['headers']) => headers['syllable-api-key'] === options.apiKey,
      rejection: { status: 401, body: { detail: 'Invalid or missing API key' } },
    },
    (_status, message) => ({ detail: message }),
    options,
    null,
    advance,
    clock,
  );
}
