// The whole state of an MO, read with plain GraphQL (not moflow's client), for comparing two MOs: every
// validity slice of every facet, class, IT system, unit, person, engagement, address, manager, IT user and
// rolebinding, with every field both MOs answer. Uuids that differ between two MOs by nature are replaced by
// natural keys before comparing: the root organisation; facets and IT systems by user_key; classes by facet
// and a matching across the two MOs (see `compareFullStates`); people by CPR number; a person's IT users
// by person, IT system and user name. Objects whose own uuid is random in both (a person's addresses and IT
// users get uuids derived from the person's, OS2MO ignores a given rolebinding uuid) are compared by
// content; every other uuid (units, engagements, managers, unit addresses: moflow derives them from OPUS
// ids) is compared as it is.
import type { MoUnderTest } from './moTargets.js';

/** One object as read: its uuid and its slices (sorted by start), fields as MO answers them. */
export interface RawObject {
  uuid: string;
  validities: Record<string, unknown>[];
}

export type StateKind = 'facet' | 'class' | 'itSystem' | 'orgUnit' | 'person' | 'engagement' | 'address' | 'manager' | 'itUser' | 'roleBinding';

export interface FullState {
  rootUuid: string;
  objects: Record<StateKind, RawObject[]>;
}

const READS: Record<StateKind, [collection: string, fields: string]> = {
  facet: ['facets', 'user_key published'],
  class: ['classes', 'user_key name scope published example description facet_uuid owner it_system_uuid parent_uuid'],
  itSystem: ['itsystems', 'user_key name system_type'],
  orgUnit: ['org_units', 'user_key name parent_uuid unit_type_uuid org_unit_level_uuid org_unit_hierarchy time_planning_uuid'],
  person: ['persons', 'user_key given_name surname nickname_given_name nickname_surname cpr_number seniority'],
  engagement: [
    'engagements',
    `user_key employee_uuid org_unit_uuid job_function_uuid engagement_type_uuid primary_uuid is_primary fraction leave_uuid ${Array.from({ length: 10 }, (_, i) => `extension_${i + 1}`).join(' ')}`,
  ],
  address: ['addresses', 'user_key value value2 address_type_uuid visibility_uuid employee_uuid org_unit_uuid engagement_uuid ituser_response { uuid }'],
  manager: ['managers', 'user_key employee_uuid org_unit_uuid manager_type_uuid manager_level_uuid responsibility_uuids engagement_response { uuid }'],
  itUser: ['itusers', 'user_key itsystem_uuid employee_uuid org_unit_uuid external_id binding_type engagement_uuids primary_response { uuid }'],
  roleBinding: ['rolebindings', 'user_key ituser_response { uuid } org_unit_response { uuid } role_response { uuid }'],
};

export const STATE_KINDS = Object.keys(READS) as StateKind[];

async function readAll(mo: MoUnderTest, collection: string, fields: string): Promise<RawObject[]> {
  const query = `query FullState($cursor: Cursor) {
    ${collection}(filter: { from_date: null, to_date: null }, cursor: $cursor, limit: 500) {
      objects { uuid validities(start: null, end: null) { ${fields} validity { from to } } }
      page_info { next_cursor }
    }
  }`;
  const out: RawObject[] = [];
  let cursor: string | null = null;
  do {
    const data: Record<string, { objects: RawObject[]; page_info: { next_cursor: string | null } }> = await mo.ok(query, { cursor });
    const page = data[collection]!;
    out.push(...page.objects);
    cursor = page.page_info.next_cursor;
  } while (cursor !== null);
  const start = (v: Record<string, unknown>) => String((v.validity as { from: string | null }).from ?? '');
  for (const o of out) o.validities.sort((a, b) => start(a).localeCompare(start(b)));
  return out;
}

export async function readFullState(mo: MoUnderTest): Promise<FullState> {
  const root = await mo.ok<{ org: { uuid: string } }>('{ org { uuid } }');
  const objects = {} as Record<StateKind, RawObject[]>;
  // One collection at a time: OS2MO answers each with several queries of its own.
  for (const kind of STATE_KINDS) objects[kind] = await readAll(mo, ...READS[kind]);
  return { rootUuid: root.org.uuid, objects };
}

const last = (o: RawObject) => o.validities.at(-1) ?? {};
const str = (value: unknown) => (value === null || value === undefined ? '' : String(value));
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A class's facet user_key, given the facets of its MO. */
function facetKeyOf(state: FullState, facetUuid: unknown): string {
  const facet = state.objects.facet.find((f) => f.uuid === facetUuid);
  return facet ? str(last(facet).user_key) : `?${str(facetUuid)}`;
}

/**
 * Class keys across two MOs: a class of B is the class of A in the same facet with its user_key, else with
 * its name (ignoring case; how OS2MO installations and DIPEX recognise a class). Matched pairs get A's
 * `facet/user_key`; a class of B matching none, or more than one, keeps its own (and so shows as a
 * difference). Returns the key of every class uuid of each MO.
 */
export function matchClasses(a: FullState, b: FullState): { a: Map<string, string>; b: Map<string, string>; ambiguous: string[] } {
  const keyed = (state: FullState) =>
    state.objects.class.map((c) => ({ uuid: c.uuid, facet: facetKeyOf(state, last(c).facet_uuid), userKey: str(last(c).user_key), name: str(last(c).name) }));
  const [ca, cb] = [keyed(a), keyed(b)];
  const keysA = new Map(ca.map((c) => [c.uuid, `${c.facet}/${c.userKey}`]));
  const keysB = new Map<string, string>();
  const ambiguous: string[] = [];
  for (const c of cb) {
    const sameFacet = ca.filter((x) => x.facet === c.facet);
    const byKey = sameFacet.filter((x) => x.userKey.toLowerCase() === c.userKey.toLowerCase());
    const candidates = byKey.length > 0 ? byKey : sameFacet.filter((x) => x.name.toLowerCase() === c.name.toLowerCase());
    if (candidates.length > 1) ambiguous.push(`${c.facet}/${c.userKey} matches ${candidates.map((x) => x.userKey).join(', ')}`);
    keysB.set(c.uuid, candidates.length === 1 ? keysA.get(candidates[0]!.uuid)! : `${c.facet}/${c.userKey}`);
  }
  return { a: keysA, b: keysB, ambiguous };
}

/** Every object of the state as one comparable line per kind (sorted), uuids replaced by natural keys. */
export function stateLines(state: FullState, classKeys: ReadonlyMap<string, string>): Record<StateKind, string[]> {
  const lines = objectLines(state, classKeys);
  return Object.fromEntries(STATE_KINDS.map((kind) => [kind, lines[kind].map((o) => o.line).sort()])) as Record<StateKind, string[]>;
}

/** Each object's comparable line, by kind, in the order read. */
export function objectLines(state: FullState, classKeys: ReadonlyMap<string, string>): Record<StateKind, { uuid: string; line: string }[]> {
  const keys = new Map<string, string>([[state.rootUuid, 'organisation']]);
  for (const f of state.objects.facet) keys.set(f.uuid, `facet:${str(last(f).user_key)}`);
  for (const [uuid, key] of classKeys) keys.set(uuid, `class:${key}`);
  for (const s of state.objects.itSystem) keys.set(s.uuid, `itsystem:${str(last(s).user_key)}`);
  for (const p of state.objects.person) keys.set(p.uuid, `person:${str(last(p).cpr_number)}`);
  const personal = (o: RawObject) => o.validities.some((v) => v.employee_uuid !== null && v.employee_uuid !== undefined);
  for (const u of state.objects.itUser) {
    if (!personal(u)) continue;
    const v = last(u);
    keys.set(u.uuid, `ituser:${keys.get(str(v.employee_uuid)) ?? str(v.employee_uuid)}/${keys.get(str(v.itsystem_uuid)) ?? str(v.itsystem_uuid)}/${str(v.user_key)}`);
  }
  const line = (own: string, o: RawObject) => `${own} ${JSON.stringify(o.validities)}`.replace(UUID, (uuid) => keys.get(uuid) ?? uuid);
  const ownKey = (kind: StateKind, o: RawObject): string => {
    if (kind === 'class' || kind === 'facet' || kind === 'itSystem' || kind === 'person') return keys.get(o.uuid)!;
    if (kind === 'roleBinding' || ((kind === 'address' || kind === 'itUser') && personal(o))) return '-';
    return o.uuid;
  };
  const out = {} as Record<StateKind, { uuid: string; line: string }[]>;
  for (const kind of STATE_KINDS) out[kind] = state.objects[kind].map((o) => ({ uuid: o.uuid, line: line(ownKey(kind, o), o) }));
  return out;
}

export interface StateDifference {
  kind: StateKind;
  onlyInA: string[];
  onlyInB: string[];
}

/** Lines of each kind found in one MO and not the other (as multisets: a duplicate is a difference). */
export function diffLines(a: Record<StateKind, string[]>, b: Record<StateKind, string[]>, kinds: readonly StateKind[] = STATE_KINDS): StateDifference[] {
  const out: StateDifference[] = [];
  for (const kind of kinds) {
    const count = new Map<string, number>();
    for (const l of a[kind]) count.set(l, (count.get(l) ?? 0) + 1);
    const onlyInB: string[] = [];
    for (const l of b[kind]) {
      const n = count.get(l) ?? 0;
      if (n > 0) count.set(l, n - 1);
      else onlyInB.push(l);
    }
    const onlyInA = [...count].flatMap(([l, n]) => Array<string>(n).fill(l));
    if (onlyInA.length + onlyInB.length > 0) out.push({ kind, onlyInA, onlyInB });
  }
  return out;
}

/** A readable summary of differences (the first few lines of each kind), for assertion messages. */
export function describeDifferences(diffs: readonly StateDifference[], names: [string, string], lines = 4): string {
  return diffs
    .map(
      (d) =>
        `${d.kind}: ${d.onlyInA.length} only in ${names[0]}, ${d.onlyInB.length} only in ${names[1]}\n` +
        d.onlyInA.slice(0, lines).map((l) => `  ${names[0]}: ${l.slice(0, 600)}`).join('\n') +
        '\n' +
        d.onlyInB.slice(0, lines).map((l) => `  ${names[1]}: ${l.slice(0, 600)}`).join('\n'),
    )
    .join('\n');
}
