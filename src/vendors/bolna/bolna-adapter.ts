import type {
  AgentRecord,
  BatchCapabilities,
  BatchControl,
  BatchList,
  BatchListFilter,
  BatchRecord,
  CampaignRecord,
  ResultFilter,
  ResultRecord,
  ResultSet,
} from '../../domain/model.js';
import type { HttpSettings, VendorSettings } from '../../http/settings.js';
import type { VendorHealth } from '../../http/settings.js';
import type { CallOptions } from '../../http/call-options.js';
import { VendorHttpClient } from '../../http/vendor-http-client.js';
import { InvalidInputError } from '../../domain/errors.js';
import { reusePrevious } from '../intern.js';
import { asObject, asString, readObjects } from '../json-reader.js';
import type { ControlInput, DeletionReceipt, VendorAdapter } from '../vendor-adapter.js';
import { toAgentRecord, toBatchRecord, toResultRecord } from './map.js';
import type { LaunchOptions, LoadState, NewBatch } from '../../domain/launch.js';
import { variableRow, type TargetRules, type TargetRow } from '../../domain/targets.js';
import { targetCsv } from '../target-csv.js';

const UNSUPPORTED: Partial<Record<BatchControl, string>> = {
  pause: 'Bolna batches cannot be paused: Bolna offers only stop (`stopBatch`), which cannot be undone.',
  resume: 'Bolna batches cannot be paused or resumed: Bolna offers only stop (`stopBatch`).',
  updateExpiry: 'Bolna batches have no expiry: stop one with `stopBatch`, or set its start with `scheduleBatch`.',
  updateCallRate: "Bolna sets no pace per batch: its calls run at the account's concurrency limit.",
  addTargets: 'Bolna takes a batch\'s targets only when it is created: create another batch with `createBatch` for more people.',
  removeTargets: 'Bolna cannot remove targets from a batch: stop it with `stopBatch` (its unplaced calls are not placed), or delete it before it starts.',
};

/** Syllable's settings of a new batch, which Bolna has no place for. */
const SYLLABLE_ONLY: ReadonlyArray<keyof LaunchOptions> = ['campaignId', 'paused', 'expiresOn', 'callRate'];
const E164 = /^\+[1-9]\d{6,14}$/;
/** The CSV column that carries a target's reference id (a variable to Bolna, kept in `context_details`). */
const REFERENCE_COLUMN = 'reference_id';
/** Bounds of `retry_config` we hold to: Bolna publishes none, and each retry spends money. */
const MAX_RETRIES = 5;
const MAX_RETRY_INTERVAL_MINUTES = 7 * 24 * 60;
/** How a file name carries the launch tag: `<name>.og-<tag>.csv`, found again in the agent's list. */
const TAG_MARK = '.og-';

/** Bolna wants a start at least this far ahead. */
const MIN_SCHEDULE_LEAD_MS = 2 * 60_000;
/** Bolna agent ids are uuids (with or without dashes). */
const AGENT_ID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** `scheduled_at` as Bolna requires it: ISO-8601 with a numeric offset (`+00:00`); a `Z` suffix is rejected. */
export function bolnaScheduleTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}+00:00`;
}

/** The client's file name with the launch tag before its extension. */
function taggedFileName(batch: NewBatch): string {
  const name = batch.fileName.replace(/\.csv$/i, '');
  return `${name}${TAG_MARK}${batch.launchTag}.csv`;
}

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
  readonly controls: ReadonlySet<BatchControl> = new Set<BatchControl>(['schedule', 'stop', 'delete']);
  /** The batch executions route takes no filters. */
  readonly resultFilters: ReadonlySet<keyof ResultFilter> = new Set();
  /** Bolna lists per agent: an agent filter reads that agent's list alone. */
  readonly listFilters: ReadonlySet<keyof BatchListFilter> = new Set(['agentId'] as const);
  /** Bolna's `Batch` has no agent: only the per-agent list it was read from tells. */
  readonly agentOnList = true;
  /** `contact_number` (E.164) is the one column Bolna reads itself; a reference id, when given, goes as a column (a variable) too. */
  readonly targetRules: TargetRules = { referenceIdRequired: false, reservedColumns: new Set(['contact_number']) };
  /** One multipart `POST /batches` carries the file. */
  readonly targetsAtCreate = true;
  readonly credentialScope: string;
  private readonly http: VendorHttpClient;
  private readonly agentIds: readonly string[];

  constructor(settings: BolnaSettings, http: HttpSettings) {
    this.http = new VendorHttpClient('bolna', settings, http, { header: 'authorization', value: (key) => `Bearer ${key}` }, readBolnaError);
    this.credentialScope = this.http.credentialScope;
    this.agentIds = settings.agentIds;
  }

  unsupported(control: BatchControl): string {
    return UNSUPPORTED[control] ?? `Bolna does not support ${control}.`;
  }

  listFilterProblem(filter: BatchListFilter): InvalidInputError | null {
    const { agentId } = filter;
    if (agentId !== undefined && !AGENT_ID.test(agentId)) return new InvalidInputError(`\`agentId\` is a Bolna agent id, a uuid (got "${agentId.slice(0, 40)}").`, 'agentId');
    return null;
  }

  /** `scheduled_at` at least 2 minutes ahead (Bolna's limits page). */
  controlInputProblem(input: ControlInput, now: number): InvalidInputError | null {
    const { at } = input;
    if (input.control === 'schedule' && at !== undefined && at.getTime() - now < MIN_SCHEDULE_LEAD_MS) {
      return new InvalidInputError(`\`at\` must be at least 2 minutes from now, as Bolna requires (got ${at.toISOString()}).`, 'at');
    }
    return null;
  }

  /** An agent (a uuid), caller numbers in E.164, a start at least 2 minutes ahead, a bounded retry; none of Syllable's settings. */
  launchProblem(options: LaunchOptions, now: number): InvalidInputError | null {
    const foreign = SYLLABLE_ONLY.find((name) => options[name] != null);
    if (foreign) return new InvalidInputError(`\`${foreign}\` is a Syllable setting; a Bolna batch takes \`agentId\`, \`fromPhoneNumbers\`, \`scheduledAt\` and \`retry\`.`, foreign);
    if (options.agentId == null) return new InvalidInputError('A Bolna batch is called by an agent: pass `agentId` (see `agents`).', 'agentId');
    const agent = this.listFilterProblem({ agentId: options.agentId });
    if (agent) return agent;
    const badCaller = options.fromPhoneNumbers?.find((number) => !E164.test(number));
    if (badCaller !== undefined) return new InvalidInputError(`\`fromPhoneNumbers\` are E.164 numbers such as +15555550100 (got "${badCaller.slice(0, 20)}").`, 'fromPhoneNumbers');
    if (options.scheduledAt != null && options.scheduledAt.getTime() - now < MIN_SCHEDULE_LEAD_MS) {
      return new InvalidInputError(`\`scheduledAt\` must be at least 2 minutes from now, as Bolna requires (got ${options.scheduledAt.toISOString()}).`, 'scheduledAt');
    }
    const retry = options.retry;
    if (retry) {
      if (!Number.isInteger(retry.maxRetries) || retry.maxRetries < 0 || retry.maxRetries > MAX_RETRIES) {
        return new InvalidInputError(`\`retry.maxRetries\` is 0 to ${MAX_RETRIES} (got ${retry.maxRetries}).`, 'retry.maxRetries');
      }
      if (retry.intervalsMinutes.length !== retry.maxRetries || retry.intervalsMinutes.some((m) => !Number.isInteger(m) || m < 1 || m > MAX_RETRY_INTERVAL_MINUTES)) {
        return new InvalidInputError(
          `\`retry.intervalsMinutes\` gives one wait per retry (${retry.maxRetries}), each 1 to ${MAX_RETRY_INTERVAL_MINUTES} minutes.`,
          'retry.intervalsMinutes',
        );
      }
    }
    return null;
  }

  /** Bolna loads at create; a batch whose rows all failed its checks holds none. */
  loadState(batch: BatchRecord): LoadState {
    return batch.validContacts === 0 ? 'failed' : 'loaded';
  }

  /**
   * A Bolna execution's CSV row is its `context_details`: the reference id given at create is its
   * `reference_id` column; without one, the execution id stands for it.
   */
  retryTarget(result: ResultRecord): TargetRow | null {
    if (!result.target) return null;
    const { [REFERENCE_COLUMN]: given, ...variables } = result.variables ?? {};
    const referenceId = typeof given === 'string' && given.trim() !== '' ? given : result.referenceId;
    return { phoneNumber: result.target, referenceId, variables: variableRow(variables) };
  }

  /** Bolna lists per agent and unpaged: one call per configured agent (or the one asked for), all at once. */
  async listBatches(filter: BatchListFilter, call: CallOptions): Promise<BatchList> {
    const agents = filter.agentId === undefined ? this.agentIds : [filter.agentId];
    const perAgent = await Promise.all(
      agents.map(async (agentId) => {
        const body = await this.http.getJson(`/batches/${encodeURIComponent(agentId)}/all`, undefined, call);
        const fetchedAt = Date.now();
        return readObjects(body, (raw) => toBatchRecord(raw, agentId, fetchedAt));
      }),
    );
    return { records: perAgent.flatMap((list) => list.items), unreadable: perAgent.reduce((sum, list) => sum + list.unreadable, 0) };
  }

  async getBatch(batchId: string, call: CallOptions): Promise<BatchRecord | null> {
    const raw = asObject(await this.http.getJson(`/batches/${encodeURIComponent(batchId)}`, undefined, call));
    return raw ? toBatchRecord(raw, null, Date.now()) : null;
  }

  async listResults(batchId: string, _filter: ResultFilter, call: CallOptions): Promise<ResultSet | null> {
    const sameAsBefore = reusePrevious();
    const body = await this.http.getJsonArray(`/batches/${encodeURIComponent(batchId)}/executions`, undefined, call, (raw) => {
      const row = asObject(raw);
      return row ? toResultRecord(batchId, row, sameAsBefore) : null;
    });
    return body && { rows: body.items, unreadable: body.unreadable, bytes: body.bytes, fetchedAt: Date.now() };
  }

  async getResult(batchId: string, executionId: string, call: CallOptions): Promise<ResultRecord | null> {
    const raw = asObject(await this.http.getJson(`/executions/${encodeURIComponent(executionId)}`, undefined, call));
    // An execution of another batch is not a result of this one.
    if (!raw || (asString(raw.batch_id) ?? '').toLowerCase() !== batchId.toLowerCase()) return null;
    return toResultRecord(batchId, raw);
  }

  /** Bolna batches belong to agents, not campaigns. */
  getCampaign(): Promise<CampaignRecord | null> {
    return Promise.resolve(null);
  }

  async getAgent(agentId: string, call: CallOptions): Promise<AgentRecord | null> {
    const raw = asObject(await this.http.getJson(`/v2/agent/${encodeURIComponent(agentId)}`, undefined, call));
    return raw ? toAgentRecord(raw, agentId) : null;
  }

  /** The configured agents (Bolna has no route listing them all), each read once per TTL. */
  async listAgents(call: CallOptions): Promise<readonly AgentRecord[]> {
    const agents = await Promise.all(this.agentIds.map((agentId) => this.getAgent(agentId, call)));
    return agents.filter((agent): agent is AgentRecord => agent !== null);
  }

  listCampaigns(): Promise<readonly CampaignRecord[]> {
    return Promise.resolve([]);
  }

  capabilities(batch: BatchRecord): BatchCapabilities {
    return {
      addTargets: false,
      removeTargets: false,
      pause: false,
      resume: false,
      updateExpiry: false,
      updateCallRate: false,
      // A batch that has not started may be given (or moved to) a start time.
      schedule: batch.status === 'PENDING' || batch.status === 'SCHEDULED',
      // Bolna stops only a batch that is "queued or running".
      stop: batch.status === 'ACTIVE',
      delete: true,
    };
  }

  updateBatch(): Promise<BatchRecord | null> {
    return Promise.reject(new Error('Bolna batches take no changes'));
  }

  /** `POST /batches/{id}/schedule`, multipart: Bolna rounds the start up to the next 10 minutes. */
  async scheduleBatch(batchId: string, at: Date, bypassCallGuardrails: boolean, call: CallOptions): Promise<boolean> {
    const multipart = { scheduled_at: bolnaScheduleTime(at), bypass_call_guardrails: String(bypassCallGuardrails) };
    return (await this.http.send('POST', `/batches/${encodeURIComponent(batchId)}/schedule`, { multipart }, call)) !== null;
  }

  /** Bolna answers 404 "Batch is not queued or running" to a stop it cannot apply. */
  async stopBatch(batchId: string, call: CallOptions): Promise<boolean> {
    return (await this.http.send('POST', `/batches/${encodeURIComponent(batchId)}/stop`, undefined, call)) !== null;
  }

  /** Bolna deletes for good: the batch no longer reads afterwards. */
  async deleteBatch(batchId: string, _reason: string, call: CallOptions): Promise<DeletionReceipt | null> {
    const body = await this.http.send('DELETE', `/batches/${encodeURIComponent(batchId)}`, undefined, call, false);
    return body === null ? null : { deletedAt: new Date(), kept: false };
  }

  /**
   * One multipart `POST /batches`: the agent, the CSV (`contact_number`, the reference id when
   * given, the variables), the caller numbers (the field repeated) and `retry_config` as JSON text.
   * Null when Bolna does not know the agent.
   */
  async createBatch(batch: NewBatch, call: CallOptions): Promise<string | null> {
    const { options } = batch;
    const withReference = batch.targets.targets.some((target) => target.referenceId !== null);
    const multipart = {
      agent_id: options.agentId ?? '',
      file: { fileName: taggedFileName(batch), contentType: 'text/csv', content: targetCsv(batch.targets, 'contact_number', withReference ? REFERENCE_COLUMN : null) },
      ...(options.fromPhoneNumbers?.length ? { from_phone_numbers: options.fromPhoneNumbers } : {}),
      ...(options.retry
        ? { retry_config: JSON.stringify({ enabled: options.retry.maxRetries > 0, max_retries: options.retry.maxRetries, retry_intervals_minutes: options.retry.intervalsMinutes }) }
        : {}),
    };
    const created = asObject(await this.http.send('POST', '/batches', { multipart }, call));
    return created ? (asString(created.batch_id) ?? null) : null;
  }

  /** Bolna has no idempotency key: the agent's list is read for the file name that carries the launch tag. */
  async findCreated(batch: NewBatch, call: CallOptions): Promise<BatchRecord | null> {
    const agentId = batch.options.agentId;
    if (!agentId) return null;
    const mark = `${TAG_MARK}${batch.launchTag}`;
    const list = await this.listBatches({ agentId }, call);
    return list.records.find((record) => record.fileName?.includes(mark)) ?? null;
  }

  loadTargets(): Promise<boolean> {
    return Promise.reject(new Error('Bolna loads targets with the create'));
  }

  /** Scheduled when a start is given; else it waits, `created`, for `scheduleBatch`. */
  async startCreated(batchId: string, batch: NewBatch, call: CallOptions): Promise<void> {
    const at = batch.options.scheduledAt;
    if (at) await this.scheduleBatch(batchId, at, false, call);
  }

  addTarget(): Promise<boolean> {
    return Promise.reject(new Error('Bolna batches take no new targets'));
  }

  removeTargets(): Promise<boolean> {
    return Promise.reject(new Error('Bolna batches take no removals'));
  }

  health(): VendorHealth {
    return this.http.health();
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
