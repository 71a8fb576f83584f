import { getArgumentValues, getNamedType, isObjectType, Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * What a field node selects depends on its document alone (its fragments are that document's), and
 * yoga keeps a parsed document for each operation text: so it is worked out once per node, not for
 * every request and alias (a query that repeats is the common case).
 */
const namesByNode = new WeakMap<FieldNode, ReadonlySet<string> | null>();
const fieldsByNode = new WeakMap<FieldNode, Map<string, FieldNode | null>>();

/**
 * The names of the fields a query selects on the value of the field being resolved, through
 * fragments and inline fragments; `null` when that cannot be told for sure (a directive such as
 * `@include` makes a selection conditional), so callers fall back to their general path.
 */
export function selectedFieldNames(info: GraphQLResolveInfo): ReadonlySet<string> | null {
  const node = onlyNode(info);
  if (node === null) return namesSelected(info);
  let names = namesByNode.get(node);
  if (names === undefined) namesByNode.set(node, (names = namesSelected(info)));
  return names;
}

/** The field's one node; null when the query selects the field more than once under its name (each node is then read). */
function onlyNode(info: GraphQLResolveInfo): FieldNode | null {
  return info.fieldNodes.length === 1 ? info.fieldNodes[0]! : null;
}

function namesSelected(info: GraphQLResolveInfo): Set<string> | null {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>): boolean => {
    for (const selection of set?.selections ?? []) {
      if (selection.directives?.length) return false;
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!visit(selection.selectionSet, seen)) return false;
      } else {
        const name = selection.name.value;
        const fragment = info.fragments[name];
        if (!fragment || seen.has(name)) return false;
        if (!visit(fragment.selectionSet, new Set([...seen, name]))) return false;
      }
    }
    return true;
  };
  for (const node of info.fieldNodes) if (!visit(node.selectionSet, new Set())) return null;
  return names;
}

/** The arguments of the first `name` field selected on the value being resolved, coerced; null when there is none. */
export function firstFieldArguments(info: GraphQLResolveInfo, name: string): Record<string, unknown> | null {
  const type = getNamedType(info.returnType);
  const field = isObjectType(type) ? type.getFields()[name] : undefined;
  if (!field) return null;
  const found = firstFieldNode(info, name);
  return found ? getArgumentValues(field, found, info.variableValues) : null;
}

function firstFieldNode(info: GraphQLResolveInfo, name: string): FieldNode | null {
  const node = onlyNode(info);
  if (node === null) return findFieldNode(info, name);
  let byName = fieldsByNode.get(node);
  if (!byName) fieldsByNode.set(node, (byName = new Map<string, FieldNode | null>()));
  let found = byName.get(name);
  if (found === undefined) byName.set(name, (found = findFieldNode(info, name)));
  return found;
}

function findFieldNode(info: GraphQLResolveInfo, name: string): FieldNode | null {
  const find = (set: SelectionSetNode | undefined, seen: Set<string>): FieldNode | null => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === name) return selection;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const found = find(selection.selectionSet, seen);
        if (found) return found;
      } else if (!seen.has(selection.name.value)) {
        const found = find(info.fragments[selection.name.value]?.selectionSet, new Set([...seen, selection.name.value]));
        if (found) return found;
      }
    }
    return null;
  };
  for (const node of info.fieldNodes) {
    const found = find(node.selectionSet, new Set());
    if (found) return found;
  }
  return null;
}
