// Lookups built once per export, so every file is one linear pass (DIPEX rescanned every engagement per
// unit and every address per person: spec §7.20). Building the index also checks the snapshot: malformed or
// overlapping validities and duplicate uuids raise a SnapshotError naming the object.
import { SnapshotError, type SnapshotObjectKind } from './errors.js';
import type {
  AddressSlice,
  Day,
  EngagementSlice,
  ManagerSlice,
  MoClassRecord,
  MoSnapshot,
  OrgUnitSlice,
  PersonSlice,
  Validity,
  Versioned,
} from './snapshot.js';
import { covers, firstSliceFrom, orderedSlices, reaches, sliceAt } from './timeline.js';

/** One slice together with the uuid of the object it belongs to. */
export interface Owned<S> {
  uuid: string;
  slice: S;
}

export interface IndexedEngagement {
  uuid: string;
  /** Every slice, in time order. */
  slices: readonly EngagementSlice[];
  /** The slice valid today, else the first future one: what DIPEX's engagement row uses (`eng[0]`). */
  first: EngagementSlice;
}

export class SnapshotIndex {
  readonly facetUserKeys = new Map<string, string>();
  /** Units valid today; the tree is built from these only (spec §2). */
  readonly unitsToday = new Map<string, OrgUnitSlice>();
  /** Children valid today, in snapshot order. */
  readonly childrenToday = new Map<string, string[]>();
  /** Persons valid today, in snapshot order (DIPEX's `lc.users`). */
  readonly personsToday = new Map<string, PersonSlice>();
  /** Engagements reaching today or later, by the person of their first such slice, in snapshot order. */
  readonly engagementsByPerson = new Map<string, IndexedEngagement[]>();
  /** Every engagement slice reaching today or later, by unit (DIPEX's flattened `lc_historic.engagements`). */
  readonly futureEngagementSlicesByUnit = new Map<string, Owned<EngagementSlice>[]>();
  /** Engagement slices valid today, by person (DIPEX's `lc.engagements`). */
  readonly engagementsTodayByPerson = new Map<string, Owned<EngagementSlice>[]>();
  /** Person address slices reaching today or later, by person. */
  readonly futureAddressesByPerson = new Map<string, Owned<AddressSlice>[]>();
  /** Unit address slices valid today, by unit. */
  readonly addressesTodayByUnit = new Map<string, Owned<AddressSlice>[]>();
  /** Manager slices valid today, by unit. */
  readonly managersTodayByUnit = new Map<string, Owned<ManagerSlice>[]>();
  /** Classes valid today, in snapshot order. */
  readonly classes = new Map<string, MoClassRecord>();

  constructor(
    snapshot: MoSnapshot,
    readonly today: Day,
  ) {
    for (const facet of snapshot.facets) {
      if (this.facetUserKeys.has(facet.uuid)) throw new SnapshotError('facet', facet.uuid, 'appears twice');
      this.facetUserKeys.set(facet.uuid, facet.userKey);
    }
    for (const cls of snapshot.classes) {
      if (this.classes.has(cls.uuid)) throw new SnapshotError('class', cls.uuid, 'appears twice');
      this.classes.set(cls.uuid, cls);
    }
    eachObject('org_unit', snapshot.orgUnits, (uuid, slices) => {
      const now = sliceAt(slices, today);
      if (!now) return;
      this.unitsToday.set(uuid, now);
      if (now.parentUuid !== null) push(this.childrenToday, now.parentUuid, uuid);
    });
    eachObject('person', snapshot.persons, (uuid, slices) => {
      const now = sliceAt(slices, today);
      if (now) this.personsToday.set(uuid, now);
    });
    eachObject('engagement', snapshot.engagements, (uuid, slices) => {
      const first = firstSliceFrom(slices, today);
      if (!first) return; // ended before today
      push(this.engagementsByPerson, first.personUuid, { uuid, slices, first });
      for (const slice of slices) {
        if (!reaches(slice, today)) continue;
        push(this.futureEngagementSlicesByUnit, slice.orgUnitUuid, { uuid, slice });
        if (covers(slice, today)) push(this.engagementsTodayByPerson, slice.personUuid, { uuid, slice });
      }
    });
    eachObject('address', snapshot.addresses, (uuid, slices) => {
      for (const slice of slices) {
        if (!reaches(slice, today)) continue;
        if (slice.personUuid !== null) push(this.futureAddressesByPerson, slice.personUuid, { uuid, slice });
        else if (slice.orgUnitUuid !== null && covers(slice, today)) push(this.addressesTodayByUnit, slice.orgUnitUuid, { uuid, slice });
      }
    });
    eachObject('manager', snapshot.managers, (uuid, slices) => {
      const now = sliceAt(slices, today);
      if (now) push(this.managersTodayByUnit, now.orgUnitUuid, { uuid, slice: now });
    });
  }

  /** A class the snapshot must hold: missing, it is an error naming who refers to it. */
  classFor(classUuid: string, referrerKind: SnapshotObjectKind, referrerUuid: string, field: string): MoClassRecord {
    const cls = this.classes.get(classUuid);
    if (!cls) {
      throw new SnapshotError(referrerKind, referrerUuid, `refers to class ${classUuid} (${field}), which is not among the classes valid on ${this.today}`);
    }
    return cls;
  }
}

/** Calls `visit` with each object's checked, time-ordered slices; a uuid listed twice is an error. */
function eachObject<S extends Validity>(
  kind: SnapshotObjectKind,
  list: readonly Versioned<S>[],
  visit: (uuid: string, slices: readonly S[]) => void,
): void {
  const seen = new Set<string>();
  for (const obj of list) {
    const uuid = obj?.uuid;
    if (typeof uuid !== 'string' || uuid === '') throw new SnapshotError(kind, String(uuid), 'has no uuid');
    if (seen.has(uuid)) throw new SnapshotError(kind, uuid, 'appears twice (merge its validities into one object)');
    seen.add(uuid);
    visit(uuid, orderedSlices(kind, uuid, obj.validities));
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
