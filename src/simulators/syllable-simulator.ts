import type { IncomingMessage } from 'node:http';
import { csvRows } from './http/csv.js';
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

/** What Syllable takes as a phone number: E.164. Anything else is marked INVALID. */
const E164 = /^\+[1-9]\d{6,14}$/;

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
      // A batch created through the API starts calling once it is unpaused and has targets waiting.
      if (entry.createdHere && batch.status === 'PENDING' && batch.paused !== true && batch.deleted_at === null && entry.results.some((row) => row.request_status === 'PENDING')) {
        batch.status = 'ACTIVE';
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
    const read = objectBody(request);
    if ('refusal' in read) return read.refusal;
    const change = read.body;
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

  /** A JSON body that must be an object: the object, or FastAPI's 422. */
  function objectBody(request: SimRequest): { body: Json } | { refusal: SimResponse } {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return { refusal: unprocessable([{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' }]) };
    return { body: body as Json };
  }

  /**
   * `POST /batches`, `CommunicationBatchInput`: the client chooses `batch_id`, the batch starts
   * empty (targets come by `upload_batch` or `requests`). 404 for an unknown campaign.
   */
  function create(request: SimRequest): SimResponse {
    const read = objectBody(request);
    if ('refusal' in read) return read.refusal;
    const { body } = read;
    const issues: Issue[] = [];
    if (typeof body.batch_id !== 'string' || body.batch_id === '') issues.push({ loc: ['body', 'batch_id'], msg: 'Field required', type: 'missing' });
    if (!Number.isInteger(body.campaign_id)) issues.push({ loc: ['body', 'campaign_id'], msg: 'Input should be a valid integer', type: 'int_parsing' });
    if (body.expires_on != null && !(typeof body.expires_on === 'string' && ISO_DATE_TIME.test(body.expires_on))) {
      issues.push({ loc: ['body', 'expires_on'], msg: 'Input should be a valid datetime', type: 'datetime_parsing' });
    }
    if (body.paused != null && typeof body.paused !== 'boolean') issues.push({ loc: ['body', 'paused'], msg: 'Input should be a valid boolean', type: 'bool_type' });
    if (body.call_rate != null && !(Number.isInteger(body.call_rate) && (body.call_rate as number) >= 1 && (body.call_rate as number) <= 3600)) {
      issues.push({ loc: ['body', 'call_rate'], msg: 'Input should be an integer between 1 and 3600', type: 'int_range' });
    }
    if (issues.length > 0) return unprocessable(issues);
    const id = body.batch_id as string;
    if (!campaigns.has(String(body.campaign_id))) return { status: 404, body: { detail: 'Campaign not found' } };
    if (state.has(id)) return unprocessable([{ loc: ['body', 'batch_id'], msg: `Batch ${id} already exists`, type: 'value_error' }]);
    const now = nowIso();
    const paused = body.paused === true;
    const batch: Json = {
      batch_id: id,
      campaign_id: body.campaign_id,
      expires_on: body.expires_on ? nowIso(new Date(text(body.expires_on))) : null,
      paused,
      call_rate: body.call_rate ?? null,
      auto_call_rate: body.auto_call_rate === true,
      status: paused ? 'PAUSED' : 'PENDING',
      auto_call_rate_baseline: null,
      upload_filename: null,
      dispatch_id: null,
      created_at: now,
      deleted_at: null,
      deleted_reason: null,
      last_updated_at: now,
      last_updated_by: SYLLABLE_EDITOR,
      error_message: null,
    };
    state.set(id, { batch, results: [], createdHere: true });
    return { status: 200, body: batch };
  }

  /** A target row as Syllable adds it: PENDING, or DUPLICATE / INVALID as its checks find it. */
  function newRow(known: Set<unknown>, referenceId: string, target: string, variables: Record<string, string>): Json {
    const now = nowIso();
    const duplicate = known.has(target);
    known.add(target);
    const status = !E164.test(target) ? 'INVALID' : duplicate ? 'DUPLICATE' : 'PENDING';
    return {
      reference_id: referenceId,
      target,
      request_variables: variables,
      channel_manager_sid: null,
      created_at: now,
      sent_at: null,
      attempt_count: 0,
      session_id: null,
      conversation_id: null,
      request_status: status,
      channel_manager_status: status === 'PENDING' ? null : status,
      insights_status: null,
      insights: null,
      line_type: null,
      enrichment: null,
    };
  }

  /**
   * `POST …/upload_batch`, multipart `file`: one CSV per batch (`reference_id`, `target`, any
   * other column a request variable). A file Syllable cannot read fails the batch with
   * `error_message`; repeated numbers are marked DUPLICATE, numbers not in E.164 INVALID.
   */
  function upload(request: SimRequest): SimResponse {
    const entry = state.get(request.params.batch_id ?? '');
    if (!entry) return notFound;
    const file = request.form?.files.get('file');
    if (!file) return unprocessable([{ loc: ['body', 'file'], msg: 'Field required', type: 'missing' }]);
    const batch = entry.batch;
    if (batch.deleted_at !== null) return unprocessable([{ loc: ['path', 'batch_id'], msg: 'Batch is deleted', type: 'value_error' }]);
    if (batch.upload_filename !== null) return unprocessable([{ loc: ['body', 'file'], msg: 'This batch already has an upload: a batch takes one file', type: 'value_error' }]);
    const fail = (message: string): SimResponse => {
      Object.assign(batch, { status: 'FAILED', error_message: message, upload_filename: file.fileName, last_updated_at: nowIso() });
      return { status: 200, body: {} };
    };
    const rows = csvRows(file.text);
    if (!rows) return fail(`The file is not valid CSV`);
    const header = (rows[0] ?? []).map((cell) => cell.trim());
    const referenceAt = header.indexOf('reference_id');
    const targetAt = header.indexOf('target');
    if (referenceAt < 0 || targetAt < 0) return fail(`Row 1: column "${referenceAt < 0 ? 'reference_id' : 'target'}" is missing`);
    const seen = new Set(entry.results.map((row) => String(row.reference_id)));
    const numbers = new Set(entry.results.map((row) => row.target));
    rows.slice(1).forEach((cells) => {
      const referenceId = cells[referenceAt] ?? '';
      const variables = Object.fromEntries(header.flatMap((name, i) => (i === referenceAt || i === targetAt ? [] : [[name, cells[i] ?? '']])));
      const row = newRow(numbers, referenceId, cells[targetAt] ?? '', variables);
      if (seen.has(referenceId)) Object.assign(row, { request_status: 'DUPLICATE', channel_manager_status: 'DUPLICATE' });
      seen.add(referenceId);
      entry.results.push(row);
    });
    Object.assign(batch, { upload_filename: file.fileName, last_updated_at: nowIso() });
    serialised.delete(entry);
    return { status: 200, body: { message: 'Upload received', rows: rows.length - 1 } };
  }

  /** `POST …/requests`: one `CommunicationRequest`; a reference id the batch has is refused. */
  function addRequest(request: SimRequest): SimResponse {
    const entry = state.get(request.params.batch_id ?? '');
    if (!entry) return notFound;
    const read = objectBody(request);
    if ('refusal' in read) return read.refusal;
    const { body } = read;
    const issues: Issue[] = [];
    for (const field of ['reference_id', 'target'] as const) {
      if (typeof body[field] !== 'string' || body[field] === '') issues.push({ loc: ['body', field], msg: 'Field required', type: 'missing' });
    }
    const variables = body.request_variables;
    if (variables === null || typeof variables !== 'object' || Array.isArray(variables) || Object.values(variables).some((value) => typeof value !== 'string')) {
      issues.push({ loc: ['body', 'request_variables'], msg: 'Input should be a valid dictionary of strings', type: 'dict_type' });
    }
    if (issues.length > 0) return unprocessable(issues);
    if (entry.batch.deleted_at !== null) return unprocessable([{ loc: ['path', 'batch_id'], msg: 'Batch is deleted', type: 'value_error' }]);
    if (entry.results.some((row) => row.reference_id === body.reference_id)) {
      return unprocessable([{ loc: ['body', 'reference_id'], msg: `reference_id ${text(body.reference_id)} already exists in this batch`, type: 'value_error' }]);
    }
    const row = newRow(new Set(entry.results.map((known) => known.target)), text(body.reference_id), text(body.target), variables as Record<string, string>);
    entry.results.push(row);
    serialised.delete(entry);
    return { status: 200, body: row };
  }

  /** `POST …/remove-requests`, a bare JSON array of reference ids: the ones still PENDING are removed. */
  function removeRequests(request: SimRequest): SimResponse {
    const entry = state.get(request.params.batch_id ?? '');
    if (!entry) return notFound;
    const ids = request.body;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) return unprocessable([{ loc: ['body'], msg: 'Input should be a valid list of strings', type: 'list_type' }]);
    const remove = new Set(ids as string[]);
    const before = entry.results.length;
    entry.results = entry.results.filter((row) => !(remove.has(String(row.reference_id)) && row.request_status === 'PENDING'));
    serialised.delete(entry);
    return { status: 200, body: { removed: before - entry.results.length } };
  }

  /** `GET /campaigns`: the `ListResponse` envelope, 0-based pages. */
  function listCampaigns(request: SimRequest): SimResponse {
    const issues: Issue[] = [];
    const page = nonNegativeInt(request.query, 'page', 0, issues);
    const limit = nonNegativeInt(request.query, 'limit', 25, issues);
    if (issues.length > 0) return unprocessable(issues);
    const items = [...campaigns.values()];
    return {
      status: 200,
      body: { items: limit === 0 ? [] : items.slice(page * limit, page * limit + limit), page, page_size: limit, total_pages: limit === 0 ? 0 : Math.ceil(items.length / limit), total_count: items.length },
    };
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
      { method: 'POST', template: BATCHES, handle: create },
      { method: 'POST', template: `${BATCHES}/{batch_id}/upload_batch`, handle: upload },
      { method: 'POST', template: `${BATCHES}/{batch_id}/requests`, handle: addRequest },
      { method: 'POST', template: `${BATCHES}/{batch_id}/remove-requests`, handle: removeRequests },
      { method: 'GET', template: CAMPAIGNS, handle: listCampaigns },
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
