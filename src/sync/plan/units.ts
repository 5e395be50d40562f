// Units (spec §3.3, with moflow's decisions): created from startDate, changed from the dump date, ended at
// their OPUS end date; units of a filtered subtree and units gone from OPUS are ended at the dump date
// (DIPEX ignores both). Only OPUS's units are touched: those whose uuid is DIPEX's uuid of an OPUS id.
// Every write that narrows a unit (a later start, an end) comes last and children first: OS2MO refuses to
// narrow a unit while children or details lie in the part that goes, and containment.ts ends those first.
import type { Day, MoTemporal, OrgUnitSlice } from '../../mo/index.js';
import type { DesiredUnit } from '../desired/types.js';
import type { UnitsWanted } from '../desired/units.js';
import { planAddresses } from './addresses.js';
import { countUnchanged, needsOf, periodsOf, type PlanContext } from './objects.js';
import { planTimeline } from './timeline.js';
import type { MoState } from '../moState.js';
import type { PlanOp, PlanSubject } from './types.js';

type UnitValues = { name: string; userKey: string; parentUuid: string | null; unitTypeUuid: string | null };
const equal = (a: UnitValues, b: UnitValues) =>
  a.name === b.name && a.userKey === b.userKey && a.parentUuid === b.parentUuid && a.unitTypeUuid === b.unitTypeUuid;
const describe = (a: UnitValues, b: UnitValues) =>
  a.name !== b.name ? `renamed to "${b.name}"` : a.parentUuid !== b.parentUuid ? 'moved to another parent' : a.userKey !== b.userKey ? 'user_key changed' : 'unit type changed';

export interface UnitPlanOptions {
  /** End OPUS units that are gone from the dump (default true). */
  endGoneUnits: boolean;
  /** OPUS unit ids known from the previous dump, to recognise OPUS units when user_keys are not ids. */
  previousIds: readonly string[];
  /** MO's units that are OPUS's (their uuid is DIPEX's uuid of one of their user_keys), with that user_key. */
  opusInMo: ReadonlyMap<string, string>;
}

/**
 * Plans the units; returns the OPUS ids of units whose validity the plan widens (an earlier start, a later
 * end): engagements clipped to their old validity may now reach further, which only a comparison of every
 * employment finds.
 */
export function planUnits(ctx: PlanContext, wanted: UnitsWanted, mo: MoState, options: UnitPlanOptions): string[] {
  const narrowing: PlanOp[] = [];
  const widened: string[] = [];
  for (const unit of wanted.units) {
    const existing = mo.units.get(unit.uuid);
    if (!existing) ctx.creates.add(unit.uuid);
    else if (widens(existing, unit)) widened.push(unit.opusId);
    planUnit(ctx, unit, existing, mo, narrowing);
  }

  // Which MO units are OPUS's but not wanted: filtered ones, and ones gone from the dump.
  const wantedIds = new Set(wanted.units.map((u) => u.opusId));
  const ending: { uuid: string; opusId: string; why: string }[] = [];
  for (const id of wanted.filtered) ending.push({ uuid: ctx.uuids.unit(id), opusId: id, why: 'in a filtered subtree (integrations.opus.units.filter_ids)' });
  if (options.endGoneUnits) {
    const candidates = new Map<string, string>();
    for (const id of options.previousIds) candidates.set(ctx.uuids.unit(id), id);
    for (const [uuid, id] of options.opusInMo) candidates.set(uuid, id);
    for (const [uuid, id] of candidates) {
      if (!wantedIds.has(id) && !wanted.filtered.has(id) && !wanted.blocked.has(id) && mo.units.has(uuid)) {
        ending.push({ uuid, opusId: id, why: 'gone from OPUS' });
      }
    }
  }
  for (const e of ending) {
    const existing = mo.units.get(e.uuid);
    const periods = periodsOf(existing, unitValues, equal);
    for (const w of planTimeline(periods, null, { effective: ctx.effective, anchored: true, equal })) {
      if (w.action !== 'terminate') continue;
      narrowing.push({
        op: { kind: 'orgUnit', action: 'terminate', input: { uuid: e.uuid, to: w.to } },
        phase: 'unitEndings',
        subject: { kind: 'unit', opusId: e.opusId, label: `unit ${e.opusId}` },
        reason: e.why,
        needs: [],
      });
    }
  }
  ctx.ops.push(...childrenFirst(narrowing, wanted, mo));
  return widened;
}

/** a < b, where null is the open end. */
const endsBefore = (a: Day | null, b: Day | null): boolean => a !== null && (b === null || a < b);

/** The unit's wanted validity reaches before MO's first active day or after MO's last. */
function widens(existing: MoTemporal<OrgUnitSlice>, unit: DesiredUnit): boolean {
  const first = existing.validities[0]?.from ?? null;
  const last = existing.validities.at(-1)?.to ?? null;
  return (first !== null && unit.from < first) || endsBefore(last, unit.to);
}

function planUnit(ctx: PlanContext, unit: DesiredUnit, existing: MoTemporal<OrgUnitSlice> | undefined, mo: MoState, narrowing: PlanOp[]): void {
  const subject: PlanSubject = { kind: 'unit', opusId: unit.opusId, label: `unit ${unit.opusId} "${unit.name}"` };
  const unitType = ctx.catalog.resolve(unit.unitType);
  const values: UnitValues = { name: unit.name, userKey: unit.userKey, parentUuid: unit.parentUuid, unitTypeUuid: unitType.uuid };
  const writes = planTimeline(periodsOf(existing, unitValues, equal), { from: unit.from, to: unit.to, values }, { effective: ctx.effective, anchored: true, equal, describe });
  const needs = needsOf(ctx, unit.parentUuid, unitType.uuid);
  for (const w of writes) {
    const base = { subject, reason: w.reason, needs };
    if (w.action === 'create') {
      ctx.ops.push({ ...base, phase: 'units', op: { kind: 'orgUnit', action: 'create', input: { uuid: unit.uuid, ...values, unitTypeUuid: unitType.uuid, from: w.from, to: w.to } } });
    } else if (w.action === 'update') {
      ctx.ops.push({ ...base, phase: 'units', op: { kind: 'orgUnit', action: 'update', input: { uuid: unit.uuid, ...values, unitTypeUuid: unitType.uuid, from: w.from, to: w.to } } });
    } else {
      // A later start as well as an end: both narrow the unit (see the top of this file).
      narrowing.push({ ...base, phase: 'unitEndings', op: { kind: 'orgUnit', action: 'terminate', input: { uuid: unit.uuid, to: w.to, ...(w.from ? { from: w.from } : {}) } } });
    }
  }
  if (writes.length === 0) countUnchanged(ctx, 'orgUnit');
  // A unit whose addresses were not read is one whose addresses the dump wants as it did last night (see
  // sync/unitAddressPrints.ts); a new unit has none in MO.
  if (!existing || mo.unitAddressesRead.has(unit.uuid)) {
    planAddresses(ctx, { kind: 'unit', uuid: unit.uuid, from: unit.from, to: unit.to, subject }, unit.addresses, mo.unitAddresses.get(unit.uuid) ?? []);
  }
}

function unitValues(s: OrgUnitSlice): UnitValues {
  return { name: s.name, userKey: s.userKey, parentUuid: s.parentUuid, unitTypeUuid: s.unitTypeUuid };
}

/**
 * The narrowing writes, children before parents in every tree the units have had in MO or will have after this
 * dump: MO refuses to narrow a unit while any unit that was ever under it still lies under it in the part that
 * goes (a unit moved away earlier keeps its old slices under its former parent). Depth-first, a unit's children
 * emitted before it; among unrelated units the deeper first, then in plan order.
 */
function childrenFirst(narrowing: PlanOp[], wanted: UnitsWanted, mo: MoState): PlanOp[] {
  const uuidOf = (op: PlanOp) => (op.op.input as { uuid: string }).uuid;
  const opsOf = new Map<string, PlanOp[]>();
  for (const op of narrowing) opsOf.set(uuidOf(op), [...(opsOf.get(uuidOf(op)) ?? []), op]);

  const dumpParents = new Map(wanted.units.map((u) => [u.uuid, u.parentUuid]));
  const childrenOf = new Map<string, Set<string>>();
  for (const uuid of opsOf.keys()) {
    const parents = new Set(mo.units.get(uuid)?.validities.map((v) => v.parentUuid) ?? []);
    if (dumpParents.has(uuid)) parents.add(dumpParents.get(uuid)!);
    for (const parent of parents) if (parent && opsOf.has(parent)) childrenOf.set(parent, (childrenOf.get(parent) ?? new Set()).add(uuid));
  }

  const depth = (uuid: string) => depthIn(mo, dumpParents, uuid);
  const roots = [...opsOf.keys()].map((uuid, i) => ({ uuid, i, depth: depth(uuid) })).sort((a, b) => b.depth - a.depth || a.i - b.i);
  const out: PlanOp[] = [];
  const visited = new Set<string>();
  const visit = (uuid: string) => {
    // A unit seen again (a cycle of moves: A under B once, B under A later) stays where it was first placed.
    if (visited.has(uuid)) return;
    visited.add(uuid);
    for (const child of childrenOf.get(uuid) ?? []) visit(child);
    out.push(...opsOf.get(uuid)!);
  };
  for (const root of roots) visit(root.uuid);
  return out;
}

/** Depth in the tree: a unit's parent from `parents` (the dump's), else MO's latest. */
function depthIn(mo: MoState, parents: ReadonlyMap<string, string | null>, uuid: string): number {
  let depth = 0;
  const seen = new Set<string>();
  for (let u: string | null | undefined = uuid; u && !seen.has(u); depth++) {
    seen.add(u);
    u = parents.has(u) ? parents.get(u) : mo.units.get(u)?.validities.at(-1)?.parentUuid;
  }
  return depth;
}
