// Units (spec §3.3, with moflow's decisions): created from startDate, changed from the dump date, ended at
// their OPUS end date; units of a filtered subtree and units gone from OPUS are ended at the dump date
// (DIPEX ignores both). Only OPUS's units are touched: those whose uuid is DIPEX's uuid of an OPUS id.
import type { MoTemporal, OrgUnitSlice } from '../../mo/index.js';
import type { DesiredUnit } from '../desired/types.js';
import type { UnitsWanted } from '../desired/units.js';
import { planAddresses } from './addresses.js';
import { countUnchanged, needsOf, periodsOf, type PlanContext } from './objects.js';
import { planTimeline } from './timeline.js';
import type { MoState } from '../moState.js';
import type { PlanSubject } from './types.js';

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

export function planUnits(ctx: PlanContext, wanted: UnitsWanted, mo: MoState, options: UnitPlanOptions): void {
  for (const unit of wanted.units) {
    const existing = mo.units.get(unit.uuid);
    if (!existing) ctx.creates.add(unit.uuid);
    planUnit(ctx, unit, existing, mo);
  }

  // Which MO units are OPUS's but not wanted: filtered ones, and ones gone from the dump.
  const wantedIds = new Set(wanted.units.map((u) => u.opusId));
  const ending: { uuid: string; opusId: string; why: string; depth: number }[] = [];
  for (const id of wanted.filtered) ending.push({ uuid: ctx.uuids.unit(id), opusId: id, why: 'in a filtered subtree (integrations.opus.units.filter_ids)', depth: 0 });
  if (options.endGoneUnits) {
    const candidates = new Map<string, string>();
    for (const id of options.previousIds) candidates.set(ctx.uuids.unit(id), id);
    for (const [uuid, id] of options.opusInMo) candidates.set(uuid, id);
    for (const [uuid, id] of candidates) {
      if (!wantedIds.has(id) && !wanted.filtered.has(id) && !wanted.blocked.has(id) && mo.units.has(uuid)) {
        ending.push({ uuid, opusId: id, why: 'gone from OPUS', depth: 0 });
      }
    }
  }
  // Children before parents: MO will not end a unit that still has active children.
  for (const e of ending) e.depth = depthIn(mo, e.uuid);
  ending.sort((a, b) => b.depth - a.depth);
  for (const e of ending) {
    const existing = mo.units.get(e.uuid);
    const periods = periodsOf(existing, unitValues, equal);
    for (const w of planTimeline(periods, null, { effective: ctx.effective, anchored: true, equal })) {
      if (w.action !== 'terminate') continue;
      ctx.ops.push({
        op: { kind: 'orgUnit', action: 'terminate', input: { uuid: e.uuid, to: w.to } },
        phase: 'unitEndings',
        subject: { kind: 'unit', opusId: e.opusId, label: `unit ${e.opusId}` },
        reason: e.why,
        needs: [],
      });
    }
  }
}

function planUnit(ctx: PlanContext, unit: DesiredUnit, existing: MoTemporal<OrgUnitSlice> | undefined, mo: MoState): void {
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
      ctx.ops.push({ ...base, phase: 'units', op: { kind: 'orgUnit', action: 'update', input: { uuid: unit.uuid, ...values, from: w.from, to: w.to } } });
    } else {
      ctx.ops.push({ ...base, phase: w.from ? 'units' : 'unitEndings', op: { kind: 'orgUnit', action: 'terminate', input: { uuid: unit.uuid, to: w.to, ...(w.from ? { from: w.from } : {}) } } });
    }
  }
  if (writes.length === 0) countUnchanged(ctx, 'orgUnit');
  planAddresses(ctx, { kind: 'unit', uuid: unit.uuid, from: unit.from, to: unit.to, subject }, unit.addresses, mo.unitAddresses.get(unit.uuid) ?? []);
}

function unitValues(s: OrgUnitSlice): UnitValues {
  return { name: s.name, userKey: s.userKey, parentUuid: s.parentUuid, unitTypeUuid: s.unitTypeUuid };
}

function depthIn(mo: MoState, uuid: string): number {
  let depth = 0;
  const seen = new Set<string>();
  for (let u = mo.units.get(uuid); u && !seen.has(u.uuid); depth++) {
    seen.add(u.uuid);
    const parent = u.validities.at(-1)?.parentUuid;
    u = parent ? mo.units.get(parent) : undefined;
  }
  return depth;
}
