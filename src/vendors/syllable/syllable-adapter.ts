import type {
  AgentRecord,
  BatchCapabilities,
  BatchChange,
  BatchControl,
  BatchList,
  BatchListFilter,
  BatchRecord,
  CampaignRecord,
  ResultFilter,
  ResultRecord,
  ResultSet,
} from '../../domain/model.js';
import { parseTimestamp } from '../../domain/time.js';
import type { HttpSettings, VendorSettings } from '../../http/settings.js';
import type { VendorHealth } from '../../http/settings.js';
import type { CallOptions } from '../../http/call-options.js';
import { VendorHttpClient } from '../../http/vendor-http-client.js';
import { InvalidInputError } from '../../domain/errors.js';
import { reusePrevious } from '../intern.js';
import { asArray, asNumber, asObject, asString, readObjects } from '../json-reader.js';
import type { ControlInput, DeletionReceipt, VendorAdapter } from '../vendor-adapter.js';
import { toBatchRecord, toCampaignRecord, toResultRecord } from './map.js';
import type { LaunchOptions, LoadState, NewBatch } from '../../domain/launch.js';
import { variableRow, type PreparedTarget, type TargetRules, type TargetRow } from '../../domain/targets.js';
import { targetCsv } from '../target-csv.js';

const BATCHES = '/api/v1/outbound/batches';
const CAMPAIGNS = '/api/v1/outbound/campaigns';
/** Syllable campaign ids are integers (`GET /campaigns/{campaign_id}` declares `integer`). */
const CAMPAIGN_ID = /^\d{1,18}$/;
/** A batch's pace, in calls an hour. */
const MIN_CALL_RATE = 1;
const MAX_CALL_RATE = 3600;

/** A new batch's id is chosen by the client: ours is derived from its idempotency key. */
const LAUNCHED_BATCH_PREFIX = 'og-';
/** Bolna's settings of a new batch, which Syllable has no place for. */
const BOLNA_ONLY: ReadonlyArray<keyof LaunchOptions> = ['agentId', 'fromPhoneNumbers', 'scheduledAt', 'retry'];

const UNSUPPORTED: Partial<Record<BatchControl, string>> = {
  schedule: "Syllable batches have no start time to set: they call within their campaign's daily hours and active days (see `Batch.campaign`). Hold one with `pauseBatch`.",
  stop: 'Syllable batches cannot be stopped: use `pauseBatch` to hold one, or `deleteBatch` to end it.',
};
/** Page size for listing; the vendor documents no maximum, 100 keeps each response small. */
const LIST_PAGE_SIZE = 100;
/** A guard against a vendor that never reports its last page. */
const MAX_LIST_PAGES = 200;

/** Reads Syllable's FastAPI error bodies: `{detail: [{loc, msg}]}` or `{detail: "text"}`. */
export function readSyllableError(body: unknown): string | null {
  const detail = asObject(body)?.detail;
  if (typeof detail === 'string') return detail;
  const items = asArray(detail);
  if (!items) return null;
  const messages = items
    .map((item) => {
      const entry = asObject(item);
      const msg = asString(entry?.msg);
      const loc = asArray(entry?.loc)?.filter((part) => part !== 'body').join('.');
      return msg ? (loc ? `${loc}: ${msg}` : msg) : null;
    })
    .filter((m): m is string => m !== null);
  return messages.length > 0 ? messages.join('; ') : null;
}

export class SyllableAdapter implements VendorAdapter {
  readonly vendor = 'syllable' as const;
  readonly controls: ReadonlySet<BatchControl> = new Set<BatchControl>(['pause', 'resume', 'updateExpiry', 'updateCallRate', 'delete', 'addTargets', 'removeTargets']);
  /** The results route's `reference_id`, `status` and `insights_status` query parameters. */
  readonly resultFilters: ReadonlySet<keyof ResultFilter> = new Set(['referenceId', 'vendorStatus', 'insightsStatus'] as const);
  /** `search_fields=campaign_id`: an exact match on an integer field. */
  readonly listFilters: ReadonlySet<keyof BatchListFilter> = new Set(['campaignId'] as const);
  /** Syllable batches carry their campaign; they have no agent of their own. */
  readonly agentOnList = false;
  /** `upload_batch` columns: `reference_id` (unique in the batch) and `target`; any other is a prompt variable. */
  readonly targetRules: TargetRules = { referenceIdRequired: true, reservedColumns: new Set(['reference_id', 'target']) };
  /** A batch is created empty, then takes one CSV (`upload_batch`). */
  readonly targetsAtCreate = false;
  readonly credentialScope: string;
  private readonly http: VendorHttpClient;

  constructor(settings: VendorSettings, http: HttpSettings) {
    this.http = new VendorHttpClient('syllable', settings, http, { header: 'Syllable-API-Key', value: (key) => key }, readSyllableError);
    this.credentialScope = this.http.credentialScope;
  }

  unsupported(control: BatchControl): string {
    return UNSUPPORTED[control] ?? `Syllable does not support ${control}.`;
  }

  listFilterProblem(filter: BatchListFilter): InvalidInputError | null {
    const { campaignId } = filter;
    if (campaignId !== undefined && !CAMPAIGN_ID.test(campaignId)) {
      return new InvalidInputError(`\`campaignId\` is a Syllable campaign id, an integer (got "${campaignId.slice(0, 40)}").`, 'campaignId');
    }
    return null;
  }

  /** `call_rate` is 1 to 3600 calls an hour (CommunicationBatchUpdate). */
  controlInputProblem(input: ControlInput): InvalidInputError | null {
    const { callRate } = input;
    if (input.control === 'updateCallRate' && callRate != null && !(Number.isInteger(callRate) && callRate >= MIN_CALL_RATE && callRate <= MAX_CALL_RATE)) {
      return new InvalidInputError(`\`callRate\` is calls an hour, from ${MIN_CALL_RATE} to ${MAX_CALL_RATE} (got ${callRate}).`, 'callRate');
    }
    return null;
  }

  /** A campaign (an integer id), a future expiry, a pace in range; none of Bolna's settings. */
  launchProblem(options: LaunchOptions, now: number): InvalidInputError | null {
    const foreign = BOLNA_ONLY.find((name) => options[name] != null);
    if (foreign) return new InvalidInputError(`\`${foreign}\` is a Bolna setting; a Syllable batch takes \`campaignId\`, \`paused\`, \`expiresOn\` and \`callRate\`.`, foreign);
    if (options.campaignId == null) return new InvalidInputError('A Syllable batch belongs to a campaign: pass `campaignId` (see `campaigns`).', 'campaignId');
    const campaign = this.listFilterProblem({ campaignId: options.campaignId });
    if (campaign) return campaign;
    if (options.expiresOn != null && options.expiresOn.getTime() <= now) {
      return new InvalidInputError(`\`expiresOn\` must be in the future (got ${options.expiresOn.toISOString()}).`, 'expiresOn');
    }
    return this.controlInputProblem({ control: 'updateCallRate', callRate: options.callRate ?? null });
  }

  /** Loaded once the upload is taken (`upload_filename`, or targets counted); failed with `error_message`. */
  loadState(batch: BatchRecord): LoadState {
    if (batch.errorMessage) return 'failed';
    const counted = batch.statusCounts?.reduce((sum, count) => sum + count.count, 0) ?? 0;
    return batch.fileName !== null || counted > 0 ? 'loaded' : 'empty';
  }

  /** A Syllable target keeps its `reference_id` and `request_variables`. */
  retryTarget(result: ResultRecord): TargetRow | null {
    if (!result.target) return null;
    return { phoneNumber: result.target, referenceId: result.referenceId, variables: variableRow(result.variables ?? {}) };
  }

  async listBatches(filter: BatchListFilter, call: CallOptions): Promise<BatchList> {
    const search: Record<string, string[]> = filter.campaignId === undefined ? {} : { search_fields: ['campaign_id'], search_field_values: [filter.campaignId] };
    const first = await this.listPage(0, search, call);
    const pages = [first];
    if (first.totalPages !== null) {
      // The first page tells how many there are: fetch the rest at once.
      const rest = Array.from({ length: Math.min(first.totalPages, MAX_LIST_PAGES) - 1 }, (_, i) => this.listPage(i + 1, search, call));
      pages.push(...(await Promise.all(rest)));
    } else {
      // Older responses carry no totals: read on until a short page.
      let last = first;
      for (let page = 1; last.size >= LIST_PAGE_SIZE && page < MAX_LIST_PAGES; page += 1) {
        last = await this.listPage(page, search, call);
        pages.push(last);
      }
    }
    return { records: pages.flatMap((page) => page.items), unreadable: pages.reduce((sum, page) => sum + page.unreadable, 0) };
  }

  private async listPage(
    page: number,
    search: Record<string, string[]>,
    call: CallOptions,
  ): Promise<{ items: BatchRecord[]; unreadable: number; size: number; totalPages: number | null }> {
    const body = await this.http.getJson(BATCHES, { page, limit: LIST_PAGE_SIZE, ...search }, call);
    const fetchedAt = Date.now();
    // The first published version returned a bare array instead of the ListResponse envelope.
    const envelope = asObject(body);
    const { items, unreadable } = readObjects(envelope ? envelope.items : body, (raw) => toBatchRecord(raw, false, fetchedAt));
    return { items, unreadable, size: items.length + unreadable, totalPages: envelope ? asNumber(envelope.total_pages) : null };
  }

  async getBatch(batchId: string, call: CallOptions): Promise<BatchRecord | null> {
    const raw = asObject(await this.http.getJson(batchPath(batchId), undefined, call));
    return raw ? toBatchRecord(raw, true, Date.now()) : null;
  }

  async listResults(batchId: string, filter: ResultFilter, call: CallOptions): Promise<ResultSet | null> {
    const query = { reference_id: filter.referenceId, status: filter.vendorStatus, insights_status: filter.insightsStatus };
    const sameAsBefore = reusePrevious();
    const body = await this.http.getJsonArray(`${batchPath(batchId)}/results`, query, call, (raw) => {
      const row = asObject(raw);
      return row ? toResultRecord(batchId, row, sameAsBefore) : null;
    });
    return body && { rows: body.items, unreadable: body.unreadable, bytes: body.bytes, fetchedAt: Date.now() };
  }

  async getResult(batchId: string, referenceId: string, call: CallOptions): Promise<ResultRecord | null> {
    const results = await this.listResults(batchId, { referenceId }, call);
    return results?.rows.find((result) => result.referenceId === referenceId) ?? null;
  }

  async getCampaign(campaignId: string, call: CallOptions): Promise<CampaignRecord | null> {
    if (!CAMPAIGN_ID.test(campaignId)) return null;
    const raw = asObject(await this.http.getJson(`${CAMPAIGNS}/${campaignId}`, undefined, call));
    return raw ? toCampaignRecord(raw) : null;
  }

  /** Syllable batches name no agent; their campaign does (`Campaign.agentId`). */
  getAgent(): Promise<AgentRecord | null> {
    return Promise.resolve(null);
  }

  /** `GET /campaigns`, every page (the first tells how many). */
  async listCampaigns(call: CallOptions): Promise<readonly CampaignRecord[]> {
    const page = async (index: number) => {
      const envelope = asObject(await this.http.getJson(CAMPAIGNS, { page: index, limit: LIST_PAGE_SIZE }, call));
      return { items: readObjects(envelope?.items ?? [], toCampaignRecord).items, totalPages: asNumber(envelope?.total_pages) };
    };
    const first = await page(0);
    const rest = await Promise.all(Array.from({ length: Math.min(first.totalPages ?? 1, MAX_LIST_PAGES) - 1 }, (_, i) => page(i + 1)));
    return [first, ...rest].flatMap((p) => p.items);
  }

  listAgents(): Promise<readonly AgentRecord[]> {
    return Promise.resolve([]);
  }

  capabilities(batch: BatchRecord): BatchCapabilities {
    // A soft-deleted batch still reads but takes no more changes.
    const deleted = batch.deletedAt !== null;
    const open = !deleted && (batch.status === 'PENDING' || batch.status === 'ACTIVE' || batch.status === 'PAUSED');
    return {
      pause: open && !batch.paused,
      resume: open && batch.paused,
      updateExpiry: open,
      updateCallRate: open,
      schedule: false,
      stop: false,
      delete: !deleted,
      addTargets: open,
      // Only targets still waiting can be removed.
      removeTargets: open && (batch.statusCounts === undefined || batch.statusCounts.some((count) => count.vendorStatus === 'PENDING' && count.count > 0)),
    };
  }

  async updateBatch(batchId: string, change: BatchChange, call: CallOptions): Promise<BatchRecord | null> {
    // CommunicationBatchUpdate: only the fields that change; omitted fields stay as they are.
    const body: Record<string, unknown> = {};
    if (change.paused !== undefined) body.paused = change.paused;
    if (change.expiresOn !== undefined) body.expires_on = change.expiresOn === null ? null : change.expiresOn.toISOString();
    if (change.callRate !== undefined) body.call_rate = change.callRate;
    if (change.autoCallRate !== undefined) body.auto_call_rate = change.autoCallRate;
    const raw = asObject(await this.http.send('PUT', batchPath(batchId), { json: body }, call));
    return raw ? toBatchRecord(raw, false, Date.now()) : null;
  }

  scheduleBatch(): Promise<boolean> {
    return Promise.reject(new Error('Syllable batches cannot be scheduled'));
  }

  stopBatch(): Promise<boolean> {
    return Promise.reject(new Error('Syllable batches cannot be stopped'));
  }

  /** `DELETE` with the required form field `delete_reason`: Syllable keeps the batch, marked deleted. */
  async deleteBatch(batchId: string, reason: string, call: CallOptions): Promise<DeletionReceipt | null> {
    const body = await this.http.send('DELETE', batchPath(batchId), { form: { delete_reason: reason } }, call, false);
    if (body === null) return null;
    return { deletedAt: parseTimestamp(asObject(body)?.deleted_at)?.date ?? new Date(), kept: true };
  }

  /**
   * `POST /batches` with the batch id derived from the idempotency key, paused: nothing calls
   * before its targets are loaded and it is started. Null when Syllable has no such campaign.
   */
  async createBatch(batch: NewBatch, call: CallOptions): Promise<string | null> {
    const { options } = batch;
    const body = {
      batch_id: launchedBatchId(batch),
      campaign_id: Number(options.campaignId),
      paused: true,
      ...(options.expiresOn ? { expires_on: options.expiresOn.toISOString() } : {}),
      ...(options.callRate != null ? { call_rate: options.callRate } : {}),
    };
    const created = asObject(await this.http.send('POST', BATCHES, { json: body }, call));
    return created ? (asString(created.batch_id) ?? body.batch_id) : null;
  }

  /** The batch id is the key's: one read tells whether an earlier create arrived. */
  findCreated(batch: NewBatch, call: CallOptions): Promise<BatchRecord | null> {
    return this.getBatch(launchedBatchId(batch), call);
  }

  /** `POST …/upload_batch`: every target in one CSV (`reference_id`, `target`, then the variables). */
  async loadTargets(batchId: string, batch: NewBatch, call: CallOptions): Promise<boolean> {
    const file = { fileName: batch.fileName, contentType: 'text/csv', content: targetCsv(batch.targets, 'target', 'reference_id') };
    return (await this.http.send('POST', `${batchPath(batchId)}/upload_batch`, { multipart: { file } }, call)) !== null;
  }

  /** Created paused: unpaused unless the batch is to stay on hold. */
  async startCreated(batchId: string, batch: NewBatch, call: CallOptions): Promise<void> {
    if (batch.options.paused === true) return;
    await this.updateBatch(batchId, { paused: false }, call);
  }

  /** `POST …/requests`: one `CommunicationRequest`. */
  async addTarget(batchId: string, target: PreparedTarget, variableNames: readonly string[], call: CallOptions): Promise<boolean> {
    const body = {
      reference_id: target.referenceId,
      target: target.phoneNumber,
      request_variables: Object.fromEntries(variableNames.map((name, i) => [name, target.values[i] ?? ''])),
    };
    return (await this.http.send('POST', `${batchPath(batchId)}/requests`, { json: body }, call)) !== null;
  }

  /** `POST …/remove-requests` with a bare JSON array of reference ids. */
  async removeTargets(batchId: string, referenceIds: readonly string[], call: CallOptions): Promise<boolean> {
    return (await this.http.send('POST', `${batchPath(batchId)}/remove-requests`, { json: referenceIds }, call)) !== null;
  }

  health(): VendorHealth {
    return this.http.health();
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

/** `og-` and 20 hex characters of the launch tag: the same key names the same batch. */
function launchedBatchId(batch: NewBatch): string {
  return `${LAUNCHED_BATCH_PREFIX}${batch.launchTag}`;
}

function batchPath(batchId: string): string {
  return `${BATCHES}/${encodeURIComponent(batchId)}`;
}
