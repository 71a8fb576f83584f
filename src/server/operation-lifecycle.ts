import { createSourceEventStream, execute, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { OutboundGraphError } from '../domain/errors.js';
import type { OperationWarning } from '../domain/model.js';
import type { Context } from '../schema/builder.js';
import type { OperationStore } from '../store/operation-store.js';
import { toClientError } from './errors.js';

/**
 * What happens around each operation's execution, and each event of a subscription:
 * - its store ends with it (the deadline's timer), and what the store noted goes into the answer:
 *   data a field had to leave out (partial results) as errors at its path, and data served older
 *   than usual because a vendor is failing as `extensions.warnings`;
 * - every event of a subscription is resolved with a store of its own (fresh loaders, deadline and
 *   vendor-call budget): graphql-js would resolve them all with the subscription's context, so
 *   anything read through its loaders would stay as it was at the first event.
 */
export function useOperationLifecycle(): Plugin<Context> {
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result, setResult }) {
          const { store } = args.contextValue as Context;
          store.finish();
          if (Symbol.asyncIterator in result) return;
          const noted = withNotes(result, store);
          if (noted !== result) setResult(noted);
        },
      };
    },
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribeWithEventStores as never);
    },
  };
}

/** Like graphql-js `subscribe`, but each event executes with a store of its own. */
async function subscribeWithEventStores(args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const base = args.contextValue as Context;
  return mapEvents(stream, async (payload) => {
    const store = base.store.forEvent();
    try {
      const result = await execute({ ...args, rootValue: payload, contextValue: { ...base, store } satisfies Context });
      return withNotes(result, store);
    } finally {
      store.finish();
    }
  });
}

/** The events of `source`, each mapped; leaving the mapped stream leaves the source (its slots and polls go). */
function mapEvents<T, R>(source: AsyncIterable<T>, map: (value: T) => Promise<R>): AsyncIterableIterator<R> {
  const iterator = source[Symbol.asyncIterator]();
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const next = await iterator.next();
      return next.done ? { done: true, value: undefined } : { done: false, value: await map(next.value) };
    },
    async return() {
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      if (iterator.throw) {
        const thrown = await iterator.throw(error);
        return thrown.done ? { done: true, value: undefined } : { done: false, value: await map(thrown.value) };
      }
      throw error;
    },
  };
}

/** The result with what the store noted while it was made: partial failures as errors, warnings as extensions. */
function withNotes(result: ExecutionResult, store: OperationStore): ExecutionResult {
  const { partial, warnings } = store;
  if (partial.length === 0 && warnings.length === 0) return result;
  const errors = partial.map(({ error, path }) => {
    const at = { path, nodes: undefined, message: error instanceof Error ? error.message : 'Unexpected error.' };
    return error instanceof OutboundGraphError ? toClientError(error, at) : new GraphQLError('Unexpected error.', { path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
  return {
    ...result,
    ...(errors.length > 0 ? { errors: [...(result.errors ?? []), ...errors] } : {}),
    ...(warnings.length > 0 ? { extensions: { ...result.extensions, warnings: warnings.map(toClientWarning) } } : {}),
  };
}

function toClientWarning(warning: OperationWarning) {
  if (warning.code !== 'STALE_DATA') return { code: warning.code, message: warning.message, vendor: warning.vendor };
  return {
    code: warning.code,
    message: warning.message,
    vendor: warning.vendor,
    reason: warning.reason,
    fetchedAt: new Date(warning.fetchedAt).toISOString(),
    ageSeconds: Math.max(0, Math.round((Date.now() - warning.fetchedAt) / 1000)),
  };
}
