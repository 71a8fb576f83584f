import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The names of the fields a query selects on the value of the field being resolved, through
 * fragments and inline fragments; `null` when that cannot be told for sure (a directive such as
 * `@include` makes a selection conditional), so callers fall back to their general path.
 */
export function selectedFieldNames(info: GraphQLResolveInfo): Set<string> | null {
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
