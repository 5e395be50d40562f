// OS2MO 66.1.2's rules about a unit's validity, as measured against it (docs/mo-api-subset.md "Checks"):
// a period that must lie within a unit (mora/service/validation/validator.py
// is_date_range_in_org_unit_range) or a person, a unit's parent on create and move (mora/service/orgunit.py),
// what may not be active when a unit or an IT user is terminated (mora/graphapi/org_unit.py, it_user.py),
// and how MO answers an unknown uuid. Messages, keys and extra context are OS2MO's.
import { GraphQLError } from 'graphql';
import { ROOT_ORGANISATION_UUID } from './bootstrap.js';
import type { MoContext } from './context.js';
import { moError } from './errors.js';
import type { KindName } from './kinds.js';
import { existingObjects, run } from './store.js';
import { copenhagenDay, toSqlTimestamp, type Instant } from './time.js';
import { activeSliceAt, type Slice } from './timeline.js';

/** True when active slices cover [from, to) without a gap. */
export function covers(slices: readonly Slice[], from: Instant, to: Instant): boolean {
  let cursor = from;
  for (const s of [...slices].sort((a, b) => a.from - b.from)) {
    if (!s.active) continue;
    if (s.from <= cursor && s.to > cursor) cursor = s.to;
    if (cursor >= to) return true;
  }
  return cursor >= to;
}

/** OS2MO's _get_active_validity: the first start and last end of the active slices, as dates (null = open). */
export function activeBounds(slices: readonly Slice[]): { valid_from: string | null; valid_to: string | null } {
  const active = slices.filter((s) => s.active);
  const from = Math.min(...active.map((s) => s.from));
  const to = Math.max(...active.map((s) => s.to));
  return { valid_from: active.length && Number.isFinite(from) ? copenhagenDay(from) : null, valid_to: active.length && Number.isFinite(to) ? copenhagenDay(to) : null };
}

/** [from, to) must lie within the unit's validity (V_DATE_OUTSIDE_ORG_UNIT_RANGE); an unknown unit is E_ORG_UNIT_NOT_FOUND. */
export async function checkWithinUnit(ctx: MoContext, unit: string, from: Instant, to: Instant): Promise<void> {
  const slices = await ctx.activeSlices('org_unit', unit);
  if (slices.length === 0 && (await existingObjects(ctx.db, 'org_unit', [unit])).size === 0) {
    throw moError('E_ORG_UNIT_NOT_FOUND', 'Org unit not found.', 404, { org_unit_uuid: unit });
  }
  if (!(from < to) || !covers(slices, from, to)) {
    throw moError('V_DATE_OUTSIDE_ORG_UNIT_RANGE', 'Date range exceeds validity range of associated org unit.', 400, { org_unit_uuid: unit, ...activeBounds(slices) });
  }
}

/** [from, to) must lie within the person's validity (from the CPR's birth date); MO names no dates here. */
export async function checkWithinPerson(ctx: MoContext, person: string, from: Instant, to: Instant): Promise<void> {
  const slices = await ctx.activeSlices('person', person);
  if (slices.length === 0 && (await existingObjects(ctx.db, 'person', [person])).size === 0) {
    throw moError('E_USER_NOT_FOUND', 'User not found.', 404, { employee_uuid: person });
  }
  if (!covers(slices, from, to)) {
    throw moError('V_DATE_OUTSIDE_EMPL_RANGE', 'Date range exceeds validity range of associated employee.', 400, { uuid: person, valid_from: null, valid_to: null });
  }
}

/**
 * org_unit_create takes the root organisation as parent to mean top level (read back as parent_uuid null,
 * unchecked). org_unit_update does not: there it is an unknown unit (E_ORG_UNIT_NOT_FOUND), as in OS2MO.
 */
export function topLevelParent(kind: KindName, input: Record<string, unknown>): Record<string, unknown> {
  return kind === 'org_unit' && input.parent === ROOT_ORGANISATION_UUID ? { ...input, parent: null } : input;
}

/** A new unit lies within its parent (a top-level unit has no parent to check). */
export async function checkNewUnit(ctx: MoContext, parent: unknown, from: Instant, to: Instant): Promise<void> {
  if (typeof parent === 'string') await checkWithinUnit(ctx, parent, from, to);
}

/**
 * org_unit_update naming a parent (MO checks nothing else on a unit update, so a rename may reach outside
 * the parent): the update's period lies within the new parent, and the parent is neither the unit itself nor
 * below it, walking up the tree as it stands at the update's start (mora's is_candidate_parent_valid).
 */
export async function checkUnitMove(ctx: MoContext, unit: string, parent: unknown, from: Instant, to: Instant): Promise<void> {
  if (typeof parent !== 'string') return;
  await checkWithinUnit(ctx, parent, from, to);
  const seen = new Set([unit]);
  let current: string | null = parent;
  while (current !== null) {
    if (seen.has(current)) throw moError('V_ORG_UNIT_MOVE_TO_CHILD', 'Org unit cannot be moved to one of its own child units', 400, { org_unit_uuid: current });
    seen.add(current);
    const slice = activeSliceAt(await ctx.activeSlices('org_unit', current), from);
    if (!slice) throw moError('V_DATE_OUTSIDE_ORG_UNIT_RANGE', 'Date range exceeds validity range of associated org unit.', 400, { org_unit_uuid: current });
    current = typeof slice.data.parent_uuid === 'string' ? slice.data.parent_uuid : null;
  }
}

/** What OS2MO calls each kind of function in a unit (LoRa's funktionsnavn), as it names them in V_TERMINATE_UNIT_*. */
const ROLE_NAMES: Partial<Record<KindName, string>> = {
  engagement: 'Engagement',
  address: 'Adresse',
  manager: 'Leder',
  ituser: 'IT-system',
  rolebinding: 'Rollebinding',
};

/** A terminate is checked at one instant: `from` when given, else `to` (mora/graphapi/org_unit.py). */
const checkedAt = (from: Instant | null, to: Instant): Instant => from ?? to;

/**
 * org_unit_terminate: the unit must be active at the checked instant, and nothing may be active in it then —
 * no child unit, no engagement, address, manager, IT user or rolebinding. Only that instant is checked: a
 * function starting later in the period that goes is left outside the unit, as OS2MO leaves it.
 */
export async function checkUnitTerminate(ctx: MoContext, unit: string, from: Instant | null, to: Instant): Promise<void> {
  const at = checkedAt(from, to);
  await checkWithinUnit(ctx, unit, at, at + 1);
  const when = toSqlTimestamp(at);
  const [children] = await run<{ count: number }>(
    ctx.db,
    `SELECT count(DISTINCT uuid)::int AS count FROM mo_slice WHERE kind = 'org_unit' AND parent = $1 AND reg_to = 'infinity' AND active AND valid_from <= $2 AND valid_to > $2`,
    [unit, when],
  );
  const roleRows = await run<{ kind: KindName }>(
    ctx.db,
    `SELECT DISTINCT kind FROM mo_slice WHERE org_unit = $1 AND kind = ANY($3::text[]) AND reg_to = 'infinity' AND active AND valid_from <= $2 AND valid_to > $2`,
    [unit, when, Object.keys(ROLE_NAMES)],
  );
  const childCount = children?.count ?? 0;
  const roles = roleRows.map((r) => ROLE_NAMES[r.kind]!).sort().join(', ');
  if (childCount && roles) {
    throw moError('V_TERMINATE_UNIT_WITH_CHILDREN_AND_ROLES', 'Cannot terminate unit with active children and roles.', 400, { child_count: childCount, roles });
  }
  if (childCount) throw moError('V_TERMINATE_UNIT_WITH_CHILDREN', 'Cannot terminate unit with active children.', 400, { child_count: childCount });
  if (roles) throw moError('V_TERMINATE_UNIT_WITH_ROLES', 'Cannot terminate unit with active roles.', 400, { roles });
}

/** ituser_terminate: no rolebinding of the IT user may be active at the checked instant. */
export async function checkItUserTerminate(ctx: MoContext, ituser: string, from: Instant | null, to: Instant): Promise<void> {
  const rows = await run<{ uuid: string }>(
    ctx.db,
    `SELECT DISTINCT uuid::text FROM mo_slice WHERE kind = 'rolebinding' AND ituser = $1 AND reg_to = 'infinity' AND active AND valid_from <= $2 AND valid_to > $2`,
    [ituser, toSqlTimestamp(checkedAt(from, to))],
  );
  if (rows.length) {
    throw moError('V_TERMINATE_ITUSER_WITH_ROLEBINDINGS', 'Cannot terminate IT user with active rolebindings.', 400, { rolebinding_uuids: rows.map((r) => r.uuid).sort() });
  }
}

const FUNCTIONS = new Set<KindName>(['engagement', 'address', 'manager', 'ituser', 'rolebinding']);

/**
 * OS2MO's answer to an update, terminate or delete naming a uuid it does not have (or has deleted). It differs
 * by kind and action, and for manager and person updates it is not a business error at all.
 */
export function notFound(kind: KindName, action: 'update' | 'terminate' | 'delete', uuid: string): GraphQLError {
  if (kind === 'org_unit') return moError('E_ORG_UNIT_NOT_FOUND', 'Org unit not found.', 404, { org_unit_uuid: uuid });
  if (FUNCTIONS.has(kind)) {
    if (action === 'terminate') return moError('E_NOT_FOUND', 'Not found.', 404, { uuid, original: null });
    if (action === 'delete') return moError('E_NOT_FOUND', `No OrganisationFunktion with ID ${uuid} found.`, 404);
    if (kind === 'engagement') return moError('E_INVALID_INPUT', 'invalid input syntax for type uuid: "None"', 400);
    if (kind === 'manager') return new GraphQLError('list index out of range');
    return moError('E_NOT_FOUND', 'Not found.', 404, kind === 'rolebinding' ? { uuid } : {});
  }
  if (kind === 'person') return new GraphQLError('one of the hex, bytes, bytes_le, fields, or int arguments must be given');
  if (kind === 'class') return moError('E_CLASS_NOT_FOUND', 'Class not found.', 404, { uuid });
  return moError('E_NOT_FOUND', 'Not found.', 404, { uuid });
}
