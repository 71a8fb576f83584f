import { UnsupportedOperationError } from '../../domain/errors.js';
import type { BatchCapabilities, BatchRecord, ResultFilter, ResultRecord, ResultSet } from '../../domain/model.js';
import type { HttpSettings, VendorSettings } from '../../http/settings.js';
import type { VendorHealth } from '../../http/settings.js';
import { VendorHttpClient, type CallContext } from '../../http/vendor-http-client.js';
import { asObject, asString, mapObjects } from '../json-reader.js';
import { NO_CAPABILITIES, type VendorAdapter } from '../vendor-adapter.js';
import { toBatchRecord, toResultRecord } from './map.js';

export interface BolnaSettings extends VendorSettings {
  /** Agents whose batches `batches` lists (Bolna lists batches per agent only). */
  readonly agentIds: readonly string[];
}

/** Bolna's clients read `message`, then `detail`, then `error`; so do we. */
export function readBolnaError(body: unknown): string | null {
  const object = asObject(body);
  if (!object) return null;
  return asString(object.message) ?? asString(object.detail) ?? asString(object.error);
}

export class BolnaAdapter implements VendorAdapter {
  readonly vendor = 'bolna' as const;
  readonly changesBatches = false;
  /** The batch executions route takes no filters. */
  readonly resultFilters: ReadonlySet<keyof ResultFilter> = new Set();
  readonly credentialScope: string;
  private readonly http: VendorHttpClient;
  private readonly agentIds: readonly string[];

  constructor(settings: BolnaSettings, http: HttpSettings) {
    this.http = new VendorHttpClient('bolna', settings, http, { header: 'authorization', value: (key) => `Bearer ${key}` }, readBolnaError);
    this.credentialScope = this.http.credentialScope;
    this.agentIds = settings.agentIds;
  }

  /** Bolna lists per agent and unpaged: one call per configured agent, all at once. */
  async listBatches(call: CallContext): Promise<BatchRecord[]> {
    const perAgent = await Promise.all(
      this.agentIds.map(async (agentId) => {
        const body = await this.http.getJson(`/batches/${encodeURIComponent(agentId)}/all`, undefined, call);
        const fetchedAt = Date.now();
        return mapObjects(body, (raw) => toBatchRecord(raw, agentId, fetchedAt));
      }),
    );
    return perAgent.flat();
  }

  async getBatch(batchId: string, call: CallContext): Promise<BatchRecord | null> {
    const raw = asObject(await this.http.getJson(`/batches/${encodeURIComponent(batchId)}`, undefined, call));
    return raw ? toBatchRecord(raw, null, Date.now()) : null;
  }

  async listResults(batchId: string, _filter: ResultFilter, call: CallContext): Promise<ResultSet | null> {
    const body = await this.http.getJsonArray(`/batches/${encodeURIComponent(batchId)}/executions`, undefined, call, (raw) => {
      const row = asObject(raw);
      return row ? toResultRecord(batchId, row) : null;
    });
    return body && { rows: body.items, bytes: body.bytes, fetchedAt: Date.now() };
  }

  async getResult(batchId: string, executionId: string, call: CallContext): Promise<ResultRecord | null> {
    const raw = asObject(await this.http.getJson(`/executions/${encodeURIComponent(executionId)}`, undefined, call));
    // An execution of another batch is not a result of this one.
    if (!raw || (asString(raw.batch_id) ?? '').toLowerCase() !== batchId.toLowerCase()) return null;
    return toResultRecord(batchId, raw);
  }

  capabilities(): BatchCapabilities {
    return NO_CAPABILITIES;
  }

  updateBatch(): Promise<BatchRecord | null> {
    return Promise.reject(
      new UnsupportedOperationError('Bolna batches cannot be paused, resumed or given an expiry: Bolna offers only stop.', 'updateBatch', 'bolna'),
    );
  }

  health(): VendorHealth {
    return this.http.health();
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
