// The unit tree under the configured root, as DIPEX's `read_ou_tree` builds it: units valid today, children
// in MO's order, visited root first, depth first (anytree's PreOrderIter).
import { SnapshotError } from './errors.js';
import type { SnapshotIndex } from './snapshotIndex.js';

/** Unit uuids in pre-order, root first. Every unit of the subtree, too-deep ones included. */
export function unitsInPreOrder(index: SnapshotIndex, rootUuid: string): string[] {
  if (!index.unitsToday.has(rootUuid)) {
    throw new SnapshotError(
      'org_unit',
      rootUuid,
      `is the configured root unit (exporters.plan2learn.root_unit) but is not an org unit valid on ${index.today}`,
    );
  }
  const order: string[] = [];
  const seen = new Set<string>();
  // An explicit stack instead of recursion: deep trees must not overflow the call stack.
  const stack = [rootUuid];
  while (stack.length > 0) {
    const uuid = stack.pop()!;
    if (seen.has(uuid)) throw new SnapshotError('org_unit', uuid, 'is its own ancestor (the parent links form a cycle)');
    seen.add(uuid);
    order.push(uuid);
    const children = index.childrenToday.get(uuid);
    if (children) for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return order;
}
