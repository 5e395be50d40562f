// Keeping what lies in a unit inside the unit when the plan narrows it (a later start, an end, gone from OPUS).
// OS2MO refuses to narrow a unit while its details or children lie in the part that goes ("Cannot terminate
// unit with active roles"; its check counts every organisation function tied to the unit: engagements,
// managers, rolebindings, the unit's own addresses, …, and its children). So, in the same plan and before the
// unit's write (the `endings` phase comes before `unitEndings`), every engagement, manager role, rolebinding
// and address the unit would leave behind is ended there — whoever made it, as the unit's end ends it anyway.
// Writes the other planners already make (an engagement clipped to its unit, moved elsewhere by OPUS) are
// taken into account first, so nothing is ended twice. A child unit that would be left outside (not OPUS's, or
// still in OPUS under a parent the dump lacks) cannot be ended here: the unit is then not narrowed, and the
// child is reported.
import type { Day, MoOperation, MoTemporal, OrgUnitSlice } from '../../mo/index.js';
import { addDays } from '../../mo/time.js';
import type { ImportInput } from '../prepare.js';
import type { MoState } from '../moState.js';
import type { PlanContext } from './objects.js';
import { afterWrites, outside, spansOf, type Span } from './spans.js';
import { orderOps, type PlanOp, type PlanSubject } from './types.js';

type DetailKind = 'engagement' | 'manager' | 'roleBinding' | 'address';
interface Detail {
  kind: DetailKind;
  uuid: string;
  userKey: string;
  spans: Span[];
}

const NAMES: Record<DetailKind, string> = { engagement: 'engagement', manager: 'manager role', roleBinding: 'rolebinding', address: 'address' };

const dayText = (from: Day, to: Day | null) => (to === null ? `from ${from}` : `${from} to ${addDays(to, -1)}`);

/**
 * Adds the endings that keep every detail inside the units the plan narrows, and drops (and reports) the
 * narrowing of a unit a child unit would be left outside. `opusIds` names MO's OPUS units by uuid.
 */
export function planContainment(ctx: PlanContext, mo: MoState, opusIds: ReadonlyMap<string, string>): void {
  const opsOf = byObject(ctx.ops);
  const narrowed = [...new Set(ctx.ops.flatMap((o) => (o.op.kind === 'orgUnit' && o.op.action === 'terminate' ? [o.op.input.uuid] : [])))];
  if (narrowed.length === 0) return;
  const details = detailsByUnit(mo);
  const children = childrenByParent(mo.units);
  const dropped = new Set<string>();
  const unitSpans = (unit: MoTemporal<OrgUnitSlice>) => afterWrites(spansOf(unit.validities, (s) => s.parentUuid), dropped.has(unit.uuid) ? [] : (opsOf.get(unit.uuid) ?? []));
  const label = (uuid: string) => {
    const id = opusIds.get(uuid);
    return id !== undefined ? `unit ${id}` : `unit "${mo.units.get(uuid)?.validities.at(-1)?.name ?? '?'}" (${uuid}, not an OPUS unit)`;
  };

  // planUnits lists the narrowing writes children first, so a child left as it is blocks its parent in turn.
  for (const uuid of narrowed) {
    const unit = mo.units.get(uuid);
    if (!unit) continue;
    const cover = unitSpans(unit);
    const isNarrowing = (o: PlanOp) => o.op.kind === 'orgUnit' && o.op.action === 'terminate' && o.op.input.uuid === uuid;
    const why = ctx.ops.filter(isNarrowing).map((o) => o.reason);
    const blocking = (children.get(uuid) ?? []).flatMap((child) => outside(unitSpans(child), uuid, cover).map((part) => ({ child, part })));
    if (blocking.length > 0) {
      dropped.add(uuid);
      ctx.ops = ctx.ops.filter((o) => !isNarrowing(o));
      const listed = blocking.map(({ child, part }) => `${label(child.uuid)} ${dayText(part.from, part.to)}`).join(', ');
      ctx.issues.push({
        opusId: opusIds.get(uuid) ?? null,
        kind: 'orgUnit',
        message: `${label(uuid)} is not narrowed (${why.join('; ')}): MO still has child units under it that OPUS does not end or move there (${listed}); MO refuses to end a unit with active children`,
      });
      continue;
    }
    for (const detail of details.get(uuid) ?? []) {
      const spans = afterWrites(detail.spans, opsOf.get(detail.uuid) ?? []);
      for (const part of outside(spans, uuid, cover)) ctx.ops.push(cutOp(detail, part, uuid, label(uuid), why, opusIds));
    }
  }
}

function cutOp(detail: Detail, part: { from: Day; to: Day | null }, unit: string, unitLabel: string, why: string[], opusIds: ReadonlyMap<string, string>): PlanOp {
  // An open-ended part is the object's end; a bounded one is cut out (the object goes on elsewhere after it).
  const input = part.to === null ? { uuid: detail.uuid, to: part.from } : { uuid: detail.uuid, from: part.from, to: part.to };
  const unitOpusId = opusIds.get(unit) ?? null;
  const subject: PlanSubject =
    detail.kind === 'address'
      ? { kind: 'unit', opusId: unitOpusId, label: unitLabel }
      : { kind: 'employment', opusId: detail.userKey, label: `employment ${detail.userKey}` };
  return {
    op: { kind: detail.kind, action: 'terminate', input } as MoOperation,
    phase: 'endings',
    subject,
    reason: `${NAMES[detail.kind]}: lies in ${unitLabel} ${dayText(part.from, part.to)}, which the unit no longer covers (${why.join('; ')})`,
    needs: [],
  };
}

/** The plan's writes per object uuid, in the order they are applied. */
function byObject(ops: readonly PlanOp[]): Map<string, MoOperation[]> {
  const out = new Map<string, MoOperation[]>();
  for (const o of orderOps(ops)) {
    const uuid = uuidOf(o.op);
    if (uuid === null) continue;
    const list = out.get(uuid);
    if (list) list.push(o.op);
    else out.set(uuid, [o.op]);
  }
  return out;
}

function uuidOf(op: MoOperation): string | null {
  const { uuid } = op.input as { uuid?: unknown };
  return typeof uuid === 'string' ? uuid : null;
}

/** Every detail MO holds that lies in a unit at some time, by that unit (an object read twice counts once). */
function detailsByUnit(mo: MoState): Map<string, Detail[]> {
  const all = new Map<string, Detail>();
  const add = <S extends { from: Day | null; to: Day | null; userKey: string }>(kind: DetailKind, objects: Iterable<MoTemporal<S>>, unitOf: (s: S) => string | null) => {
    for (const o of objects) if (!all.has(o.uuid)) all.set(o.uuid, { kind, uuid: o.uuid, userKey: o.validities.at(-1)?.userKey ?? o.uuid, spans: spansOf(o.validities, unitOf) });
  };
  const contents = mo.unitContents;
  add('engagement', [...(contents?.engagements ?? []), ...[...mo.engagements.values()].flat()], (s) => s.orgUnitUuid);
  add('manager', [...(contents?.managers ?? []), ...[...mo.managers.values()].flat()], (s) => s.orgUnitUuid);
  add('roleBinding', [...(contents?.roleBindings ?? []), ...[...mo.roleBindings.values()].flat()], (s) => s.orgUnitUuid);
  add('address', [...(contents?.addresses ?? []), ...[...mo.unitAddresses.values()].flat()], (s) => s.orgUnitUuid);
  return indexByEach(all.values(), (detail) => detail.spans.map((s) => s.unit));
}

/** MO's units by every parent they have had. */
function childrenByParent(units: ReadonlyMap<string, MoTemporal<OrgUnitSlice>>): Map<string, MoTemporal<OrgUnitSlice>[]> {
  return indexByEach(units.values(), (unit) => unit.validities.map((v) => v.parentUuid));
}

/** Each item under every distinct non-null key it has. */
function indexByEach<T>(items: Iterable<T>, keysOf: (item: T) => (string | null)[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    for (const key of new Set(keysOf(item))) {
      if (key === null) continue;
      const list = out.get(key);
      if (list) list.push(item);
      else out.set(key, [item]);
    }
  }
  return out;
}

/**
 * The units whose contents a plan may have to end: OPUS's units in MO that reach outside the validity the dump
 * wants for them (a later start, an end), or that the plan ends (filtered, gone). A superset of the units
 * planUnits narrows, worked out before MO's details are read, so that they are read only for these.
 */
export function unitsToContain(input: ImportInput, units: ReadonlyMap<string, MoTemporal<OrgUnitSlice>>, opusInMo: ReadonlyMap<string, string>, endGoneUnits: boolean): string[] {
  const effective = input.dump.date;
  const wanted = new Map(input.units.units.map((u) => [u.uuid, u]));
  const blocked = new Set([...input.units.blocked].map((id) => input.uuids.unit(id)));
  const filtered = new Set([...input.units.filtered].map((id) => input.uuids.unit(id)));
  const candidates = new Set([...opusInMo.keys(), ...filtered, ...input.previousUnitIds.map((id) => input.uuids.unit(id))]);
  const out: string[] = [];
  for (const uuid of candidates) {
    const unit = units.get(uuid);
    const first = unit?.validities[0]?.from ?? null;
    const last = unit?.validities.at(-1)?.to ?? null;
    if (!unit || unit.validities.length === 0) continue;
    const want = wanted.get(uuid);
    const reachesPast = (end: Day | null) => end !== null && (last === null || last > end);
    if (want) {
      if (first === null || first < want.from || reachesPast(want.to)) out.push(uuid);
    } else if ((filtered.has(uuid) || (endGoneUnits && !blocked.has(uuid))) && reachesPast(effective)) {
      out.push(uuid);
    }
  }
  return out;
}
