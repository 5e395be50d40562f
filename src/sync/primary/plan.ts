// The primary engagement in the plan: for every person the plan touches (planned, or owning an engagement it
// writes), the engagements as MO will hold them after the plan's writes (simulate.ts) decide the primary
// class of each (calculate.ts). A new engagement is created with its class; elsewhere a primary-only update
// is planned where the class changes. Never sets "explicitly-primary"; two of them at once are reported.
import type { EngagementSlice, MoOperation, MoTemporal } from '../../mo/index.js';
import { PRIMARY_CLASSES } from '../mapping/classes.js';
import type { MoState } from '../moState.js';
import { needsOf, type PlanContext } from '../plan/objects.js';
import { orderOps, type PlanOp } from '../plan/types.js';
import { calculatePrimary, type PrimaryClassUuids, type PrimaryEngagement } from './calculate.js';
import { periodsOfEngagement, simulateEngagementWrites, type SimPeriod } from './simulate.js';

export interface PrimaryPlanOptions {
  /** `integrations.opus.eng_types_primary_order`: engagement types, most primary first (uuids, user_keys or names). */
  order: readonly string[];
}

type EngagementOp = PlanOp & { op: Extract<MoOperation, { kind: 'engagement' }> };

/** Plans the primary classes; returns the people owning an engagement the plan now writes (Plan.engagedPeople). */
export function planPrimary(ctx: PlanContext, mo: MoState, people: Iterable<string>, options: PrimaryPlanOptions): string[] {
  const known = new Map<string, MoTemporal<EngagementSlice>>();
  for (const list of [...mo.personEngagements.values(), ...mo.engagements.values()]) for (const e of list) known.set(e.uuid, e);

  // The plan's engagement writes in the order they will be applied, per engagement.
  const engagementOps = orderOps(ctx.ops.filter((o): o is EngagementOp => o.op.kind === 'engagement'));
  const opsOf = new Map<string, EngagementOp[]>();
  const touched = new Set(people);
  const engagementsOf = new Map<string, Set<string>>();
  const link = (person: string, engagement: string) => {
    touched.add(person);
    const set = engagementsOf.get(person) ?? new Set();
    set.add(engagement);
    engagementsOf.set(person, set);
  };
  for (const op of engagementOps) {
    const uuid = op.op.input.uuid;
    if (uuid === undefined) continue;
    opsOf.set(uuid, [...(opsOf.get(uuid) ?? []), op]);
    const input = op.op.input as { personUuid?: string };
    if (input.personUuid) link(input.personUuid, uuid);
    for (const v of known.get(uuid)?.validities ?? []) link(v.personUuid, uuid);
  }
  for (const person of touched) for (const e of mo.personEngagements.get(person) ?? []) link(person, e.uuid);

  let classes: PrimaryClassUuids | null = null;
  const typeRank = rankOfTypes(mo, options.order);
  const created = new Set(engagementOps.filter((o) => o.op.action === 'create').map((o) => o.op.input.uuid!));

  for (const person of touched) {
    const uuids = [...(engagementsOf.get(person) ?? [])].sort();
    if (uuids.length === 0) continue;
    classes ??= {
      primary: ctx.catalog.resolve(PRIMARY_CLASSES.primary).uuid,
      nonPrimary: ctx.catalog.resolve(PRIMARY_CLASSES.nonPrimary).uuid,
      explicit: ctx.catalog.resolve(PRIMARY_CLASSES.explicit).uuid,
    };
    const simulate = () => {
      const timelines = new Map(uuids.map((u) => [u, known.has(u) ? periodsOfEngagement(known.get(u)!) : []]));
      simulateEngagementWrites(timelines, uuids.flatMap((u) => (opsOf.get(u) ?? []).map((o) => o.op)));
      return calculatePrimary(ofPerson(person, timelines), { classes: classes!, typeRank });
    };
    // Writes the plan makes anyway carry the class they should leave (a new engagement is created with it):
    // one write, not two, and no re-opened period whose class MO would fill in from a neighbour.
    const first = simulate();
    for (const uuid of uuids) {
      for (const planned of opsOf.get(uuid) ?? []) {
        const op = planned.op;
        if (op.action !== 'create' && op.action !== 'update') continue;
        if (op.action === 'update' && op.input.personUuid === undefined) continue;
        const pieces = first.wanted.get(uuid) ?? [];
        const { from } = op.input;
        // A create takes the class of its first day (later changes are written after it); an update, which
        // may span several classes, only one that holds over all of its period.
        const wanted =
          op.action === 'create'
            ? (pieces.find((w) => w.from <= from && (w.to === null || w.to > from))?.primaryUuid ?? null)
            : constantOver(pieces, from, op.input.to ?? null);
        if (wanted === null || wanted === classes.explicit) continue;
        op.input.primaryUuid = wanted;
        planned.needs = [...new Set([...planned.needs, ...needsOf(ctx, wanted)])];
      }
    }
    const { writes, conflicts } = simulate();
    for (const c of conflicts) {
      const ids = c.uuids.map((u) => known.get(u)?.validities.at(-1)?.userKey ?? u).join(' and ');
      ctx.issues.push({ opusId: null, kind: 'employment', message: `engagements ${ids} are both "${PRIMARY_CLASSES.explicit.name}" from ${c.from} to ${c.to ?? 'open'}; their primary class is left as it is` });
    }
    for (const w of writes) {
      const userKey = known.get(w.uuid)?.validities.at(-1)?.userKey ?? opsOf.get(w.uuid)?.[0]?.subject.opusId ?? w.uuid;
      const name = w.primaryUuid === classes.primary ? PRIMARY_CLASSES.primary.name : PRIMARY_CLASSES.nonPrimary.name;
      ctx.ops.push({
        op: { kind: 'engagement', action: 'update', input: { uuid: w.uuid, primaryUuid: w.primaryUuid, from: w.from, to: w.to } },
        phase: 'details',
        subject: { kind: 'person', opusId: userKey, label: `employment ${userKey}` },
        reason: `primary engagement: "${name}" from ${w.from}${w.to ? ` to ${w.to}` : ''}`,
        needs: [...needsOf(ctx, w.primaryUuid), ...(created.has(w.uuid) ? [w.uuid] : [])],
      });
    }
  }
  const engaged = new Set<string>();
  for (const o of ctx.ops) {
    if (o.op.kind !== 'engagement') continue;
    const input = o.op.input as { uuid?: string; personUuid?: string };
    if (input.personUuid) engaged.add(input.personUuid);
    for (const v of known.get(input.uuid ?? '')?.validities ?? []) engaged.add(v.personUuid);
  }
  return [...engaged];
}

/** The one class `wanted` holds on all of [from, to), or null. */
function constantOver(wanted: readonly { from: string; to: string | null; primaryUuid: string }[], from: string, to: string | null): string | null {
  let covered = from;
  let value: string | null = null;
  for (const w of wanted) {
    if (w.to !== null && w.to <= covered) continue;
    if (w.from > covered || (value !== null && w.primaryUuid !== value)) return null;
    value = w.primaryUuid;
    if (w.to === null || (to !== null && w.to >= to)) return value;
    covered = w.to;
  }
  return null;
}

/** The person's engagements as the calculation sees them: only the periods in which they are the person's. */
function ofPerson(person: string, timelines: Map<string, SimPeriod[]>): PrimaryEngagement[] {
  const out: PrimaryEngagement[] = [];
  for (const [uuid, periods] of timelines) {
    const mine = periods.filter((p) => p.personUuid === person);
    if (mine.length > 0) out.push({ uuid, userKey: mine.at(-1)!.userKey, periods: mine });
  }
  return out;
}

/** Position of an engagement type in the configured order: an entry is a class uuid, user_key or name. */
function rankOfTypes(mo: MoState, order: readonly string[]): (typeUuid: string) => number {
  const entries = order.map((o) => o.trim().toLowerCase());
  const cache = new Map<string, number>();
  return (typeUuid) => {
    let rank = cache.get(typeUuid);
    if (rank === undefined) {
      const type = (mo.classes.get('engagement_type') ?? []).find((c) => c.uuid === typeUuid);
      const names = [typeUuid.toLowerCase(), type?.userKey.toLowerCase(), type?.name.toLowerCase()];
      const index = entries.findIndex((e) => names.includes(e));
      rank = index < 0 ? Infinity : index;
      cache.set(typeUuid, rank);
    }
    return rank;
  };
}
