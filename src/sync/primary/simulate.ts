// The engagements as MO will hold them after a plan's engagement writes, so the primary engagement can be
// planned in the same plan (and shown by a dry run). MO's rules, restricted to what the primary needs:
// an update writes its fields over [from, to) and re-opens what was inactive there (MO then fills the
// other fields from a neighbouring slice, which a reader of active slices cannot know: the primary class
// of such a period is UNKNOWN and so always written); a terminate ends a range; a delete ends everything.
import type { Day, EngagementSlice, MoOperation, MoTemporal } from '../../mo/index.js';
import { UNKNOWN_PRIMARY, type HeldPrimary } from './calculate.js';

export interface SimPeriod {
  from: Day;
  to: Day | null;
  personUuid: string;
  userKey: string;
  engagementTypeUuid: string;
  primaryUuid: HeldPrimary;
}

/** Before any real day: MO engagements always start, but the type allows an open start. */
const FIRST_DAY = '0001-01-01';
const after = (a: Day | null, b: Day | null) => (a === null ? b !== null : b !== null && a > b); // a > b, null = ∞
const minEnd = (a: Day | null, b: Day | null) => (a === null ? b : b === null ? a : a < b ? a : b);
const maxDay = (a: Day, b: Day) => (a > b ? a : b);

export function periodsOfEngagement(engagement: MoTemporal<EngagementSlice>): SimPeriod[] {
  return engagement.validities.map((v) => ({
    from: v.from ?? FIRST_DAY,
    to: v.to,
    personUuid: v.personUuid,
    userKey: v.userKey,
    engagementTypeUuid: v.engagementTypeUuid,
    primaryUuid: v.primaryUuid,
  }));
}

/** Applies the engagement writes among `ops` (in order) to `timelines` (uuid → active periods), in place. */
export function simulateEngagementWrites(timelines: Map<string, SimPeriod[]>, ops: Iterable<MoOperation>): void {
  for (const op of ops) {
    if (op.kind !== 'engagement') continue;
    const periods = timelines.get(op.input.uuid ?? '') ?? [];
    if (op.action === 'create') {
      const i = op.input;
      if (i.uuid === undefined) continue;
      timelines.set(i.uuid, [
        { from: i.from, to: i.to ?? null, personUuid: i.personUuid, userKey: i.userKey ?? i.uuid, engagementTypeUuid: i.engagementTypeUuid, primaryUuid: i.primaryUuid ?? null },
      ]);
    } else if (op.action === 'update') {
      const i = op.input;
      const patch = (p: Omit<SimPeriod, 'from' | 'to'>): Omit<SimPeriod, 'from' | 'to'> => ({
        personUuid: i.personUuid ?? p.personUuid,
        userKey: i.userKey ?? p.userKey,
        engagementTypeUuid: i.engagementTypeUuid ?? p.engagementTypeUuid,
        primaryUuid: i.primaryUuid ?? p.primaryUuid,
      });
      timelines.set(i.uuid, update(periods, i.from, i.to, patch, i.primaryUuid));
    } else if (op.action === 'terminate') {
      const i = op.input;
      timelines.set(i.uuid, cut(periods, i.from ?? i.to, i.from ? i.to : null));
    } else {
      timelines.set(op.input.uuid, []);
    }
  }
}

/** The periods without [from, to). */
function cut(periods: readonly SimPeriod[], from: Day, to: Day | null): SimPeriod[] {
  const out: SimPeriod[] = [];
  for (const p of periods) {
    if (p.from < from) out.push({ ...p, to: minEnd(p.to, from) });
    if (to !== null && after(p.to, to)) out.push({ ...p, from: maxDay(p.from, to) });
  }
  return out.filter((p) => after(p.to, p.from));
}

function update(periods: readonly SimPeriod[], from: Day, to: Day | null, patch: (p: Omit<SimPeriod, 'from' | 'to'>) => Omit<SimPeriod, 'from' | 'to'>, primaryUuid: string | undefined): SimPeriod[] {
  const inside: SimPeriod[] = [];
  for (const p of periods) {
    const start = maxDay(p.from, from);
    const end = minEnd(p.to, to);
    if (after(end, start)) inside.push({ ...p, ...patch(p), from: start, to: end });
  }
  // The gaps of [from, to) become active with the written fields; the rest comes from a neighbour.
  const template = patch(periods.findLast((p) => p.from <= from) ?? periods[0] ?? { personUuid: '', userKey: '', engagementTypeUuid: '', primaryUuid: null });
  const gaps: SimPeriod[] = [];
  let cursor: Day | null = from;
  for (const p of [...inside, null]) {
    const gapEnd: Day | null = p ? p.from : to;
    if (cursor !== null && after(gapEnd, cursor) && template.personUuid !== '') {
      gaps.push({ ...template, primaryUuid: primaryUuid ?? UNKNOWN_PRIMARY, from: cursor, to: gapEnd });
    }
    if (p) cursor = p.to;
  }
  return [...cut(periods, from, to), ...inside, ...gaps].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}
