import type { SharedVendor } from '../cache/caching-adapter.js';
import { freshRead } from '../cache/read-options.js';
import { answerLost, BatchNotFoundError, InvalidInputError, UnsupportedOperationError, VendorError, VendorRejectedInputError, vendorLabel, WriteOutcomeUnknownError } from '../domain/errors.js';
import { checkTargets, refuseList, type PreparedTarget, type TargetRow, type TargetValidation } from '../domain/targets.js';
import { Semaphore } from '../http/semaphore.js';
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

/** A target `addBatchTargets` checked and sent, but the vendor did not add. */
export interface TargetNotAdded {
  readonly row: number;
  readonly referenceId: string | null;
  readonly phoneNumber: string;
  /** `REJECTED` (the vendor refused it), `NOT_SENT` (time or budget ran out first). */
  readonly code: 'REJECTED' | 'NOT_SENT';
  readonly message: string;
}

export interface TargetsAdded {
  readonly batch: BatchRecord;
  /** Targets the batch holds now that it did not before. */
  readonly added: number;
  readonly validation: TargetValidation;
  readonly notAdded: readonly TargetNotAdded[];
}

/** A reference id `removeBatchTargets` was given but the batch kept. */
export interface TargetNotRemoved {
  readonly referenceId: string;
  /** `NOT_PENDING` (already called or under way), `KEPT` (the vendor kept it). */
  readonly code: 'NOT_PENDING' | 'KEPT';
  readonly message: string;
}

export interface TargetsRemoved {
  readonly batch: BatchRecord;
  readonly removed: number;
  readonly notRemoved: readonly TargetNotRemoved[];
}

/** Targets one `addBatchTargets` may add, one vendor call each; reference ids one `removeBatchTargets` may remove. */
export const MAX_TARGETS_PER_EDIT = 1_000;
/** Targets sent to the vendor at once while adding. */
const ADD_CONCURRENCY = 8;

export interface CommandOptions {
  /** For tests of time rules (a start 2 minutes ahead). @default Date.now */
  readonly now?: () => number;
  /** Told of every write the vendor accepted, or may have (watchers poll the batch again at once). */
  readonly onWrite?: (key: BatchKey) => void;
  /** Lets the operation make more vendor calls (one per target added). */
  readonly allowCalls?: (calls: number) => void;
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
  private readonly allowCalls: (calls: number) => void;

  constructor(
    private readonly reads: BatchReads,
    options: CommandOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.onWrite = options.onWrite ?? (() => {});
    this.allowCalls = options.allowCalls ?? (() => {});
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

  /**
   * Adds targets to a batch (Syllable: one call each, a few at once). The list is checked first
   * against itself and against the batch's own targets (their reference ids and numbers, read
   * fresh): any invalid row refuses the whole list, unless invalid rows are to be skipped. The
   * answer counts what the batch holds now that it did not; a target whose answer was lost is
   * counted if the batch, read again, has it.
   */
  addTargets(id: string, rows: readonly TargetRow[], defaultCountry: string, skipInvalid: boolean): Promise<TargetsAdded> {
    return this.control(id, {
      control: 'addTargets',
      operation: 'addBatchTargets',
      refusal: 'cannot take new targets',
      checkInput: () => {
        if (rows.length === 0) throw new InvalidInputError('`targets` is empty: give at least one target.', 'targets');
        if (rows.length > MAX_TARGETS_PER_EDIT) throw new InvalidInputError(`\`targets\` holds at most ${MAX_TARGETS_PER_EDIT} rows a call (got ${rows.length}): add them in parts.`, 'targets');
      },
      apply: async (adapter, before) => {
        const existing = await this.currentTargets(before);
        const prefix = `add-${this.now().toString(36)}`;
        const { validation, targets } = checkTargets(rows, {
          rules: adapter.targetRules,
          defaultCountry,
          takenReferenceIds: new Set(existing.keys()),
          knownNumbers: new Set([...existing.values()].map((target) => target.phoneNumber)),
          generateReferenceId: (n) => `${prefix}-${n}`,
        });
        refuseList(validation, skipInvalid, 'Nothing was sent.');
        this.allowCalls(targets.length);
        const notAdded: TargetNotAdded[] = [];
        let lost = 0;
        const slots = new Semaphore(ADD_CONCURRENCY);
        const send = async (target: PreparedTarget) => {
          try {
            await slots.run(() => adapter.write(before.vendorBatchId, this.reads.call, (vendor, call) => vendor.addTarget(before.vendorBatchId, target, validation.variableNames, call)), this.reads.call.signal);
          } catch (error) {
            if (answerLost(error)) lost += 1;
            else notAdded.push(notAddedFor(target, error));
          }
        };
        await Promise.all(targets.map(send));
        // Counted on the batch itself when an answer was lost: it has the target, or it does not.
        const after = lost > 0 ? await this.currentTargets(before) : null;
        const refused = new Set(notAdded.map((failure) => failure.row));
        const added = after ? targets.filter((target) => after.has(target.referenceId ?? '')).length : targets.length - refused.size;
        if (after) {
          for (const target of targets) {
            if (!refused.has(target.row) && !after.has(target.referenceId ?? '')) notAdded.push({ ...notAddedFor(target, null), message: 'Its answer was lost and the batch, read again, does not have it: add it again.' });
          }
        }
        notAdded.sort((a, b) => a.row - b.row);
        return { batch: await this.readBack(before), added, validation, notAdded };
      },
    });
  }

  /** Removes targets still waiting (Syllable), by reference id. An id the batch does not have refuses the whole call. */
  removeTargets(id: string, referenceIds: readonly string[]): Promise<TargetsRemoved> {
    const wanted = [...new Set(referenceIds)];
    return this.control(id, {
      control: 'removeTargets',
      operation: 'removeBatchTargets',
      refusal: 'has no targets that can be removed',
      checkInput: () => {
        if (wanted.length === 0) throw new InvalidInputError('`referenceIds` is empty: give the reference ids of the targets to remove.', 'referenceIds');
        if (wanted.length > MAX_TARGETS_PER_EDIT) throw new InvalidInputError(`\`referenceIds\` holds at most ${MAX_TARGETS_PER_EDIT} ids a call (got ${wanted.length}).`, 'referenceIds');
      },
      apply: async (adapter, before) => {
        const existing = await this.currentTargets(before);
        const unknown = wanted.filter((referenceId) => !existing.has(referenceId));
        if (unknown.length > 0) {
          throw new InvalidInputError(`The batch has no target with reference id ${unknown.slice(0, 5).map((r) => `"${r.slice(0, 60)}"`).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}: nothing was removed.`, 'referenceIds');
        }
        const notRemoved: TargetNotRemoved[] = [];
        const pending = wanted.filter((referenceId) => {
          const target = existing.get(referenceId)!;
          if (target.pending) return true;
          notRemoved.push({ referenceId, code: 'NOT_PENDING', message: `Target "${referenceId}" is no longer waiting (status ${target.vendorStatus}): only waiting targets can be removed.` });
          return false;
        });
        let removed = 0;
        if (pending.length > 0) {
          const found = await adapter.write(before.vendorBatchId, this.reads.call, (vendor, call) => vendor.removeTargets(before.vendorBatchId, pending, call));
          if (!found) throw new BatchNotFoundError(batchGlobalId(keyOf(before)));
          const after = await this.currentTargets(before);
          for (const referenceId of pending) {
            if (after.has(referenceId)) notRemoved.push({ referenceId, code: 'KEPT', message: `${vendorLabel(before.vendor)} kept target "${referenceId}" (status ${after.get(referenceId)!.vendorStatus}).` });
            else removed += 1;
          }
        }
        return { batch: await this.readBack(before), removed, notRemoved };
      },
    });
  }

  /** The batch's targets as the vendor has them now, by reference id. */
  private async currentTargets(batch: BatchRecord): Promise<Map<string, { phoneNumber: string; pending: boolean; vendorStatus: string }>> {
    const results = await this.reads.vendors.get(batch.vendor).listResults(batch.vendorBatchId, {}, freshRead(this.reads.call));
    if (!results) throw new BatchNotFoundError(batchGlobalId(keyOf(batch)));
    return new Map(results.rows.map((row) => [row.referenceId, { phoneNumber: row.target ?? '', pending: row.status === 'PENDING', vendorStatus: row.vendorStatus }]));
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
    const fresh = await this.reads.vendors.get(key.vendor).getBatch(key.batchId, freshRead(this.reads.call));
    if (!fresh) throw new BatchNotFoundError(batchGlobalId(key));
    return fresh;
  }
}

function notAddedFor(target: PreparedTarget, error: unknown): TargetNotAdded {
  // Refused when the vendor answered; otherwise it never reached the vendor (time, budget or connection ran out).
  const answered = error instanceof VendorRejectedInputError || (error instanceof VendorError && error.statusCode !== null);
  return {
    row: target.row,
    referenceId: target.referenceId,
    phoneNumber: target.phoneNumber,
    code: answered ? 'REJECTED' : 'NOT_SENT',
    message: error instanceof Error ? error.message : 'Not added.',
  };
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
