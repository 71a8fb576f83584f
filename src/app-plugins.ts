import { getOperationAST, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Context } from './context.js';
import { OutboundGraphError } from './domain/errors.js';
import type { RequestRecord } from './ops/request-record.js';
import { AuthUnavailableError, type Authenticator } from './security/auth.js';
import { planOperation } from './security/operation-plan.js';
import type { LimitSettings } from './security/settings.js';

type WithRecord = { record: RequestRecord };

const isSingleResult = (value: unknown): value is ExecutionResult => typeof value === 'object' && value !== null && !Array.isArray(value) && !(Symbol.asyncIterator in value);

/** Errors yoga and its plugins raise without a code, by their message. */
const CODES_BY_MESSAGE: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Required CSRF header/, 'CSRF_HEADER_REQUIRED'],
  [/^Can only perform a mutation operation from a POST request/, 'METHOD_NOT_ALLOWED'],
  [/^GraphQL introspection has been disabled/, 'INTROSPECTION_DISABLED'],
];

function codeFor(error: GraphQLError): string {
  const status = (error.extensions.http)?.status;
  for (const [pattern, code] of CODES_BY_MESSAGE) if (pattern.test(error.message)) return code;
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  if (status !== undefined && status >= 500) return 'INTERNAL_SERVER_ERROR';
  return 'BAD_REQUEST';
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError, extensions: { ...error.extensions, code } });
}

/**
 * Fills the request's record for its log line and metrics (operation, vendor calls, error codes),
 * and gives every error of an answer an `extensions.code`, so clients can always branch on one.
 */
export function useRequestRecord(): Plugin<Context & WithRecord> {
  return {
    onExecute({ args }) {
      const { record, budget } = args.contextValue;
      const { document, operationName } = args as unknown as ExecutionArgs;
      const operation = getOperationAST(document, operationName);
      record.operationName = operationName ?? operation?.name?.value ?? null;
      record.operationType = operation?.operation ?? null;
      return {
        onExecuteDone() {
          record.vendorCalls = budget.spent;
        },
      };
    },
    onResultProcess(payload) {
      const { result } = payload;
      const record = (payload.serverContext as Partial<WithRecord>).record;
      if (!isSingleResult(result)) return;
      const errors = result.errors;
      if (!errors || errors.length === 0) return;
      let changed = false;
      const coded: GraphQLError[] = errors.map((error) => {
        if (!(error instanceof GraphQLError)) return error;
        const status = (error.extensions.http)?.status;
        // yoga calls a GET mutation a BAD_REQUEST; its status says more.
        if (typeof error.extensions.code === 'string' && !(status === 405 && error.extensions.code !== 'METHOD_NOT_ALLOWED')) return error;
        changed = true;
        return withCode(error, codeFor(error));
      });
      if (changed) payload.setResult({ ...result, errors: coded });
      if (record) {
        record.errorCodes = coded.map((error) => {
          const code = error.extensions.code;
          return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
        });
      }
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
        record.caller = await authenticator.authenticate(request.headers);
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

/** Refuses, before any resolver runs, an operation whose pages, id lists or cost are over the limits. */
export function useOperationPlan(limits: LimitSettings): Plugin<Context & WithRecord> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const { schema, document, operationName, variableValues } = args as unknown as ExecutionArgs;
      const plan = planOperation(schema, document, operationName, variableValues, limits);
      if ('errors' in plan) setResultAndStopExecution({ errors: plan.errors });
    },
  };
}
