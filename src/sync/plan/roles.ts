// OPUS `function` elements → MO rolebindings (spec §3.6; MO v30 has no "role" object): role class
// "artText - roleText" (or artText) in facet `role`, bound to the person's "Opus" IT user, in the
// employment's unit, valid from the function's startDate to its endDate (within the unit). user_key = the
// employment id. A function is known by its employment, role and rank among same-named functions of the
// employment; a changed one follows OPUS (unit and IT user from the dump date), a vanished one ends.
import { opusEndToMoTo, type Day, type MoTemporal, type RoleBindingSlice } from '../../mo/index.js';
import type { DesiredEmployment, EmploymentWish } from '../desired/types.js';
import { withinUnit } from '../desired/units.js';
import { roleClass } from '../mapping/classes.js';
import type { MoState } from '../moState.js';
import { countUnchanged, needsOf, periodsOf, type PlanContext } from './objects.js';
import { planTimeline, type Wanted } from './timeline.js';
import type { PlanSubject } from './types.js';

export interface RolePlanOptions {
  /** True for the uuid of a unit that is OPUS's: a rolebinding elsewhere with the employment's user_key is not ours. */
  isOpusUnit: (uuid: string) => boolean;
  /** Validity of each unit the dump imports, by uuid. */
  unitValidity: ReadonlyMap<string, { from: Day; to: Day | null }>;
}

type RoleValues = { itUserUuid: string; orgUnitUuid: string | null; roleUuid: string };
const equal = (a: RoleValues, b: RoleValues) => a.itUserUuid === b.itUserUuid && a.orgUnitUuid === b.orgUnitUuid && a.roleUuid === b.roleUuid;
const describe = (a: RoleValues, b: RoleValues) => (a.orgUnitUuid !== b.orgUnitUuid ? 'moved to another unit' : a.itUserUuid !== b.itUserUuid ? 'Opus IT user changed' : 'role changed');

/** Rolebindings of every employment the plan speaks of; `opusItUsers` = the person's Opus IT user by CPR. */
export function planRoles(ctx: PlanContext, wishes: Iterable<EmploymentWish>, gone: Iterable<string>, mo: MoState, opusItUsers: ReadonlyMap<string, string>, options: RolePlanOptions): void {
  for (const wish of wishes) {
    if (wish.kind === 'employment') planEmploymentRoles(ctx, wish.employment, opusItUsers.get(wish.employment.cpr) ?? null, mo, options);
    else if (wish.kind === 'ended') syncRoles(ctx, wish.opusId, new Map(), mo, options, wish.why);
  }
  for (const id of gone) syncRoles(ctx, id, new Map(), mo, options, 'gone from the dump');
}

function planEmploymentRoles(ctx: PlanContext, e: DesiredEmployment, itUserUuid: string | null, mo: MoState, options: RolePlanOptions): void {
  const subject: PlanSubject = { kind: 'employment', opusId: e.opusId, label: `employment ${e.opusId}` };
  const wanted = new Map<string, { name: string; wanted: Wanted<RoleValues>; needs: string[] }>();
  if (e.functions.length > 0 && itUserUuid === null) {
    ctx.issues.push({ opusId: e.opusId, kind: 'employment', message: `employment ${e.opusId} has ${e.functions.length} function(s), but its person has no Opus user name (userId) to bind roles to; the roles are not imported` });
  }
  const seen = new Map<string, number>();
  const unit = options.unitValidity.get(e.unitUuid);
  const ordered = [...e.functions].sort((a, b) => (a.startDate ?? '').localeCompare(b.startDate ?? ''));
  for (const fn of itUserUuid === null ? [] : ordered) {
    if (fn.artText === null) {
      ctx.issues.push({ opusId: e.opusId, kind: 'employment', message: `employment ${e.opusId}: a function without artText is not imported`, source: e.source });
      continue;
    }
    const ref = roleClass(fn.artText, fn.roleText);
    const n = (seen.get(ref.name) ?? 0) + 1;
    seen.set(ref.name, n);
    const { from, to } = withinUnit(fn.startDate ?? e.from, opusEndToMoTo(fn.endDate), unit);
    if (to !== null && to <= from) continue; // ends before it starts, or outside its unit
    const role = ctx.catalog.resolve(ref).uuid;
    const uuid = ctx.uuids.of('rolebinding', `${e.opusId}/${ref.name}#${n}`);
    wanted.set(uuid, { name: ref.name, wanted: { from, to, values: { itUserUuid: itUserUuid!, orgUnitUuid: e.unitUuid, roleUuid: role } }, needs: needsOf(ctx, itUserUuid, role, e.unitUuid) });
  }
  syncRoles(ctx, e.opusId, wanted, mo, options, 'no longer a function of the employment in OPUS', subject);
}

/**
 * Makes MO's rolebindings of an employment the `wanted` ones: each follows its wanted timeline; the ones MO
 * has that are not wanted (all of them, for an ended employment) end at the dump date.
 */
function syncRoles(
  ctx: PlanContext,
  id: string,
  wanted: ReadonlyMap<string, { name: string; wanted: Wanted<RoleValues>; needs: string[] }>,
  mo: MoState,
  options: RolePlanOptions,
  why: string,
  subject: PlanSubject = { kind: 'employment', opusId: id, label: `employment ${id}` },
): void {
  const ours = (mo.roleBindings.get(id) ?? []).filter((r) => wanted.has(r.uuid) || r.validities.some((v) => v.orgUnitUuid !== null && options.isOpusUnit(v.orgUnitUuid)));
  // MO's rolebinding of a wanted function: the one with its uuid, else one of the same role (OS2MO gives a new
  // rolebinding a uuid of its own), oldest first.
  const byUuid = new Map<string, MoTemporal<RoleBindingSlice>>();
  const spare = ours.filter((r) => !wanted.has(r.uuid)).sort((a, b) => (a.validities[0]?.from ?? '').localeCompare(b.validities[0]?.from ?? ''));
  for (const [uuid, want] of wanted) {
    const own = ours.find((r) => r.uuid === uuid);
    const same = own ? undefined : spare.findIndex((r) => r.validities.at(-1)?.roleUuid === want.wanted.values.roleUuid);
    if (own) byUuid.set(uuid, own);
    else if (same !== undefined && same >= 0) byUuid.set(uuid, spare.splice(same, 1)[0]!);
  }
  for (const r of spare) byUuid.set(r.uuid, r);
  for (const key of new Set([...wanted.keys(), ...byUuid.keys()])) {
    const existing = byUuid.get(key);
    const uuid = existing?.uuid ?? key;
    const want = wanted.get(key) ?? null;
    const periods = periodsOf(existing, (s): RoleValues => ({ itUserUuid: s.itUserUuid, orgUnitUuid: s.orgUnitUuid, roleUuid: s.roleUuid }), equal);
    const writes = planTimeline(periods, want?.wanted ?? null, { effective: ctx.effective, anchored: true, equal, describe });
    if (writes.length === 0 && want) countUnchanged(ctx, 'roleBinding');
    const roleName = want?.name ?? 'role';
    for (const w of writes) {
      const base = { subject, needs: want?.needs ?? [], reason: `${roleName}: ${want ? w.reason : why}` };
      if (w.action !== 'terminate' && want) {
        const v = want.wanted.values;
        ctx.ops.push({
          ...base,
          phase: 'details',
          op:
            w.action === 'create'
              ? { kind: 'roleBinding', action: 'create', input: { uuid, userKey: id, ...v, from: w.from, to: w.to } }
              : { kind: 'roleBinding', action: 'update', input: { uuid, userKey: id, ...v, from: w.from, to: w.to } },
        });
      } else if (w.action === 'terminate') {
        ctx.ops.push({ ...base, phase: w.from ? 'details' : 'endings', op: { kind: 'roleBinding', action: 'terminate', input: { uuid, to: w.to, ...(w.from ? { from: w.from } : {}) } } });
      }
    }
  }
}
