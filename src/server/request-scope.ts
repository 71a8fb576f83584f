import { promiseHooks } from 'node:v8';
import { describeError } from './errors.js';
import type { Logger } from '../logger.js';
import type { RequestRecord } from './request-record.js';

/**
 * The request a piece of work belongs to, so that a failure nobody awaited can still be told with
 * the request it came from. Each promise made while a request's work runs is marked with it, and
 * the mark is the current request again while that promise's reactions (`then`, the rest of an
 * `await`) run. Why not AsyncLocalStorage: on Node 20 it runs async_hooks' bookkeeping (ids, a
 * context stack, three hook calls) for every promise and timer of the process, a tenth of a
 * cache-missing read's CPU; only promises carry what a rejection needs, and marking them is a
 * field write.
 */
const REQUEST = Symbol('request');

type Marked = Promise<unknown> & { [REQUEST]?: RequestRecord };

let current: RequestRecord | undefined;
let hooked = false;

function markPromises(): void {
  hooked = true;
  promiseHooks.createHook({
    init(promise) {
      if (current !== undefined) (promise as Marked)[REQUEST] = current;
    },
    before(promise) {
      current = (promise as Marked)[REQUEST];
    },
    after() {
      current = undefined;
    },
  });
}

/** Runs `work` as part of `record`'s request. */
export function inRequestScope<T>(record: RequestRecord, work: () => T): T {
  if (!hooked) markPromises();
  const outer = current;
  current = record;
  try {
    return work();
  } finally {
    current = outer;
  }
}

/**
 * A rejected promise that nobody awaited is a bug, but not a reason to drop every other request:
 * it is logged at error level with the request it came from, counted, and the process serves on.
 * Node's default for Node 20 is to end the process. Returns the function that removes the guard.
 */
export function guardUnhandledRejections(logger: Logger, count: () => void): () => void {
  const onRejection = (reason: unknown, promise: Promise<unknown>) => {
    count();
    logger.error({ reqId: (promise as Marked)[REQUEST]?.id, error: describeError(reason) }, 'unhandled rejection');
  };
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}
