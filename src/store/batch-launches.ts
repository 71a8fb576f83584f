import { createHash } from 'node:crypto';
import type { SharedVendor } from '../cache/caching-adapter.js';
import { freshRead } from '../cache/read-options.js';
import { answerLost, BatchIncompleteError, BatchNotFoundError, InvalidInputError, vendorLabel, WriteOutcomeUnknownError } from '../domain/errors.js';
import { batchGlobalId } from '../domain/ids.js';
import { launchOptionsOf, unknownDestination, type LaunchOptions, type NewBatch } from '../domain/launch.js';
import type { BatchRecord, ResultStatus, RetryWarning, Vendor } from '../domain/model.js';
import { checkTargetsSoon, hasControlCharacter, refuseList, type CheckedTargets, type TargetList, type TargetRow, type TargetValidation } from '../domain/targets.js';
import type { LaunchEntry, LaunchLedger } from '../launch/launch-ledger.js';
import { tableTargets } from '../launch/target-table.js';
import type { UploadStore } from '../launch/upload-store.js';
import type { Caller } from '../security/auth.js';
import type { BatchReads } from './batch-reads.js';
import { replaceBatch } from './loaders.js';

/** Where launches keep what they must remember: idempotency keys (a day) and uploads (an hour). */
export interface LaunchSources {
  readonly ledger: LaunchLedger;
  readonly uploads: UploadStore;
}

/** Rows a list given as JSON may have: every document still fits a federation router. */
export const MAX_JSON_TARGETS = 5_000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
const MAX_FILE_NAME_LENGTH = 100;
/** Path separators have no place in a file name. */
const PATH_SEPARATOR = /[/\\]/;

/** A list to check: given as JSON rows, or the id of an upload. */
export interface TargetSource {
  readonly targets?: readonly TargetRow[] | null;
  readonly uploadId?: string | null;
}

/** Where a retry's batch goes: another vendor, campaign or agent, and the settings of a new batch. */
export interface RetryDestination extends LaunchOptions {
  readonly vendor: Vendor;
  readonly fileName?: string | null;
}

export interface RetryInput {
  /** Global id of the batch whose targets are called again. */
  readonly id: string;
  readonly statuses: readonly ResultStatus[];
  readonly idempotencyKey: string;
  /** Null: the source's vendor, with its campaign or agent. */
  readonly into: RetryDestination | null;
  readonly skipInvalidTargets: boolean;
}

export interface CreateBatchInput extends TargetSource, LaunchOptions {
  readonly vendor: Vendor;
  readonly idempotencyKey: string;
  readonly fileName?: string | null;
  readonly defaultCountry: string;
  /** False: any invalid row refuses the whole create. */
  readonly skipInvalidTargets: boolean;
}

/**
 * Checks target lists and creates batches from them, for one operation. A create happens once per
 * idempotency key: the ledger remembers each key's input (a fingerprint) and how far its create
 * got, a lock lets one call at a time work on a key, and a create is never sent twice. When a
 * create's answer is lost, the vendor is asked what it made (Syllable: the batch id derived from
 * the key; Bolna: the agent's list, by the file name that carries the key) before anything is sent
 * again, and a create that stopped half-way (created, not loaded or not started) is finished by
 * the next call with its key.
 */
export class BatchLaunches {
  constructor(
    private readonly reads: BatchReads,
    private readonly sources: LaunchSources,
    private readonly caller: Caller,
    /** Told of what an answer should be read with (`extensions.warnings`). */
    private readonly warn: (warning: RetryWarning) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** `validateTargets`: the check alone; no vendor is called. */
  async validate(vendor: Vendor, source: TargetSource, defaultCountry: string): Promise<TargetValidation> {
    const rules = this.reads.vendors.get(vendor).targetRules;
    const rows = await this.rowsOf(source);
    return (await checkTargetsSoon(rows, { rules, defaultCountry, keepTargets: false })).validation;
  }

  /** The rows of a list, from JSON or an upload of this caller; exactly one must be given, and not empty. */
  async rowsOf(source: TargetSource): Promise<TargetList> {
    const targets = checkSource(source);
    if (targets) return targets;
    const uploadId = source.uploadId!;
    const upload = await this.sources.uploads.get(uploadId);
    // Another caller's upload is answered as none, so its existence is not told either.
    if (!upload || upload.owner !== this.caller.key) {
      throw new InvalidInputError(`No upload "${uploadId.slice(0, 60)}" of yours: uploads are kept an hour, for the caller who sent them. Send the file to POST /uploads again.`, 'uploadId');
    }
    if (upload.table.rows.length === 0) throw new InvalidInputError('The upload has a header row but no targets.', 'uploadId');
    return tableTargets(upload.table);
  }

  /** `createBatch`: the new batch as read back; the same key and input answer the same batch. */
  async create(input: CreateBatchInput): Promise<BatchRecord> {
    checkSource(input);
    return this.launch({
      vendor: input.vendor,
      idempotencyKey: input.idempotencyKey,
      fileName: input.fileName ?? null,
      options: launchOptionsOf(input),
      defaultCountry: input.defaultCountry,
      skipInvalidTargets: input.skipInvalidTargets,
      fingerprint: fingerprintOf(input),
      rows: async () => {
        const rows = await this.rowsOf(input);
        const checked = await checkTargetsSoon(rows, { rules: this.reads.vendors.get(input.vendor).targetRules, defaultCountry: input.defaultCountry });
        return { checked, leftOut: 0 };
      },
    });
  }

  /**
   * `retryBatchTargets`: a new batch of the targets of `id` whose normalised status is one of
   * `statuses`, with their reference ids and variables, at the same vendor (campaign or agent,
   * caller numbers) or as `into` says, created once per key as `create` does. The source batch
   * gets nothing written; a source still running, or targets left out, are warnings.
   */
  async retry(input: RetryInput): Promise<BatchRecord> {
    const statuses = [...new Set(input.statuses)].sort();
    if (statuses.length === 0) throw new InvalidInputError('`statuses` is empty: say which targets to call again (e.g. NOT_REACHED, FAILED).', 'statuses');
    const source = await this.reads.batch(input.id);
    const into = input.into;
    const vendor = into?.vendor ?? source.vendor;
    const sameVendor = vendor === source.vendor;
    const options: LaunchOptions = {
      ...(into ? launchOptionsOf(into) : {}),
      // At the same vendor, the source's campaign or agent and caller numbers unless `into` says otherwise.
      campaignId: into?.campaignId ?? (sameVendor ? source.campaignId : null),
      agentId: into?.agentId ?? (sameVendor ? await this.reads.agentId(source) : null),
      fromPhoneNumbers: into?.fromPhoneNumbers ?? (sameVendor && source.fromPhoneNumbers.length > 0 ? source.fromPhoneNumbers : null),
    };
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(['retry', input.id, statuses, vendor, into?.fileName ?? null, input.skipInvalidTargets, canonicalOptions(options)]))
      .digest('hex');
    const destination = this.reads.vendors.get(vendor);
    return this.launch({
      vendor,
      idempotencyKey: input.idempotencyKey,
      fileName: into?.fileName ?? `retry-of-${source.vendorBatchId}.csv`,
      options,
      defaultCountry: 'US',
      skipInvalidTargets: input.skipInvalidTargets,
      fingerprint,
      beforeCreate: async () => {
        if (!(await this.reads.knowsDestination(vendor, options))) {
          throw unknownDestination(vendor, options, '', ' Nothing was created.');
        }
      },
      rows: async () => {
        const matching = await this.reads.retryable(source, statuses);
        if (matching.length === 0) {
          throw new InvalidInputError(`No target of batch ${input.id} is ${statuses.join(' or ')}: there is nothing to retry, and nothing was created.`, 'statuses');
        }
        const rows = matching.map((result) => this.reads.vendors.get(result.vendor).retryTarget(result)!);
        const checked = await checkTargetsSoon(rows, { rules: destination.targetRules, defaultCountry: 'US' });
        const { total, valid } = checked.validation;
        const totals = await this.reads.progress(source);
        if (totals.finished < totals.total) {
          this.warn({ code: 'SOURCE_STILL_RUNNING', vendor: source.vendor, message: `Batch ${input.id} is still running (${totals.total - totals.finished} targets not finished): its targets may still change, and the new batch holds them as they were.` });
        }
        return { checked, leftOut: total - valid };
      },
    });
  }

  /** Creates a batch once per key: checks, then the ledger's lock, then the run from where the key's entry left it. */
  private async launch(plan: LaunchPlan): Promise<BatchRecord> {
    const vendor = this.reads.vendors.get(plan.vendor);
    const key = plan.idempotencyKey;
    if (key.trim() === '' || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || hasControlCharacter(key)) {
      throw new InvalidInputError(`\`idempotencyKey\` is 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable characters: one per batch you mean to create (a uuid is a good one).`, 'idempotencyKey');
    }
    const fileName = checkFileName(plan.fileName);
    const problem = vendor.launchProblem(plan.options, this.now());
    if (problem) throw problem;
    // Keys are the caller's own: another caller's same key is another batch.
    const ledgerKey = createHash('sha256').update(`${vendor.credentialScope}\u0000${this.caller.key}\u0000${key}`).digest('hex');
    return this.sources.ledger.exclusive(ledgerKey, Math.max(0, this.reads.call.expiresAtMs - Date.now() - 1_000), async () => {
      const entry = await this.sources.ledger.read(ledgerKey);
      if (entry && entry.fingerprint !== plan.fingerprint) {
        throw new InvalidInputError('This idempotencyKey was used with other input: a key names one create. Use a new key for another batch.', 'idempotencyKey');
      }
      // Done before: its batch, as it is now (its upload may be gone by then; the key holds a day).
      if (entry?.stage === 'done') {
        const found = await vendor.getBatch(entry.vendorBatchId!, freshRead(this.reads.call));
        if (!found) throw new BatchNotFoundError(batchGlobalId({ vendor: plan.vendor, batchId: entry.vendorBatchId! }));
        const record = withLaunchAgent(found, plan.options);
        replaceBatch(this.reads.loaders, record);
        return record;
      }
      if (!entry) await plan.beforeCreate?.();
      const { checked, leftOut } = await plan.rows();
      if (!entry) refuseList(checked.validation, plan.skipInvalidTargets, 'Nothing was created.');
      if (leftOut > 0) {
        const { total, duplicates, invalid } = checked.validation;
        this.warn({ code: 'TARGETS_LEFT_OUT', vendor: plan.vendor, message: `${leftOut} of ${total} targets were left out: ${duplicates} repeated numbers, ${invalid} with other issues (\`validateTargets\` tells which).` });
      }
      const batch: NewBatch = {
        vendor: plan.vendor,
        launchTag: ledgerKey.slice(0, 20),
        fileName: fileName ?? `targets-${new Date(entry?.since ?? this.now()).toISOString().slice(0, 10)}.csv`,
        targets: { variableNames: checked.validation.variableNames, targets: checked.targets },
        options: plan.options,
      };
      const record = withLaunchAgent(await new LaunchRun(this.reads, vendor, this.sources.ledger, ledgerKey, batch, plan.fingerprint, this.now).finish(entry), plan.options);
      replaceBatch(this.reads.loaders, record);
      return record;
    });
  }
}

/**
 * A batch made here, with the agent it was made for: a vendor that names a batch's agent only on
 * its agent's list (Bolna) reads it back without one, and this operation's copy of that list may
 * predate the batch (a retry reads it to find the source's agent).
 */
function withLaunchAgent(record: BatchRecord, options: LaunchOptions): BatchRecord {
  return record.agentId === null && options.agentId ? { ...record, agentId: options.agentId } : record;
}

/** What `launch` needs of a create or a retry. */
interface LaunchPlan {
  readonly vendor: Vendor;
  readonly idempotencyKey: string;
  readonly fileName: string | null;
  readonly options: LaunchOptions;
  readonly defaultCountry: string;
  readonly skipInvalidTargets: boolean;
  /** The input as one hash: the same key with another input is refused. */
  readonly fingerprint: string;
  /** Checks made before a key's first create (a destination the vendor does not know). */
  readonly beforeCreate?: () => Promise<void>;
  /** The list, checked; read only when the key's batch is not made yet. `leftOut`: rows that will not be sent. */
  readonly rows: () => Promise<{ checked: CheckedTargets; leftOut: number }>;
}

/** One call's way through a create, from where the key's entry left it to `done`. */
class LaunchRun {
  constructor(
    private readonly reads: BatchReads,
    private readonly vendor: SharedVendor,
    private readonly ledger: LaunchLedger,
    private readonly key: string,
    private readonly batch: NewBatch,
    private readonly fingerprint: string,
    private readonly now: () => number,
  ) {}

  async finish(previous: LaunchEntry | null): Promise<BatchRecord> {
    let entry = previous;
    let known: BatchRecord | null = null;
    if (entry === null || entry.stage === 'sending') ({ entry, known } = await this.create(entry));
    const batchId = entry.vendorBatchId!;
    if (entry.stage === 'created') {
      entry = await this.load(entry, batchId, previous !== null ? (known ?? (await this.readBack(batchId))) : null);
      known = null;
    }
    if (entry.stage === 'loaded') entry = await this.start(entry, batchId);
    return known ?? this.readBack(batchId);
  }

  /** Sends the create, unless a create sent before made the batch already. */
  private async create(previous: LaunchEntry | null): Promise<{ entry: LaunchEntry; known: BatchRecord | null }> {
    const since = previous?.since ?? this.now();
    if (previous) {
      // An earlier create's answer was lost: what did it make?
      const found = await this.vendor.uncached(freshRead(this.reads.call), (adapter, call) => adapter.findCreated(this.batch, call));
      if (found) return { entry: await this.created(since, found.vendorBatchId), known: found };
    }
    const sending: LaunchEntry = { fingerprint: this.fingerprint, vendor: this.batch.vendor, stage: 'sending', vendorBatchId: null, since };
    await this.ledger.write(this.key, sending);
    let batchId: string | null;
    try {
      batchId = await this.vendor.write(this.batch.launchTag, this.reads.call, (adapter, call) => adapter.createBatch(this.batch, call));
    } catch (error) {
      if (!answerLost(error)) {
        // Refused, or never sent: nothing was made, and the key is free for another try.
        await this.ledger.forget(this.key);
        throw error;
      }
      const found = await this.vendor.uncached(freshRead(this.reads.call), (adapter, call) => adapter.findCreated(this.batch, call)).catch(() => null);
      if (!found) {
        throw new WriteOutcomeUnknownError('createBatch', this.batch.vendor, null, error, 'Call createBatch again with the same idempotencyKey: it asks the vendor what was made before creating anything.');
      }
      return { entry: await this.created(since, found.vendorBatchId), known: found };
    }
    if (batchId === null) {
      await this.ledger.forget(this.key);
      throw unknownDestination(this.batch.vendor, this.batch.options, ' (it answered 404)');
    }
    return { entry: await this.created(since, batchId), known: null };
  }

  /** The batch exists: loaded with it (Bolna), or still to be loaded (Syllable). */
  private async created(since: number, vendorBatchId: string): Promise<LaunchEntry> {
    const stage = this.vendor.targetsAtCreate ? 'loaded' : 'created';
    return this.advance({ fingerprint: this.fingerprint, vendor: this.batch.vendor, stage, vendorBatchId, since });
  }

  /** Loads the targets in one file, unless the batch holds them already (an earlier load's answer was lost). */
  private async load(entry: LaunchEntry, batchId: string, before: BatchRecord | null): Promise<LaunchEntry> {
    if (before === null || this.vendor.loadState(before) !== 'loaded') {
      try {
        const found = await this.vendor.write(batchId, this.reads.call, (adapter, call) => adapter.loadTargets(batchId, this.batch, call));
        if (!found) throw new BatchIncompleteError(this.batch.vendor, null, batchId, 'load', 'the batch was not found when its targets were sent.');
      } catch (error) {
        if (error instanceof BatchIncompleteError) throw error;
        const after = await this.readBack(batchId).catch(() => null);
        if (!(answerLost(error) && after && this.vendor.loadState(after) === 'loaded')) {
          throw new BatchIncompleteError(this.batch.vendor, after, batchId, 'load', `${error instanceof Error ? error.message : 'the upload failed'}.`);
        }
      }
      const after = await this.readBack(batchId);
      if (this.vendor.loadState(after) === 'failed') {
        throw new BatchIncompleteError(this.batch.vendor, after, batchId, 'load', `${vendorLabel(this.batch.vendor)} could not read the file: ${after.errorMessage ?? 'no reason given'}.`);
      }
    }
    return this.advance({ ...entry, stage: 'loaded' });
  }

  /** Starts the batch as asked (Syllable: unpause; Bolna: schedule). */
  private async start(entry: LaunchEntry, batchId: string): Promise<LaunchEntry> {
    try {
      await this.vendor.write(batchId, this.reads.call, (adapter, call) => adapter.startCreated(batchId, this.batch, call));
    } catch (error) {
      const after = await this.readBack(batchId).catch(() => null);
      throw new BatchIncompleteError(this.batch.vendor, after, batchId, 'start', `${error instanceof Error ? error.message : 'the vendor failed'}.`);
    }
    return this.advance({ ...entry, stage: 'done' });
  }

  private async advance(entry: LaunchEntry): Promise<LaunchEntry> {
    await this.ledger.write(this.key, entry);
    return entry;
  }

  private async readBack(batchId: string): Promise<BatchRecord> {
    const record = await this.vendor.getBatch(batchId, freshRead(this.reads.call));
    if (!record) throw new BatchIncompleteError(this.batch.vendor, null, batchId, 'load', 'the batch could not be read back.');
    return record;
  }
}

/** The list's source, checked without reading it: exactly one of JSON rows (1 to MAX_JSON_TARGETS) and an upload id. The JSON rows, if given. */
function checkSource(source: TargetSource): readonly TargetRow[] | null {
  const { targets, uploadId } = source;
  if ((targets == null) === (uploadId == null)) throw new InvalidInputError('Give the targets as `targets` (JSON rows) or as `uploadId` (a CSV sent to POST /uploads), not both.', 'targets');
  if (targets == null) return null;
  if (targets.length > MAX_JSON_TARGETS) {
    throw new InvalidInputError(
      `\`targets\` holds at most ${MAX_JSON_TARGETS.toLocaleString('en-US')} rows (got ${targets.length.toLocaleString('en-US')}): send a bigger list as a CSV to POST /uploads and pass its \`uploadId\`.`,
      'targets',
    );
  }
  if (targets.length === 0) throw new InvalidInputError('`targets` is empty: give at least one target.', 'targets');
  return targets;
}

function checkFileName(name: string | null | undefined): string | null {
  if (name == null) return null;
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > MAX_FILE_NAME_LENGTH || PATH_SEPARATOR.test(trimmed) || hasControlCharacter(trimmed)) {
    throw new InvalidInputError(`\`fileName\` is 1 to ${MAX_FILE_NAME_LENGTH} characters, without slashes or control characters.`, 'fileName');
  }
  return /\.csv$/i.test(trimmed) ? trimmed : `${trimmed}.csv`;
}

/** The input as one hash: the same key with another input is refused. */
function fingerprintOf(input: CreateBatchInput): string {
  const canonical = JSON.stringify([
    input.vendor,
    input.fileName ?? null,
    input.uploadId ?? null,
    input.targets?.map((row) => [row.phoneNumber, row.referenceId ?? null, row.variables ?? null]) ?? null,
    input.defaultCountry.toUpperCase(),
    input.skipInvalidTargets,
    canonicalOptions(input),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** A batch's settings in one order, dates as ISO text. */
function canonicalOptions(options: LaunchOptions): unknown[] {
  return Object.entries(launchOptionsOf(options)).map(([name, value]: [string, unknown]) => [name, value instanceof Date ? value.toISOString() : (value ?? null)]);
}
