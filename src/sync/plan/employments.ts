// Engagements and manager roles of OPUS employments (spec §3.4 steps 6–7, with moflow's decisions):
// user_key = employment id; created from entryDate; changes of type, job function, unit or person from the
// dump date; start-date moves; the leaveDate as end; a leave stub, an employment in a filtered unit, or one
// gone from the dump ends at the dump date (or, for gone ones, is deleted if configured, as DIPEX does).
import type { EngagementSlice, ManagerSlice, MoTemporal } from '../../mo/index.js';
import type { DesiredEmployment, EmploymentWish } from '../desired/types.js';
import type { MoState } from '../moState.js';
import { countUnchanged, needsOf, periodsOf, pickObject, sameStrings, type PlanContext } from './objects.js';
import { planTimeline, type Wanted } from './timeline.js';
import type { PlanSubject } from './types.js';

export interface EmploymentPlanOptions {
  /** What happens to an employment gone from the dump: end it at the dump date, or delete it (DIPEX). */
  cancelled: 'terminate' | 'delete';
  /** True for the uuid of a unit that is OPUS's: engagements elsewhere with the same user_key are not ours. */
  isOpusUnit: (uuid: string) => boolean;
}

type EngagementValues = { userKey: string; personUuid: string; orgUnitUuid: string; jobFunctionUuid: string; engagementTypeUuid: string };
const equalEngagement = (a: EngagementValues, b: EngagementValues) =>
  a.userKey === b.userKey && a.personUuid === b.personUuid && a.orgUnitUuid === b.orgUnitUuid && a.jobFunctionUuid === b.jobFunctionUuid && a.engagementTypeUuid === b.engagementTypeUuid;
const describeEngagement = (a: EngagementValues, b: EngagementValues) =>
  a.orgUnitUuid !== b.orgUnitUuid ? 'moved to another unit' : a.jobFunctionUuid !== b.jobFunctionUuid ? 'job function changed' : a.engagementTypeUuid !== b.engagementTypeUuid ? 'engagement type changed' : a.personUuid !== b.personUuid ? 'person changed' : 'user_key changed';

type ManagerValues = { personUuid: string | null; orgUnitUuid: string; managerTypeUuid: string | null; managerLevelUuid: string | null; responsibilityUuids: string[] };
const equalManager = (a: ManagerValues, b: ManagerValues) =>
  a.personUuid === b.personUuid && a.orgUnitUuid === b.orgUnitUuid && a.managerTypeUuid === b.managerTypeUuid && a.managerLevelUuid === b.managerLevelUuid && sameStrings(a.responsibilityUuids, b.responsibilityUuids);

export function planEmployments(
  ctx: PlanContext,
  wishes: Iterable<EmploymentWish>,
  gone: Iterable<string>,
  mo: MoState,
  personUuids: ReadonlyMap<string, string>,
  options: EmploymentPlanOptions,
): void {
  for (const wish of wishes) {
    if (wish.kind === 'skipped') {
      ctx.issues.push({ opusId: wish.opusId, kind: 'employment', message: `employment ${wish.opusId} not imported: ${wish.why}`, source: wish.source });
    } else if (wish.kind === 'ended') {
      endEmployment(ctx, wish.opusId, wish.why, mo, options, false);
    } else {
      planEmployment(ctx, wish.employment, mo, personUuids, options);
    }
  }
  for (const id of gone) endEmployment(ctx, id, 'gone from the dump (cancelled in OPUS)', mo, options, options.cancelled === 'delete');
}

function subjectOf(id: string): PlanSubject {
  return { kind: 'employment', opusId: id, label: `employment ${id}` };
}

function engagementOf(ctx: PlanContext, id: string, mo: MoState, options: EmploymentPlanOptions): MoTemporal<EngagementSlice> | undefined {
  const ours = (mo.engagements.get(id) ?? []).filter((e) => e.uuid === ctx.uuids.of('engagement', id) || e.validities.some((v) => options.isOpusUnit(v.orgUnitUuid)));
  return pickObject(ours, ctx.uuids.of('engagement', id), (n) =>
    ctx.issues.push({ opusId: id, kind: 'employment', message: `${n} engagements in MO have user_key ${id}; moflow maintains the most recent one` }),
  );
}

function managerOf(ctx: PlanContext, id: string, mo: MoState, options: EmploymentPlanOptions): MoTemporal<ManagerSlice> | undefined {
  const ours = (mo.managers.get(id) ?? []).filter((m) => m.uuid === ctx.uuids.of('manager', id) || m.validities.some((v) => options.isOpusUnit(v.orgUnitUuid)));
  return pickObject(ours, ctx.uuids.of('manager', id), (n) =>
    ctx.issues.push({ opusId: id, kind: 'employment', message: `${n} manager roles in MO have user_key ${id}; moflow maintains the most recent one` }),
  );
}

function planEmployment(ctx: PlanContext, e: DesiredEmployment, mo: MoState, personUuids: ReadonlyMap<string, string>, options: EmploymentPlanOptions): void {
  const subject = subjectOf(e.opusId);
  const personUuid = personUuids.get(e.cpr);
  if (!personUuid) {
    ctx.issues.push({ opusId: e.opusId, kind: 'employment', message: `employment ${e.opusId} not imported: its person could not be planned`, source: e.source });
    return;
  }
  const jobFunction = ctx.catalog.resolve(e.jobFunction);
  const engagementType = ctx.catalog.resolve(e.engagementType);
  const values: EngagementValues = { userKey: e.opusId, personUuid, orgUnitUuid: e.unitUuid, jobFunctionUuid: jobFunction.uuid, engagementTypeUuid: engagementType.uuid };
  const existing = engagementOf(ctx, e.opusId, mo, options);
  const uuid = existing?.uuid ?? ctx.uuids.of('engagement', e.opusId);
  // OS2MO cannot give an engagement to another person (an update's person is ignored), but a create with the
  // engagement's uuid replaces it whole: an employment whose CPR number changed in OPUS (a correction) is
  // created again for its new person, from its start.
  const otherPerson = existing?.validities.some((v) => v.personUuid !== personUuid) ?? false;
  const periods = otherPerson
    ? []
    : periodsOf(existing, (s): EngagementValues => ({ userKey: s.userKey, personUuid: s.personUuid, orgUnitUuid: s.orgUnitUuid, jobFunctionUuid: s.jobFunctionUuid, engagementTypeUuid: s.engagementTypeUuid }), equalEngagement);
  const writes = planTimeline(periods, { from: e.from, to: e.to, values }, { effective: ctx.effective, anchored: true, equal: equalEngagement, describe: describeEngagement });
  if (otherPerson) {
    for (const w of writes) if (w.action === 'create') w.reason = 'its person changed (another CPR number in OPUS): created again for the new person, replacing the engagement';
  }
  const needs = needsOf(ctx, personUuid, e.unitUuid, jobFunction.uuid, engagementType.uuid);
  for (const w of writes) {
    const base = { subject, reason: w.reason, needs };
    if (w.action === 'create') ctx.ops.push({ ...base, phase: 'engagements', op: { kind: 'engagement', action: 'create', input: { uuid, ...values, from: w.from, to: w.to } } });
    else if (w.action === 'update') ctx.ops.push({ ...base, phase: 'engagements', op: { kind: 'engagement', action: 'update', input: { uuid, ...values, from: w.from, to: w.to } } });
    else ctx.ops.push({ ...base, phase: w.from ? 'engagements' : 'endings', op: { kind: 'engagement', action: 'terminate', input: { uuid, to: w.to, ...(w.from ? { from: w.from } : {}) } } });
  }
  if (writes.length === 0) countUnchanged(ctx, 'engagement');
  if (!e.managerUnknown) planManager(ctx, e, personUuid, mo, options);
}

function planManager(ctx: PlanContext, e: DesiredEmployment, personUuid: string, mo: MoState, options: EmploymentPlanOptions): void {
  const existing = managerOf(ctx, e.opusId, mo, options);
  if (!existing && !e.manager) return;
  const subject = subjectOf(e.opusId);
  let wanted: Wanted<ManagerValues> | null = null;
  let needs: string[] = [];
  if (e.manager) {
    const type = ctx.catalog.resolve(e.manager.type).uuid;
    const level = ctx.catalog.resolve(e.manager.level).uuid;
    const responsibility = ctx.catalog.resolve(e.manager.responsibility).uuid;
    wanted = { from: e.from, to: e.to, values: { personUuid, orgUnitUuid: e.unitUuid, managerTypeUuid: type, managerLevelUuid: level, responsibilityUuids: [responsibility] } };
    needs = needsOf(ctx, personUuid, e.unitUuid, type, level, responsibility);
  }
  const periods = periodsOf(existing, (s): ManagerValues => ({ personUuid: s.personUuid, orgUnitUuid: s.orgUnitUuid, managerTypeUuid: s.managerTypeUuid, managerLevelUuid: s.managerLevelUuid, responsibilityUuids: [...s.responsibilityUuids].sort() }), equalManager);
  const writes = planTimeline(periods, wanted, { effective: ctx.effective, anchored: true, equal: equalManager, describe: () => 'manager role changed in OPUS' });
  const uuid = existing?.uuid ?? ctx.uuids.of('manager', e.opusId);
  for (const w of writes) {
    const reason = `manager role: ${wanted ? w.reason : 'isManager is false'}`;
    const base = { subject, reason, needs };
    if (w.action !== 'terminate' && wanted) {
      const v = wanted.values;
      const fields = { userKey: e.opusId, personUuid: v.personUuid, orgUnitUuid: v.orgUnitUuid, managerTypeUuid: v.managerTypeUuid!, managerLevelUuid: v.managerLevelUuid!, responsibilityUuids: v.responsibilityUuids };
      ctx.ops.push({ ...base, phase: 'details', op: w.action === 'create' ? { kind: 'manager', action: 'create', input: { uuid, ...fields, from: w.from, to: w.to } } : { kind: 'manager', action: 'update', input: { uuid, ...fields, from: w.from, to: w.to } } });
    } else if (w.action === 'terminate') {
      ctx.ops.push({ ...base, phase: 'endings', op: { kind: 'manager', action: 'terminate', input: { uuid, to: w.to, ...(w.from ? { from: w.from } : {}) } } });
    }
  }
  if (writes.length === 0 && wanted) countUnchanged(ctx, 'manager');
}

/** A leave stub, a filtered unit, or a cancellation: the engagement and the manager role end at the dump date. */
function endEmployment(ctx: PlanContext, id: string, why: string, mo: MoState, options: EmploymentPlanOptions, hardDelete: boolean): void {
  const subject = subjectOf(id);
  const engagement = engagementOf(ctx, id, mo, options);
  if (engagement && hardDelete) {
    ctx.ops.push({ op: { kind: 'engagement', action: 'delete', input: { uuid: engagement.uuid } }, phase: 'endings', subject, reason: `${why}; deleted (integrations.opus.cancelled_employments = "delete")`, needs: [] });
  } else if (engagement) {
    for (const w of planTimeline(periodsOf(engagement, () => null, () => true), null, { effective: ctx.effective, anchored: true, equal: () => true })) {
      if (w.action === 'terminate') ctx.ops.push({ op: { kind: 'engagement', action: 'terminate', input: { uuid: engagement.uuid, to: w.to } }, phase: 'endings', subject, reason: why, needs: [] });
    }
  }
  const manager = managerOf(ctx, id, mo, options);
  if (manager) {
    for (const w of planTimeline(periodsOf(manager, () => null, () => true), null, { effective: ctx.effective, anchored: true, equal: () => true })) {
      if (w.action === 'terminate') ctx.ops.push({ op: { kind: 'manager', action: 'terminate', input: { uuid: manager.uuid, to: w.to } }, phase: 'endings', subject, reason: `manager role: ${why}`, needs: [] });
    }
  }
}
