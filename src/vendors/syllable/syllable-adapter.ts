import type { BatchCapabilities, BatchChange, BatchRecord, ResultFilter, ResultRecord, ResultSet } from '../../domain/model.js';
import type { HttpSettings, VendorSettings } from '../../http/settings.js';
import type { VendorHealth } from '../../http/settings.js';
import { VendorHttpClient, type CallContext } from '../../http/vendor-http-client.js';
import { asArray, asNumber, asObject, asString, mapObjects } from '../json-reader.js';
import type { VendorAdapter } from '../vendor-adapter.js';
import { toBatchRecord, toResultRecord } from './map.js';

const BATCHES = '/api/v1/outbound/batches';
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
  readonly changesBatches = true;
  /** The results route's `reference_id`, `status` and `insights_status` query parameters. */
  readonly resultFilters: ReadonlySet<keyof ResultFilter> = new Set(['referenceId', 'vendorStatus', 'insightsStatus'] as const);
  readonly credentialScope: string;
  private readonly http: VendorHttpClient;

  constructor(settings: VendorSettings, http: HttpSettings) {
    this.http = new VendorHttpClient('syllable', settings, http, { header: 'Syllable-API-Key', value: (key) => key }, readSyllableError);
    this.credentialScope = this.http.credentialScope;
  }

  async listBatches(call: CallContext): Promise<BatchRecord[]> {
    const first = await this.listPage(0, call);
    const pages = [first.items];
    if (first.totalPages !== null) {
      // The first page tells how many there are: fetch the rest at once.
      const rest = Array.from({ length: Math.min(first.totalPages, MAX_LIST_PAGES) - 1 }, (_, i) => this.listPage(i + 1, call));
      for (const page of await Promise.all(rest)) pages.push(page.items);
    } else {
      // Older responses carry no totals: read on until a short page.
      let last = first;
      for (let page = 1; last.items.length >= LIST_PAGE_SIZE && page < MAX_LIST_PAGES; page += 1) {
        last = await this.listPage(page, call);
        pages.push(last.items);
      }
    }
    return pages.flat();
  }

  private async listPage(page: number, call: CallContext): Promise<{ items: BatchRecord[]; totalPages: number | null }> {
    const body = await this.http.getJson(BATCHES, { page, limit: LIST_PAGE_SIZE }, call);
    const fetchedAt = Date.now();
    // The first published version returned a bare array instead of the ListResponse envelope.
    const envelope = asObject(body);
    const items = mapObjects(envelope ? envelope.items : body, (raw) => toBatchRecord(raw, false, fetchedAt));
    return { items, totalPages: envelope ? asNumber(envelope.total_pages) : null };
  }

  async getBatch(batchId: string, call: CallContext): Promise<BatchRecord | null> {
    const raw = asObject(await this.http.getJson(batchPath(batchId), undefined, call));
    return raw ? toBatchRecord(raw, true, Date.now()) : null;
  }

  async listResults(batchId: string, filter: ResultFilter, call: CallContext): Promise<ResultSet | null> {
    const query = { reference_id: filter.referenceId, status: filter.vendorStatus, insights_status: filter.insightsStatus };
    const body = await this.http.getJsonArray(`${batchPath(batchId)}/results`, query, call, (raw) => {
      const row = asObject(raw);
      return row ? toResultRecord(batchId, row) : null;
    });
    return body && { rows: body.items, bytes: body.bytes, fetchedAt: Date.now() };
  }

  async getResult(batchId: string, referenceId: string, call: CallContext): Promise<ResultRecord | null> {
    const results = await this.listResults(batchId, { referenceId }, call);
    return results?.rows.find((result) => result.referenceId === referenceId) ?? null;
  }

  capabilities(batch: BatchRecord): BatchCapabilities {
    const open = batch.status === 'PENDING' || batch.status === 'ACTIVE' || batch.status === 'PAUSED';
    return {
      canPause: open && !batch.paused,
      canResume: open && batch.paused,
      canUpdateExpiry: open,
    };
  }

  async updateBatch(batchId: string, change: BatchChange, call: CallContext): Promise<BatchRecord | null> {
    // CommunicationBatchUpdate: only the fields that change; omitted fields stay as they are.
    const body: Record<string, unknown> = {};
    if (change.paused !== undefined) body.paused = change.paused;
    if (change.expiresOn !== undefined) body.expires_on = change.expiresOn === null ? null : change.expiresOn.toISOString();
    const raw = asObject(await this.http.sendJson('PUT', batchPath(batchId), body, call));
    return raw ? toBatchRecord(raw, false, Date.now()) : null;
  }

  health(): VendorHealth {
    return this.http.health();
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

function batchPath(batchId: string): string {
  return `${BATCHES}/${encodeURIComponent(batchId)}`;
}
