// What MO holds of the objects one import touches, read in bulk: whole collections where they are small
// (facets, classes, IT systems, units) and filtered by the touched keys, in chunks, where they are big
// (people, engagements, managers, addresses, IT users). Full history ('all'), so future-dated objects
// count: a check that looked only at today would recreate them.
import type {
  AddressSlice,
  EngagementSlice,
  ItUserSlice,
  ManagerSlice,
  MoClass,
  MoClient,
  MoItSystem,
  MoTemporal,
  OrgUnitSlice,
  PersonSlice,
  RoleBindingSlice,
} from '../mo/index.js';
import type { MoFacet } from '../mo/kinds/facets.js';
import { forEachLimited } from '../util/pool.js';

export interface MoState {
  facets: MoFacet[];
  /** Current classes by facet user_key. */
  classes: Map<string, MoClass[]>;
  itSystems: MoItSystem[];
  /** Every org unit of MO by uuid (the import decides which are OPUS's). */
  units: Map<string, MoTemporal<OrgUnitSlice>>;
  /** Addresses of the units asked for, by unit uuid. */
  unitAddresses: Map<string, MoTemporal<AddressSlice>[]>;
  /** The units whose addresses were read (those asked for): only they are compared (plan/units.ts). */
  unitAddressesRead: Set<string>;
  /** People asked for, by CPR. */
  persons: Map<string, MoTemporal<PersonSlice>>;
  /** Engagements and manager roles asked for, by user_key (the OPUS employment id). */
  engagements: Map<string, MoTemporal<EngagementSlice>[]>;
  managers: Map<string, MoTemporal<ManagerSlice>[]>;
  /** Rolebindings (OPUS functions) asked for, by user_key (the OPUS employment id). */
  roleBindings: Map<string, MoTemporal<RoleBindingSlice>[]>;
  /** Every engagement of the people found or of the engagements read, by person uuid (the primary engagement). */
  personEngagements: Map<string, MoTemporal<EngagementSlice>[]>;
  /** Addresses and IT users of the people found, by person uuid. */
  personAddresses: Map<string, MoTemporal<AddressSlice>[]>;
  itUsers: Map<string, MoTemporal<ItUserSlice>[]>;
  /** What lies in the units a plan may narrow (see plan/containment.ts); read apart, after the units. */
  unitContents?: UnitContents;
  /** The keys asked for so far, found or not: a wider plan reads only the others (extendMoState). */
  keysRead: { cprs: Set<string>; employmentIds: Set<string>; personUuids: Set<string>; engagedUuids: Set<string> };
}

/** Every engagement, manager role, rolebinding and address that lies in some units at any time. */
export interface UnitContents {
  /** The units asked for. */
  unitUuids: string[];
  engagements: MoTemporal<EngagementSlice>[];
  /** Every engagement of the people those engagements belong to: ending one decides their primary anew. */
  personEngagements: MoTemporal<EngagementSlice>[];
  managers: MoTemporal<ManagerSlice>[];
  roleBindings: MoTemporal<RoleBindingSlice>[];
  addresses: MoTemporal<AddressSlice>[];
}

export interface MoStateQuery {
  facets: string[];
  /** Units whose addresses to read. */
  unitUuids: string[];
  cprs: string[];
  employmentIds: string[];
}

/** Keys per filtered read: MO answers long IN-lists fine, but one huge request retries badly. */
const CHUNK = 500;
/** Requests in flight per collection: enough to keep MO's connections busy, not to flood a shared MO. */
const PARALLEL_READS = 3;

export async function readMoState(client: MoClient, query: MoStateQuery, onProgress?: (what: string) => void): Promise<MoState> {
  const step = stepper(onProgress);
  // Every read at once (addKeyed starts its own at once too): on OS2MO a delta's reads are most of its time,
  // and they do not depend on each other.
  const keyed = noKeyed();
  const [facets, classLists, itSystems, units, unitAddressList] = await Promise.all([
    step('facets', () => client.facets.read()),
    step('classes', () => Promise.all(query.facets.map((f) => client.classes.byFacet(f)))),
    step('IT systems', () => client.itSystems.read()),
    step('units', () => client.orgUnits.read({}, 'all')),
    step('unit addresses', () => readUnitAddresses(client, query.unitUuids)),
    addKeyed(client, keyed, query, step),
  ]);
  return {
    facets,
    classes: new Map(query.facets.map((f, i) => [f, classLists[i]!])),
    itSystems,
    units: new Map(units.map((u) => [u.uuid, u])),
    unitAddresses: groupByUnit(unitAddressList),
    unitAddressesRead: new Set(query.unitUuids),
    ...keyed,
  };
}

/**
 * Reads what a wider plan needs beyond what `mo` holds: people, employments and unit addresses not read yet
 * (a plan made again because units widen compares their employments too). The catalog and the units are
 * those of the first read: nothing was written in between.
 */
export async function extendMoState(client: MoClient, mo: MoState, query: Omit<MoStateQuery, 'facets'>, onProgress?: (what: string) => void): Promise<void> {
  const step = stepper(onProgress);
  const unread = query.unitUuids.filter((uuid) => !mo.unitAddressesRead.has(uuid));
  await Promise.all([unread.length > 0 ? addUnitAddresses(client, mo, unread) : undefined, addKeyed(client, mo, query, step)]);
}

/** What MO holds of the keys an import touches, and which keys were asked for (found or not). */
type Keyed = Pick<MoState, 'persons' | 'engagements' | 'managers' | 'roleBindings' | 'personEngagements' | 'personAddresses' | 'itUsers' | 'keysRead'>;

const noKeyed = (): Keyed => ({
  persons: new Map(),
  engagements: new Map(),
  managers: new Map(),
  roleBindings: new Map(),
  personEngagements: new Map(),
  personAddresses: new Map(),
  itUsers: new Map(),
  keysRead: noKeysRead(),
});

/** A state read by other means (the primary engagement's) has asked for no keys. */
export const noKeysRead = (): MoState['keysRead'] => ({ cprs: new Set(), employmentIds: new Set(), personUuids: new Set(), engagedUuids: new Set() });

type Step = <T>(what: string, read: () => Promise<T>) => Promise<T>;

const stepper =
  (onProgress?: (what: string) => void): Step =>
  (what, read) => {
    onProgress?.(what);
    return read();
  };

/**
 * Reads the people and employments of `query` that `into` has not asked for, and adds them. The reads that
 * need a person's uuid start as soon as the people and the engagements are in.
 */
async function addKeyed(client: MoClient, into: Keyed, query: Pick<MoStateQuery, 'cprs' | 'employmentIds'>, step: Step): Promise<void> {
  const read = into.keysRead;
  const cprs = unasked(query.cprs, read.cprs);
  const ids = unasked(query.employmentIds, read.employmentIds);
  const ofPeople = (async () => {
    const [personList, engagementList] = await Promise.all([
      step('people', () => inChunks(cprs, (chunk) => client.persons.byCprs(chunk, 'all'))),
      step('engagements', () => inChunks(ids, (keys) => client.engagements.read({ userKeys: keys }, 'all'))),
    ]);
    const personUuids = unasked(personList.map((p) => p.uuid), read.personUuids);
    // The primary engagement is a person's: every engagement of everybody an import may touch counts.
    const engaged = unasked([...personList.map((p) => p.uuid), ...engagementList.flatMap((e) => e.validities.map((v) => v.personUuid))], read.engagedUuids);
    const [addressList, itUserList, personEngagementList] = await Promise.all([
      step('person addresses', () => inChunks(personUuids, (uuids) => client.addresses.read({ personUuids: uuids }, 'all'))),
      step('IT users', () => inChunks(personUuids, (uuids) => client.itUsers.read({ personUuids: uuids }, 'all'))),
      step('engagements of the people', () => inChunks(engaged, (uuids) => client.engagements.read({ personUuids: uuids }, 'all'))),
    ]);
    return { personList, engagementList, addressList, itUserList, personEngagementList };
  })();
  const [managerList, roleBindingList, people] = await Promise.all([
    step('manager roles', () => inChunks(ids, (keys) => client.managers.read({ userKeys: keys }, 'all'))),
    step('rolebindings', () => inChunks(ids, (keys) => client.roleBindings.read({ userKeys: keys }, 'all'))),
    ofPeople,
  ]);
  for (const person of people.personList) {
    for (const slice of person.validities) if (slice.cprNumber) into.persons.set(slice.cprNumber, person);
  }
  addGrouped(into.engagements, people.engagementList, (e) => e.validities.map((v) => v.userKey));
  addGrouped(into.managers, managerList, (m) => m.validities.map((v) => v.userKey));
  addGrouped(into.roleBindings, roleBindingList, (r) => r.validities.map((v) => v.userKey));
  addGrouped(into.personEngagements, people.personEngagementList, (e) => e.validities.map((v) => v.personUuid));
  addGrouped(into.personAddresses, people.addressList, (a) => a.validities.map((v) => v.personUuid));
  addGrouped(into.itUsers, people.itUserList, (u) => u.validities.map((v) => v.personUuid));
}

/** The keys not asked for yet, now marked as asked. */
function unasked(keys: string[], asked: Set<string>): string[] {
  const fresh = [...new Set(keys)].filter((k) => !asked.has(k));
  for (const k of fresh) asked.add(k);
  return fresh;
}

/**
 * What lies in `unitUuids` at any time, whoever made it: OS2MO will not narrow a unit while any of it lies in
 * the part that goes. Only the units a plan may narrow are asked for, usually none or a few.
 */
export async function readUnitContents(client: MoClient, unitUuids: string[], onProgress?: (what: string) => void): Promise<UnitContents> {
  onProgress?.(`what lies in ${unitUuids.length} units that may be narrowed`);
  const [engagements, managers, roleBindings, addresses] = await Promise.all([
    inChunks(unitUuids, (uuids) => client.engagements.read({ orgUnitUuids: uuids }, 'all')),
    inChunks(unitUuids, (uuids) => client.managers.read({ orgUnitUuids: uuids }, 'all')),
    inChunks(unitUuids, (uuids) => client.roleBindings.read({ orgUnitUuids: uuids }, 'all')),
    readUnitAddresses(client, unitUuids),
  ]);
  const people = [...new Set(engagements.flatMap((e) => e.validities.map((v) => v.personUuid)))];
  const personEngagements = await inChunks(people, (uuids) => client.engagements.read({ personUuids: uuids }, 'all'));
  return { unitUuids, engagements, managers, roleBindings, addresses, personEngagements };
}

/**
 * Adds what lies in the units a plan may narrow to MO's state. The people whose engagements lie there join
 * `personEngagements` with all their engagements: an engagement the plan ends there changes their primary
 * engagement, even when the dump does not speak of them.
 */
export function addUnitContents(mo: MoState, contents: UnitContents): void {
  mo.unitContents = contents;
  addGrouped(mo.personEngagements, contents.personEngagements, (e) => e.validities.map((v) => v.personUuid));
}

/** Reads the addresses of more units into MO's state (units a plan writes whose addresses it did not compare). */
export async function addUnitAddresses(client: MoClient, mo: MoState, unitUuids: string[]): Promise<void> {
  const read = groupByUnit(await readUnitAddresses(client, unitUuids));
  for (const uuid of unitUuids) {
    mo.unitAddressesRead.add(uuid);
    const list = read.get(uuid);
    if (list) mo.unitAddresses.set(uuid, list);
  }
}

/** Every address of some units, at any time. */
const readUnitAddresses = (client: MoClient, unitUuids: string[]) => inChunks(unitUuids, (uuids) => client.addresses.read({ orgUnitUuids: uuids }, 'all'));

const groupByUnit = (addresses: MoTemporal<AddressSlice>[]) => groupBy(addresses, (a) => a.validities.map((v) => v.orgUnitUuid));

/** Reads keys in chunks, a few requests at a time (MO answers them in parallel), results in key order. */
export async function inChunks<K, T>(keys: K[], read: (chunk: K[]) => Promise<T[]>): Promise<T[]> {
  const chunks: K[][] = [];
  for (let i = 0; i < keys.length; i += CHUNK) chunks.push(keys.slice(i, i + CHUNK));
  const results: T[][] = new Array(chunks.length);
  await forEachLimited([...chunks.keys()], PARALLEL_READS, async (i) => {
    results[i] = await read(chunks[i]!);
  });
  return results.flat();
}

/** Groups objects under every key any of their slices has (a key can change over time). */
function groupBy<T extends { uuid: string }>(items: T[], keysOf: (item: T) => (string | null)[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  addGrouped(map, items, keysOf);
  return map;
}

/** Adds objects to a grouping, each once per key (an object read twice, under two keys, stays one). */
export function addGrouped<T extends { uuid: string }>(map: Map<string, T[]>, items: T[], keysOf: (item: T) => (string | null)[]): void {
  for (const item of items) {
    for (const key of new Set(keysOf(item))) {
      if (key === null) continue;
      const list = map.get(key);
      if (!list) map.set(key, [item]);
      else if (!list.some((known) => known.uuid === item.uuid)) list.push(item);
    }
  }
}
