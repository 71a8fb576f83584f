import {
  BREAK,
  execute,
  getNamedType,
  getOperationAST,
  GraphQLError,
  isAbstractType,
  Kind,
  OperationTypeNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';

/**
 * A document is compiled on its tenth execution. Compiling costs about ten of its executions
 * (15 aliased batches: 4–8 ms against 0.6), so a client that sends ever new documents pays for
 * what it makes the server compile; a dashboard repeats its few documents thousands of times.
 */
export const COMPILE_AT_RUN = 10;

/** What is known of one parsed document (yoga keeps each parsed once, in its document cache). */
interface DocumentRecord {
  executions: number;
  /** Compiled operations by operation name ('' for a document's only one); null when graphql-jit cannot compile it. */
  readonly compiled: Map<string, CompiledQuery | null>;
  readonly schema: GraphQLSchema;
}

/** A document's fields by where they start (`line:column`), made when a compiled answer of it has errors. */
const fieldsByDocument = new WeakMap<DocumentNode, Map<string, FieldNode>>();

export interface CompiledExecutionOptions {
  readonly logger: Logger;
  /** The execution of a document from which it runs compiled; 0 never (GRAPHQL_COMPILE_AT_RUN). @default COMPILE_AT_RUN */
  readonly compileAtRun?: number;
}

/**
 * Documents that repeat run compiled (graphql-jit): an operation becomes one generated function,
 * with no walk of the selection and no coercion of arguments per field. Measured (issue 25, the
 * bench's documents, alternating runs): the main thread's time a request for one batch 0.29–0.31 →
 * 0.25–0.27 ms, for 15 aliased batches 0.68–0.70 → 0.57–0.59, for 100 results 1.43–1.47 → 1.03–1.07.
 *
 * Until then a document runs on graphql-js's own `execute` (rather than yoga's default executor,
 * whose extra work per field serves `@defer`/`@stream`, which this schema does not declare), as do
 * those graphql-jit would answer wrongly (`onlyObjectTypes`) or cannot compile. The compiled
 * function lives as long as its parsed document in yoga's cache (a WeakMap), so the cache's size
 * bound holds for both. Subscriptions are not compiled (yoga's `subscribe` executes their events).
 */
export function useCompiledExecution(options: CompiledExecutionOptions): Plugin {
  const compileAtRun = options.compileAtRun ?? COMPILE_AT_RUN;
  if (compileAtRun === 0) return { onExecute: ({ setExecuteFn }) => setExecuteFn(execute) };
  const records = new WeakMap<DocumentNode, DocumentRecord>();

  const compiledFor = (args: ExecutionArgs): CompiledQuery | null => {
    let record = records.get(args.document);
    if (record === undefined || record.schema !== args.schema) {
      record = { executions: 0, compiled: new Map(), schema: args.schema };
      records.set(args.document, record);
    }
    const name = args.operationName ?? '';
    const known = record.compiled.get(name);
    if (known !== undefined) return known;
    record.executions += 1;
    if (record.executions < compileAtRun) return null;
    const compiled = compile(args, options.logger);
    record.compiled.set(name, compiled);
    return compiled;
  };

  const run = (args: ExecutionArgs): ExecutionResult | Promise<ExecutionResult> => {
    const compiled = compiledFor(args);
    if (compiled === null) return execute(args);
    const result = compiled.query(args.rootValue, args.contextValue, args.variableValues);
    const answer = (done: ExecutionResult) => (done.errors?.length ? asGraphqlJsErrors(done, args.document) : done);
    return result instanceof Promise ? result.then(answer) : answer(result);
  };

  return {
    onExecute({ setExecuteFn }) {
      setExecuteFn(run);
    },
  };
}

/** The compiled operation, or null (run on graphql-js) for a subscription or what graphql-jit refuses. */
function compile(args: ExecutionArgs, logger: Logger): CompiledQuery | null {
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation || operation.operation === OperationTypeNode.SUBSCRIPTION || !onlyObjectTypes(args.schema, args.document)) return null;
  try {
    const compiled = compileQuery(args.schema, args.document, args.operationName ?? undefined);
    if (isCompiledQuery(compiled)) {
      logger.debug({ operation: operation.name?.value ?? null }, 'operation compiled');
      return compiled;
    }
    logger.warn({ operation: operation.name?.value ?? null, errors: compiled.errors?.map((error) => error.message) }, 'operation not compiled: it runs uncompiled');
  } catch (error) {
    logger.warn({ operation: operation.name?.value ?? null, error }, 'operation not compiled: it runs uncompiled');
  }
  return null;
}

/**
 * Whether every field the document selects is of an object or leaf type, and none is introspection.
 * graphql-jit answers a list whose items are separate promises wrongly when they settle out of
 * order and one fails (an item lost, or one too many; `test/compiled-execution.test.ts` keeps the
 * smallest case). The only such lists here, `nodes` and `_entities`, are of an interface or a
 * union, so a document that selects one (those, a mutation's result) runs on graphql-js. A new list
 * field whose resolver returns its items as separate promises must be of such a type, or settle
 * them itself (`Promise.all`).
 */
function onlyObjectTypes(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let only = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const type = typeInfo.getType();
        if (type === null || isAbstractType(getNamedType(type)) || (node.name.value.startsWith('__') && node.name.value !== '__typename')) {
          only = false;
          return BREAK;
        }
        return undefined;
      },
    }),
  );
  return only;
}

/**
 * The answer as graphql-js gives it: errors first, each a graphql-js GraphQLError with the field
 * nodes it is about. graphql-jit's errors carry only their locations, and an error rebuilt from
 * its nodes (masking, yoga's serialisation) would lose them.
 */
function asGraphqlJsErrors(result: ExecutionResult, document: DocumentNode): ExecutionResult {
  let fieldsAt = fieldsByDocument.get(document);
  if (!fieldsAt) fieldsByDocument.set(document, (fieldsAt = fieldsByStart(document)));
  const errors = result.errors!.map((error) => {
    const nodes = (error.locations ?? []).map((at) => fieldsAt.get(`${at.line}:${at.column}`)).filter((node) => node !== undefined);
    const original = error.originalError ?? undefined;
    return new GraphQLError(error.message, { nodes, path: error.path, originalError: original, extensions: original ? undefined : error.extensions });
  });
  return { errors, data: result.data };
}

function fieldsByStart(document: DocumentNode): Map<string, FieldNode> {
  const fields = new Map<string, FieldNode>();
  visit(document, {
    [Kind.FIELD](node: FieldNode) {
      if (node.loc) fields.set(`${node.loc.startToken.line}:${node.loc.startToken.column}`, node);
    },
  });
  return fields;
}
