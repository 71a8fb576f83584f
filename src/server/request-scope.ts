import { AsyncLocalStorage } from 'node:async_hooks';
import { describeError } from './errors.js';
import type { Logger } from '../logger.js';
import type { RequestRecord } from './request-record.js';

/**
 * The request a piece of work belongs to, carried across awaits (AsyncLocalStorage), so that a
 * failure nobody awaited can still be told with the request it came from.
 */
const scope = new AsyncLocalStorage<RequestRecord>();

/** Runs `work` as part of `record`'s request. */
export function inRequestScope<T>(record: RequestRecord, work: () => T): T {
  return scope.run(record, work);
}

/** The request the current work belongs to, if any. */
export function currentRequest(): RequestRecord | undefined {
  return scope.getStore();
}

/**
 * A rejected promise that nobody awaited is a bug, but not a reason to drop every other request:
 * it is logged at error level with the request it came from, counted, and the process serves on.
 * Node's default for Node 20 is to end the process. Returns the function that removes the guard.
 */
export function guardUnhandledRejections(logger: Logger, count: () => void): () => void {
  const onRejection = (reason: unknown) => {
    count();
    logger.error({ reqId: currentRequest()?.id, error: describeError(reason) }, 'unhandled rejection');
  };
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}
