import { getOperationAST, GraphQLError, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { withCode } from '../security/graphql-errors.js';
import type { Context } from '../schema/builder.js';
import { AuthUnavailableError, OutboundGraphError } from '../domain/errors.js';
import type { RequestRecord } from './request-record.js';
import type { Authenticator } from '../security/auth.js';
import { planOperation } from '../security/operation-plan.js';
import { withoutSchemaSuggestions } from '../security/operation-limits.js';
import type { LimitSettings } from '../security/settings.js';

type WithRecord = { record: RequestRecord };

const isSingleResult = (value: unknown): value is ExecutionResult => typeof value === 'object' && value !== null && !Array.isArray(value) && !(Symbol.asyncIterator in value);

/** yoga's CSRF plugin raises its error without a code. */
const CSRF_MESSAGE = /^Required CSRF header/;

/**
 * The code an error should carry: its own, except where yoga's is vaguer than the HTTP status
 * (a GET mutation is a BAD_REQUEST to yoga, a 405 on the wire); for uncoded ones, by what they say.
 */
function codeFor(error: GraphQLError): string {
  const status = error.extensions.http?.status;
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  if (typeof error.extensions.code === 'string') return error.extensions.code;
  if (CSRF_MESSAGE.test(error.message)) return 'CSRF_HEADER_REQUIRED';
  if (status !== undefined && status >= 500) return 'INTERNAL_SERVER_ERROR';
  return 'BAD_REQUEST';
}

/** Fills the request's record for its log line and metrics: the operation and its vendor calls. */
export function useRequestRecord(): Plugin<Context & WithRecord> {
  const name = (record: RequestRecord, args: unknown) => {
    const { document, operationName } = args as ExecutionArgs;
    const operation = getOperationAST(document, operationName);
    record.operationName = operationName ?? operation?.name?.value ?? null;
    record.operationType = operation?.operation ?? null;
  };
  return {
    onExecute({ args }) {
      const { record, store } = args.contextValue;
      name(record, args);
      return {
        onExecuteDone() {
          record.vendorCalls = store.vendorCalls;
        },
      };
    },
    onSubscribe({ args }) {
      const { record } = args.contextValue;
      name(record, args);
      return {
        // A subscription that streams is bounded by MAX_SUBSCRIPTIONS and the poll budget, not by
        // the operations in progress: its place under MAX_INFLIGHT_OPERATIONS is given back.
        onSubscribeResult({ result }) {
          if (Symbol.asyncIterator in result) record.admission?.release();
        },
      };
    },
  };
}

/**
 * Gives every error of an answer an `extensions.code` (where it has none, or a vaguer one than its
 * HTTP status) and notes the codes in the request's record. The first of `answerFinish`'s steps.
 */
export function codedErrors(result: ExecutionResult, record: RequestRecord | undefined): ExecutionResult {
  const errors = result.errors;
  if (!errors || errors.length === 0) return result;
  let changed = false;
  const coded: GraphQLError[] = errors.map((error) => {
    if (!(error instanceof GraphQLError)) return error;
    const code = codeFor(error);
    if (code === error.extensions.code) return error;
    changed = true;
    return withCode(error, code);
  });
  if (record) {
    record.errorCodes = coded.map((error) => {
      const code = error.extensions.code;
      return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
    });
  }
  return changed ? { ...result, errors: coded } : result;
}

/** What is done to every single (not streamed) answer before it is written, whichever route writes it. */
export type AnswerFinish = (result: ExecutionResult, record: RequestRecord | undefined) => ExecutionResult;

/**
 * The answer's last steps: every error coded (and the codes noted for the log line); with
 * introspection off, no schema names suggested in error messages.
 */
export function answerFinish(introspection: boolean): AnswerFinish {
  if (introspection) return codedErrors;
  return (result, record) => withoutSchemaSuggestions(codedErrors(result, record));
}

/** The answer's last steps on yoga's route (its result-processing hook). */
export function useAnswerFinish(finish: AnswerFinish): Plugin {
  return {
    onResultProcess(payload) {
      const { result } = payload;
      if (!isSingleResult(result)) return;
      const finished = finish(result, (payload.serverContext as Partial<WithRecord>).record);
      if (finished !== result) payload.setResult(finished);
    },
  };
}

/**
 * Identifies the caller before the request body is even read: a missing or invalid token is a
 * 401 (503 when the signing keys cannot be fetched), and nothing else of the request is done.
 */
export function useCallerAuthentication(authenticator: Authenticator): Plugin {
  return {
    async onRequestParse({ request, serverContext }) {
      const record = (serverContext as unknown as WithRecord).record;
      try {
        record.caller = await (record.authentication ??= authenticator.authenticate(request.headers, record.address));
      } catch (error) {
        if (!(error instanceof OutboundGraphError)) throw error;
        const status = error instanceof AuthUnavailableError ? 503 : 401;
        throw createGraphQLError(error.message, {
          extensions: { code: error.code, http: { status, headers: status === 401 ? { 'www-authenticate': 'Bearer' } : { 'retry-after': '5' } } },
        });
      }
    },
  };
}

/** Variables longer than this (as JSON) are planned every time: a target list is not worth remembering. */
const REMEMBERED_VARIABLES_MAX_CHARACTERS = 2_000;
/** Variable sets remembered per document: a dashboard's few, not every id a script walks through. */
const REMEMBERED_PLANS_PER_DOCUMENT = 100;

/** The variables as JSON; null when they nest too deep to write (the plan refuses those with a code). */
function asJson(value: unknown): string | null {
  try {
    return JSON.stringify(value);
  } catch {
    return null;
  }
}

/**
 * Refuses, before any resolver runs, an operation whose pages, id lists or cost are over the limits.
 * A plan depends only on the document, the operation and the variables, so one that passed is
 * remembered with the parsed document (yoga keeps one per operation text): a dashboard repeating
 * its query is not planned again (measured: 0.015–0.03 ms of 0.3 a cached read).
 */
export function useOperationPlan(limits: LimitSettings): Plugin<Context & WithRecord> {
  const passed = new WeakMap<DocumentNode, Set<string>>();
  const check = (args: unknown, stop: (result: ExecutionResult) => void) => {
    const { schema, document, operationName, variableValues } = args as ExecutionArgs;
    const variables = asJson(variableValues ?? null);
    const key = variables !== null && variables.length <= REMEMBERED_VARIABLES_MAX_CHARACTERS ? `${operationName ?? ''}\u0000${variables}` : null;
    const known = passed.get(document);
    if (key !== null && known?.has(key)) return;
    const plan = planOperation(schema, document, operationName, variableValues, limits);
    if ('errors' in plan) return stop({ errors: plan.errors });
    if (key === null) return;
    if (!known) passed.set(document, new Set([key]));
    else if (known.size < REMEMBERED_PLANS_PER_DOCUMENT) known.add(key);
  };
  return {
    onExecute: ({ args, setResultAndStopExecution }) => check(args, setResultAndStopExecution),
    // Subscriptions are planned too (a watch of 50 batches selecting their results is a cost).
    onSubscribe: ({ args, setResultAndStopExecution }) => check(args, setResultAndStopExecution),
  };
}
