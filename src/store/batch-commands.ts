import type { SharedVendor } from '../cache/caching-adapter.js';
import { answerLost, BatchNotFoundError, InvalidInputError, UnsupportedOperationError, vendorLabel, WriteOutcomeUnknownError, type VendorError } from '../domain/errors.js';
import { batchGlobalId, type BatchKey } from '../domain/ids.js';
import type { BatchChange, BatchControl, BatchRecord, Vendor } from '../domain/model.js';
import type { ControlInput } from '../vendors/vendor-adapter.js';
import type { BatchReads } from './batch-reads.js';
import { forgetBatch, keyOf, replaceBatch } from './loaders.js';

/** What a delete leaves: the id and when the vendor deleted it. */
export interface DeletedBatch {
  readonly vendor: Vendor;
  readonly vendorBatchId: string;
  readonly deletedAt: Date;
}

export interface CommandOptions {
  /** For tests of time rules (a start 2 minutes ahead). @default Date.now */
  readonly now?: () => number;
  /** Told of every write the vendor accepted, or may have (watchers poll the batch again at once). */
  readonly onWrite?: (key: BatchKey) => void;
}

const MAX_DELETE_REASON_LENGTH = 500;

/**
 * The controls of batches, for one operation. Each goes the same way, spending nothing on what
 * must be refused: the id, whether the vendor offers the control, and the arguments (the
 * vendor's own rules asked of its adapter) are checked with no vendor call; then the batch is read
 * from the vendor (never a cached answer: a decision to write, or not, is made on the vendor's
 * state), what its state allows is checked (the adapter's capabilities), and only then is the
 * write sent, once. A control already in effect succeeds without a write. A new control is an
 * adapter method and capability, a method here, and its mutation in the schema.
 */
export class BatchCommands {
  /** Batches (global ids) written in this operation: their loader value is the vendor's answer to the write. */
  private readonly written = new Set<string>();
  private readonly now: () => number;
  private readonly onWrite: (key: BatchKey) => void;

  constructor(
    private readonly reads: BatchReads,
    options: CommandOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.onWrite = options.onWrite ?? (() => {});
  }

  pause(id: string): Promise<BatchRecord> {
    return this.change(id, { control: 'pause', operation: 'pauseBatch', refusal: 'cannot be paused', change: { paused: true }, done: (batch) => batch.paused });
  }

  resume(id: string): Promise<BatchRecord> {
    return this.change(id, {
      control: 'resume',
      operation: 'resumeBatch',
      refusal: 'cannot be resumed',
      change: { paused: false },
      done: (batch) => !batch.paused && batch.status !== 'PAUSED',
    });
  }

  /** `expiresOn` null clears the expiry; undefined (left out) is refused, so it never clears by accident. */
  updateExpiry(id: string, expiresOn: Date | null | undefined): Promise<BatchRecord> {
    return this.change(id, {
      control: 'updateExpiry',
      operation: 'updateBatchExpiry',
      refusal: 'cannot have its expiry changed',
      checkInput: () => {
        if (expiresOn === undefined) throw new InvalidInputError('Pass `expiresOn`: an instant in the future, or null to clear the expiry.', 'expiresOn');
        if (expiresOn !== null && expiresOn.getTime() <= this.now()) {
          throw new InvalidInputError(`\`expiresOn\` must be in the future (got ${expiresOn.toISOString()}).`, 'expiresOn');
        }
      },
      change: { expiresOn },
      done: (batch) => (batch.expiresOn?.date?.getTime() ?? null) === (expiresOn?.getTime() ?? null),
    });
  }

  /**
   * The pace of a batch: `callRate` calls an hour (null clears it: the campaign's hourly rate
   * applies; left out: unchanged) and/or `autoCallRate`, which needs an expiry to pace towards.
   */
  updateCallRate(id: string, callRate: number | null | undefined, autoCallRate: boolean | null | undefined): Promise<BatchRecord> {
    const change: BatchChange = { ...(callRate !== undefined ? { callRate } : {}), ...(autoCallRate != null ? { autoCallRate } : {}) };
    return this.change(id, {
      control: 'updateCallRate',
      operation: 'updateBatchCallRate',
      refusal: 'cannot have its call rate changed',
      input: { control: 'updateCallRate', callRate },
      checkInput: () => {
        if (callRate === undefined && autoCallRate == null) throw new InvalidInputError('Pass `callRate`, `autoCallRate`, or both.', 'callRate');
      },
      checkState: (batch) => {
        if (autoCallRate === true && batch.expiresOn === null) {
          throw new InvalidInputError('`autoCallRate` paces the batch to finish by its expiry, and this batch has none: set one first with `updateBatchExpiry`.', 'expiresOn');
        }
      },
      change,
      done: (batch) => (callRate === undefined || batch.callRate === callRate) && (autoCallRate == null || batch.autoCallRate === autoCallRate),
    });
  }

  /** Sets when a batch starts (Bolna, which rounds it up to its next 10 minutes): read back to show the start it keeps. */
  schedule(id: string, at: Date, bypassCallGuardrails: boolean): Promise<BatchRecord> {
    return this.control(id, {
      control: 'schedule',
      operation: 'scheduleBatch',
      refusal: 'cannot be scheduled',
      input: { control: 'schedule', at },
      apply: async (adapter, before) => {
        if (!(await adapter.write(before.vendorBatchId, this.reads.call, (vendor, call) => vendor.scheduleBatch(before.vendorBatchId, at, bypassCallGuardrails, call)))) throw new BatchNotFoundError(batchGlobalId(keyOf(before)));
        return this.readBack(before);
      },
      // Bolna keeps the start rounded up to the next 10 minutes.
      applied: (after) => {
        const kept = after?.scheduledAt?.date?.getTime();
        return kept !== undefined && kept >= at.getTime() - 1_000 && kept < at.getTime() + 10 * 60_000 ? after : null;
      },
    });
  }

  /** Stops a running batch (Bolna): its queued calls are not placed. Cannot be undone. */
  stop(id: string): Promise<BatchRecord> {
    return this.control(id, {
      control: 'stop',
      operation: 'stopBatch',
      refusal: 'cannot be stopped: Bolna stops only a batch that is queued or running',
      // Stopped: it no longer runs.
      applied: (after) => (after && after.status !== 'ACTIVE' ? after : null),
      apply: async (adapter, before) => {
        if (!(await adapter.write(before.vendorBatchId, this.reads.call, (vendor, call) => vendor.stopBatch(before.vendorBatchId, call)))) {
          // The batch was read a moment ago: a 404 here is Bolna's "Batch is not queued or running".
          throw new UnsupportedOperationError(`Bolna refused to stop batch "${before.vendorBatchId}": it is not queued or running.`, 'stopBatch', before.vendor);
        }
        return this.readBack(before);
      },
    });
  }

  /** Deletes a batch: Syllable keeps it readable with `deletedAt` set; Bolna removes it. */
  delete(id: string, reason: string): Promise<DeletedBatch> {
    const trimmed = reason.trim();
    const key = this.reads.batchKey(id);
    return this.control(id, {
      control: 'delete',
      operation: 'deleteBatch',
      refusal: 'cannot be deleted',
      checkInput: () => {
        if (trimmed === '') throw new InvalidInputError('`reason` must say why the batch is deleted (Syllable keeps it with the batch).', 'reason');
        if (trimmed.length > MAX_DELETE_REASON_LENGTH) throw new InvalidInputError(`\`reason\` is at most ${MAX_DELETE_REASON_LENGTH} characters.`, 'reason');
      },
      done: (batch) => (batch.deletedAt?.date ? { vendor: batch.vendor, vendorBatchId: batch.vendorBatchId, deletedAt: batch.deletedAt.date } : null),
      // Kept with `deletedAt` (Syllable), or gone (Bolna).
      applied: (after) =>
        after === null
          ? { vendor: key.vendor, vendorBatchId: key.batchId, deletedAt: new Date() }
          : after.deletedAt?.date
            ? { vendor: after.vendor, vendorBatchId: after.vendorBatchId, deletedAt: after.deletedAt.date }
            : null,
      apply: async (adapter, before) => {
        const receipt = await adapter.write(before.vendorBatchId, this.reads.call, (vendor, call) => vendor.deleteBatch(before.vendorBatchId, trimmed, call));
        if (!receipt) throw new BatchNotFoundError(batchGlobalId(keyOf(before)));
        forgetBatch(this.reads.loaders, keyOf(before));
        this.written.delete(batchGlobalId(keyOf(before)));
        // A batch the vendor keeps says when it was deleted: the answer matches what reads show.
        const kept = receipt.kept ? await this.readBack(before).catch(() => null) : null;
        return { vendor: before.vendor, vendorBatchId: before.vendorBatchId, deletedAt: kept?.deletedAt?.date ?? receipt.deletedAt };
      },
    });
  }

  /** A change the vendor answers with the batch (pause, resume, expiry, pace). */
  private change(id: string, command: ChangeCommand): Promise<BatchRecord> {
    return this.control(id, {
      ...command,
      done: (batch) => (command.done(batch) ? batch : null),
      apply: async (adapter, before) => {
        const updated = await adapter.write(before.vendorBatchId, this.reads.call, (vendor, call) => vendor.updateBatch(before.vendorBatchId, command.change, call));
        if (!updated) throw new BatchNotFoundError(batchGlobalId(keyOf(before)));
        // The write answer carries no counts; a pause, an expiry or a pace does not change them,
        // so the counts read a moment ago in this request stay valid and spare a second read.
        const merged: BatchRecord = {
          ...updated,
          statusCounts: updated.statusCounts ?? before.statusCounts,
          declaredTotal: updated.declaredTotal ?? before.declaredTotal,
          agentId: updated.agentId ?? before.agentId,
        };
        this.remember(merged);
        return merged;
      },
    });
  }

  /** One control of a batch, in the order described above. */
  private async control<T>(id: string, command: ControlCommand<T>): Promise<T> {
    const key = this.reads.batchKey(id);
    const adapter = this.reads.vendors.get(key.vendor);
    if (!adapter.controls.has(command.control)) throw new UnsupportedOperationError(adapter.unsupported(command.control), command.operation, key.vendor);
    command.checkInput?.();
    const problem = command.input ? adapter.controlInputProblem(command.input, this.now()) : null;
    if (problem) throw problem;
    const before = await this.currentState(key);
    const done = command.done?.(before) ?? null;
    if (done !== null) return done;
    if (!adapter.capabilities(before)[command.control]) {
      const deleted = before.deletedAt !== null ? ', deleted' : '';
      throw new UnsupportedOperationError(
        `${vendorLabel(before.vendor)} batch "${before.vendorBatchId}" ${command.refusal} (status ${before.status}, vendor status ${before.vendorStatus}${deleted}).`,
        command.operation,
        before.vendor,
      );
    }
    command.checkState?.(before);
    let result: T;
    try {
      result = await command.apply(adapter, before);
    } catch (error) {
      if (!answerLost(error)) throw error;
      this.onWrite(key);
      return this.afterLostAnswer(key, command, error);
    }
    this.onWrite(key);
    return result;
  }

  /**
   * The write was sent and its answer lost: the vendor may have applied it. It is never sent
   * again; the batch is read back, and the answer is the change if the batch shows it, else a
   * WriteOutcomeUnknownError carrying the batch as read back.
   */
  private async afterLostAnswer<T>(key: BatchKey, command: ControlCommand<T>, lost: VendorError): Promise<T> {
    let after: BatchRecord | null;
    try {
      after = await this.readFresh(key);
    } catch (error) {
      if (!(error instanceof BatchNotFoundError)) throw new WriteOutcomeUnknownError(command.operation, key.vendor, null, lost);
      after = null;
    }
    if (after) this.remember(after);
    const applied = command.applied ? command.applied(after) : after ? (command.done?.(after) ?? null) : null;
    if (applied !== null) return applied;
    throw new WriteOutcomeUnknownError(command.operation, key.vendor, after, lost);
  }

  /** After a write the vendor answers without the batch: the batch as the vendor now has it. */
  private async readBack(before: BatchRecord): Promise<BatchRecord> {
    const after = await this.readFresh(keyOf(before));
    // A single read of a Bolna batch does not name its agent; the state before the write did.
    const merged: BatchRecord = { ...after, agentId: after.agentId ?? before.agentId };
    this.remember(merged);
    return merged;
  }

  /** What a write left is what the rest of this operation reads. */
  private remember(record: BatchRecord): void {
    replaceBatch(this.reads.loaders, record);
    this.written.add(batchGlobalId(keyOf(record)));
  }

  private async currentState(key: BatchKey): Promise<BatchRecord> {
    if (this.written.has(batchGlobalId(key))) {
      const known = await this.reads.loaders.batchDetailById.load(key);
      if (known) return known;
    }
    const fresh = await this.readFresh(key);
    replaceBatch(this.reads.loaders, fresh);
    return fresh;
  }

  /** The batch as the vendor has it now, past every cache: what a write is decided on, or shows. */
  private async readFresh(key: BatchKey): Promise<BatchRecord> {
    const fresh = await this.reads.vendors.get(key.vendor).getBatch(key.batchId, { ...this.reads.call, fresh: true });
    if (!fresh) throw new BatchNotFoundError(batchGlobalId(key));
    return fresh;
  }
}

interface ControlCommand<T> {
  readonly control: BatchControl;
  /** The mutation, as errors name it. */
  readonly operation: string;
  /** How a refusal for the batch's state reads: "batch x <refusal> (status …)". */
  readonly refusal: string;
  /** Checks of the arguments alone that hold for every vendor, made before any vendor call. */
  readonly checkInput?: () => void;
  /** The arguments the vendor's own rules apply to (asked of its adapter before any vendor call). */
  readonly input?: ControlInput;
  /** Checks of the arguments against the batch (a pace needs an expiry), before the write. */
  readonly checkState?: (batch: BatchRecord) => void;
  /** The answer when the batch already is as the control would leave it; null otherwise. */
  readonly done?: (batch: BatchRecord) => T | null;
  /**
   * After a lost answer: the answer when the batch as read back (null: gone) shows the control
   * applied, else null. @default `done`
   */
  readonly applied?: (after: BatchRecord | null) => T | null;
  readonly apply: (adapter: SharedVendor, before: BatchRecord) => Promise<T>;
}

interface ChangeCommand extends Omit<ControlCommand<BatchRecord>, 'apply' | 'done'> {
  readonly change: BatchChange;
  /** True when the batch already is as the change would leave it. */
  readonly done: (batch: BatchRecord) => boolean;
}
