import type { Context } from '../context.js';
import { BatchNotFoundError, InvalidInputError, UnsupportedOperationError, vendorLabel } from '../domain/errors.js';
import { parseBatchId } from '../domain/ids.js';
import type { BatchCapabilities, BatchChange, BatchRecord } from '../domain/model.js';
import { replaceBatch } from '../loaders.js';
import { requireBatchDetail } from './batch-queries.js';

/**
 * Mutations: check the id, read the batch, check what its vendor and state allow, then send
 * only the change. A change that is already in effect succeeds without a vendor write.
 */

interface Command {
  readonly operation: string;
  readonly allowed: keyof BatchCapabilities;
  /** True when the batch already is as the command would leave it. */
  readonly alreadyDone: (batch: BatchRecord) => boolean;
  readonly change: BatchChange;
  readonly refusal: string;
}

async function run(ctx: Context, id: string, command: Command): Promise<BatchRecord> {
  const before = await requireBatchDetail(ctx, id);
  const adapter = ctx.vendors.get(before.vendor);
  const refuse = () =>
    new UnsupportedOperationError(
      `${vendorLabel(before.vendor)} batch "${before.vendorBatchId}" ${command.refusal} (status ${before.status}, vendor status ${before.vendorStatus}).`,
      command.operation,
      before.vendor,
    );
  // "Already done" only means something for a vendor that can make the change at all.
  if (!adapter.changesBatches) throw refuse();
  if (command.alreadyDone(before)) return before;
  if (!adapter.capabilities(before)[command.allowed]) throw refuse();
  const updated = await adapter.updateBatch(before.vendorBatchId, command.change, ctx.deadline);
  if (!updated) throw new BatchNotFoundError(id);
  // The write answer carries no counts; a pause or an expiry does not change them, so the
  // counts read a moment ago in this request stay valid and spare a second read.
  const merged: BatchRecord = {
    ...updated,
    statusCounts: updated.statusCounts ?? before.statusCounts,
    declaredTotal: updated.declaredTotal ?? before.declaredTotal,
    agentId: updated.agentId ?? before.agentId,
  };
  replaceBatch(ctx.loaders, merged);
  return merged;
}

export async function pauseBatch(ctx: Context, id: string): Promise<BatchRecord> {
  return run(ctx, id, {
    operation: 'pauseBatch',
    allowed: 'canPause',
    alreadyDone: (batch) => batch.paused,
    change: { paused: true },
    refusal: 'cannot be paused',
  });
}

export async function resumeBatch(ctx: Context, id: string): Promise<BatchRecord> {
  return run(ctx, id, {
    operation: 'resumeBatch',
    allowed: 'canResume',
    alreadyDone: (batch) => !batch.paused && batch.status !== 'PAUSED',
    change: { paused: false },
    refusal: 'cannot be resumed',
  });
}

export async function updateBatchExpiry(ctx: Context, id: string, expiresOn: Date | null | undefined, now = new Date()): Promise<BatchRecord> {
  // A malformed id is reported before a problem with the expiry.
  parseBatchId(id);
  if (expiresOn === undefined) {
    throw new InvalidInputError('Pass `expiresOn`: an instant in the future, or null to clear the expiry.', 'expiresOn');
  }
  if (expiresOn !== null && expiresOn.getTime() <= now.getTime()) {
    throw new InvalidInputError(`\`expiresOn\` must be in the future (got ${expiresOn.toISOString()}).`, 'expiresOn');
  }
  return run(ctx, id, {
    operation: 'updateBatchExpiry',
    allowed: 'canUpdateExpiry',
    alreadyDone: (batch) => (batch.expiresOn?.date?.getTime() ?? null) === (expiresOn?.getTime() ?? null),
    change: { expiresOn },
    refusal: 'cannot have its expiry changed',
  });
}
