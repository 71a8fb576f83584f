import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  isListType,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { LimitSettings } from './settings.js';

/** Set on a connection field (`extensions.pageLimit`): how many items a page may hold. */
export interface PageLimit {
  readonly defaultSize: number;
  readonly maxSize: number;
}

/** Set on a field taking a list of ids (`extensions.listArgument`): the argument and its setting. */
export interface ListArgumentLimit {
  readonly argument: string;
  readonly limit: keyof Pick<LimitSettings, 'maxNodeIds' | 'maxEntityRepresentations'>;
}

/** A list whose length the schema does not bound (status counts): assumed this long. */
const UNBOUNDED_LIST_ESTIMATE = 10;
/** A change costs more than a read: it writes at a vendor and reads the batch back. */
const MUTATION_FIELD_COST = 10;

export type PlanResult = { readonly cost: number } | { readonly errors: readonly GraphQLError[] };

/**
 * Checks what an operation asks for before any of it runs, with its variables coerced: page
 * sizes (`first`/`last`) within their caps, lists of ids within theirs, and a cost within
 * `maxCost`. The cost counts every object once per item of each list it sits in (a page size
 * multiplies, as in Apollo's demand control), so `batches(first: 100) { ... results(first: 500) }`
 * is refused before it reaches a vendor.
 */
export function planOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
  limits: LimitSettings,
): PlanResult {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)) operation ??= definition;
  }
  // graphql's execute reports a missing operation itself.
  if (!operation) return { cost: 0 };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, { maxErrors: 10 });
  if ('errors' in coerced && coerced.errors) return { errors: coerced.errors.map(badVariable) };
  const variables = coerced.coerced ?? {};
  const root = operation.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : operation.operation === OperationTypeNode.SUBSCRIPTION ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return { cost: 0 };

  const errors: GraphQLError[] = [];
  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, multiplier: number, pageSize: number | null, depth: number): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += fieldCost(selection, parent, multiplier, pageSize, depth);
      } else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (!fragment) continue;
        const typeName = fragment.typeCondition?.name.value;
        const type = typeName ? schema.getType(typeName) : parent;
        // Fragments on each possible type are all counted: an upper bound.
        if (type && isCompositeType(type)) cost += costOf(fragment.selectionSet, type, multiplier, pageSize, depth);
      }
    }
    return cost;
  };
  const fieldCost = (node: FieldNode, parent: GraphQLCompositeType, multiplier: number, pageSize: number | null, depth: number): number => {
    const name = node.name.value;
    // Introspection costs no vendor call and has its own depth limit.
    if (name.startsWith('__') || !('getFields' in parent)) return 0;
    const field = parent.getFields()[name];
    if (!field) return 0;
    const type = getNamedType(field.type);
    if (!isCompositeType(type) || !node.selectionSet) return 0;
    const args = getArgumentValues(field as GraphQLField<unknown, unknown>, node, variables);
    const extensions = field.extensions as { pageLimit?: PageLimit; listArgument?: ListArgumentLimit };
    let childPageSize: number | null = null;
    if (extensions.pageLimit) childPageSize = checkPage(node, field.name, args, extensions.pageLimit, errors);
    let itemCount = 1;
    if (extensions.listArgument) {
      const list = args[extensions.listArgument.argument];
      itemCount = Array.isArray(list) ? list.length : 0;
      const limit = limits[extensions.listArgument.limit];
      if (itemCount > limit) {
        errors.push(limitError(node, `\`${name}(${extensions.listArgument.argument}:)\` takes at most ${limit} items, got ${itemCount}.`, 'LIST_TOO_LONG', { field: extensions.listArgument.argument, limit }));
      }
    } else if (isListType(getNullableType(field.type))) {
      itemCount = pageSize ?? UNBOUNDED_LIST_ESTIMATE;
    }
    const own = (depth === 0 && root === schema.getMutationType() ? MUTATION_FIELD_COST : 1) * multiplier;
    return own + costOf(node.selectionSet, type, multiplier * Math.max(1, itemCount), childPageSize, depth + 1);
  };

  const cost = costOf(operation.selectionSet, root, 1, null, 0);
  if (errors.length > 0) return { errors };
  if (cost > limits.maxCost) {
    return {
      errors: [
        limitError(operation, `This operation is estimated to cost ${cost}, more than the ${limits.maxCost} allowed (MAX_COST): ask for smaller pages (\`first\`) or fewer nested lists.`, 'COST_LIMIT_EXCEEDED', { cost, maxCost: limits.maxCost }),
      ],
    };
  }
  return { cost };
}

function checkPage(node: FieldNode, fieldName: string, args: Record<string, unknown>, limit: PageLimit, errors: GraphQLError[]): number {
  const first = args.first as number | null | undefined;
  const last = args.last as number | null | undefined;
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (typeof value === 'number' && (value < 0 || value > limit.maxSize)) {
      errors.push(limitError(node, `\`${fieldName}(${name}:)\` must be between 0 and ${limit.maxSize}, got ${value}.`, 'INVALID_INPUT', { field: name, max: limit.maxSize }));
    }
  }
  return Math.min(limit.maxSize, Math.max(0, first ?? last ?? limit.defaultSize));
}

function limitError(node: FieldNode | OperationDefinitionNode, message: string, code: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { nodes: [node], extensions: { code, ...extensions, http: { status: 400 } } });
}

function badVariable(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}
