// A snapshot the export cannot trust fails the export with the object that is wrong, instead of DIPEX's
// KeyError/IndexError deep inside a loop (or a silently skipped row). Messages carry uuids, never CPRs.

export type SnapshotObjectKind = 'facet' | 'class' | 'org_unit' | 'person' | 'engagement' | 'address' | 'manager';

export class SnapshotError extends Error {
  constructor(
    readonly objectKind: SnapshotObjectKind,
    readonly uuid: string,
    readonly problem: string,
  ) {
    super(`inconsistent MO data for the Plan2Learn export: ${objectKind} ${uuid} ${problem}`);
    this.name = 'SnapshotError';
  }
}
