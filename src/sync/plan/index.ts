// The plan of one dump: the catalog, units, people, engagements, manager roles, rolebindings and the primary
// engagement planned against MO's state, in write order. Pure: the same input and MO state give the same plan
// (but for new people's uuids).
import type { ImportInput } from '../prepare.js';
import type { MoState } from '../moState.js';
import { Catalog } from './catalog.js';
import { planEmployments } from './employments.js';
import type { PlanContext } from './objects.js';
import { planPersons, type PersonSeams } from './people.js';
import { planPrimary } from '../primary/plan.js';
import { planContainment } from './containment.js';
import { planRoles } from './roles.js';
import { orderOps, type Plan, type PlanOp } from './types.js';
import { planUnits } from './units.js';

export interface PlanOptions {
  endGoneUnits: boolean;
  cancelled: 'terminate' | 'delete';
  seams?: PersonSeams;
  /** `integrations.opus.eng_types_primary_order`: engagement types, most primary first. */
  primaryOrder?: readonly string[];
  /**
   * Only these writes (a one-employment re-import): the primary engagement is then planned on them alone,
   * and only the catalog writes they need are kept.
   */
  keep?: (op: PlanOp) => boolean;
}

export function planImport(input: ImportInput, mo: MoState, options: PlanOptions): Plan {
  const roots = input.units.units.filter((u) => u.parentUuid === null);
  const catalog = new Catalog(mo.facets, mo.classes, mo.itSystems, input.uuids, roots.length === 1 ? roots[0]!.uuid : null);
  const ctx: PlanContext = {
    effective: input.dump.date,
    uuids: input.uuids,
    catalog,
    ops: [],
    issues: [...input.issues],
    unchanged: {},
    creates: new Set(),
  };

  const opusInMo = opusUnitsInMo(input.uuids, mo);
  const widenedUnits = planUnits(ctx, input.units, mo, { endGoneUnits: options.endGoneUnits, previousIds: input.previousUnitIds, opusInMo });
  const opusUnits = new Set([...input.units.units.map((u) => u.uuid), ...[...input.units.filtered, ...input.previousUnitIds].map((id) => input.uuids.unit(id))]);
  const people = planPersons(ctx, input.persons, mo, options.seams);
  const isOpusUnit = (uuid: string) => opusUnits.has(uuid) || opusInMo.has(uuid);
  planEmployments(ctx, input.wishes, input.gone, mo, people.uuids, { cancelled: options.cancelled, isOpusUnit });
  const unitValidity = new Map(input.units.units.map((u) => [u.uuid, { from: u.from, to: u.to }]));
  planRoles(ctx, input.wishes, input.gone, mo, people.opusItUsers, { isOpusUnit, unitValidity });
  if (options.keep) ctx.ops = ctx.ops.filter(options.keep);
  // After `keep`: a plan restricted to one employment narrows no unit, so it ends nothing for one.
  const unitIds = new Map([...opusInMo, ...input.units.units.map((u): [string, string] => [u.uuid, u.opusId])]);
  planContainment(ctx, mo, unitIds);
  const engagedPeople = planPrimary(ctx, mo, people.uuids.values(), { order: options.primaryOrder ?? [] });

  const catalogOps = options.keep ? neededCatalog(catalog.plannedOps(), ctx.ops) : catalog.plannedOps();
  const ops = orderOps([...catalogOps, ...ctx.ops]);
  return {
    dump: input.dump.name,
    effective: input.dump.date,
    ops,
    unchanged: ctx.unchanged,
    issues: ctx.issues,
    massChange: measureMassChange(ops, input, mo, opusInMo),
    widenedUnits,
    engagedPeople,
  };
}

/** The catalog writes that `ops` need, directly or through another catalog write (a class needs its facet). */
function neededCatalog(catalogOps: PlanOp[], ops: PlanOp[]): PlanOp[] {
  const needed = new Set(ops.flatMap((o) => o.needs));
  const created = (o: PlanOp) => ('uuid' in o.op.input && typeof o.op.input.uuid === 'string' ? o.op.input.uuid : null);
  for (const o of [...catalogOps].reverse()) if (needed.has(created(o) ?? '')) for (const n of o.needs) needed.add(n);
  return catalogOps.filter((o) => needed.has(created(o) ?? ''));
}

/**
 * MO's units that are OPUS's, each with its OPUS id: a unit is OPUS's when its uuid is DIPEX's uuid of one of
 * its user_keys (the last such slice's, should several match).
 */
export function opusUnitsInMo(uuids: ImportInput['uuids'], mo: MoState): Map<string, string> {
  const out = new Map<string, string>();
  for (const [uuid, unit] of mo.units) {
    for (const slice of unit.validities) if (uuids.unit(slice.userKey) === uuid) out.set(uuid, slice.userKey);
  }
  return out;
}

function measureMassChange(ops: PlanOp[], input: ImportInput, mo: MoState, opusInMo: ReadonlyMap<string, string>) {
  const ending = (kind: string) =>
    ops.filter((o) => o.op.kind === kind && (o.op.action === 'delete' || (o.op.action === 'terminate' && !('from' in o.op.input && o.op.input.from)))).length;
  const effective = input.dump.date;
  let activeUnits = 0;
  for (const unit of mo.units.values()) {
    const active = unit.validities.some((v) => (v.from === null || v.from <= effective) && (v.to === null || effective < v.to));
    if (active && opusInMo.has(unit.uuid)) activeUnits++;
  }
  return {
    activeEngagements: input.employmentCount + input.gone.length,
    endingEngagements: ending('engagement'),
    activeUnits,
    endingUnits: ending('orgUnit'),
    // A dump in the wrong encoding renames nearly everyone and brings a class per garbled job title.
    people: new Set([...mo.persons.values()].map((p) => p.uuid)).size,
    renamedPeople: new Set(ops.flatMap((o) => (o.op.kind === 'person' && o.op.action === 'update' ? [o.op.input.uuid] : []))).size,
    newClasses: ops.filter((o) => o.op.kind === 'class' && o.op.action === 'create').length,
  };
}
