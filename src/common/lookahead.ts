import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** What of a resolver's info lookahead reads. */
export type SelectionInfo = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

/**
 * The field nodes at `path` below the field being resolved (e.g. `['hops', 'sources']`), through
 * fragments, inline fragments and aliases. Lets a resolver skip work nobody asked for.
 */
export function fieldNodesAt(info: SelectionInfo, path: readonly string[]): FieldNode[] {
  let nodes: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    const next: FieldNode[] = [];
    const collect = (set: SelectionSetNode | undefined, depth: number): void => {
      if (!set || depth > 20) return;
      for (const node of set.selections) {
        if (node.kind === Kind.FIELD) {
          if (node.name.value === name) next.push(node);
        } else {
          collect(node.kind === Kind.INLINE_FRAGMENT ? node.selectionSet : info.fragments[node.name.value]?.selectionSet, depth + 1);
        }
      }
    };
    nodes.forEach((node) => collect(node.selectionSet, 0));
    nodes = next;
  }
  return [...nodes];
}

/**
 * True when the field being resolved selects the field at `path` (counting a whole list is skipped
 * when `totalCount` is not selected).
 *
 *     if (selectsField(info, ['totalCount'])) ...
 */
export function selectsField(info: SelectionInfo, path: readonly string[]): boolean {
  return fieldNodesAt(info, path).length > 0;
}

/**
 * The selection set under `path` of the field being resolved (e.g. `other` of each relation an
 * `operators` field returns), merged over every place it is selected. Undefined when not selected.
 */
export function subSelection(info: SelectionInfo, path: readonly string[]): SelectionSetNode | undefined {
  const sets = fieldNodesAt(info, path).flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  return sets.length === 0 ? undefined : { kind: Kind.SELECTION_SET, selections: sets.flatMap((set) => set.selections) };
}
