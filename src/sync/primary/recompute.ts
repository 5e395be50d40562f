// The primary engagement recomputed from MO alone: for some people (those a dump touched, after its writes) or
// for everybody with an engagement, the engagements as MO holds them now decide each one's primary class over
// time (calculate.ts), and only what differs is written. An import creates new engagements with their class
// already (plan/index.ts), so after a run this normally writes nothing; it corrects a hand edit in MO's GUI
// (e.g. "Manuelt primær" set on another engagement) or a write that failed. Planned against MO as it is when
// it runs, so a retry writes only what is left.
import type { EngagementSlice, MoClient, MoTemporal } from '../../mo/index.js';
import { applyPlan, type ApplyOptions, type ImportReport } from '../apply.js';
import { classFacetsUsed } from '../mapping/classes.js';
import { addGrouped, inChunks, noKeysRead, type MoState } from '../moState.js';
import { Catalog } from '../plan/catalog.js';
import type { PlanContext } from '../plan/objects.js';
import { orderOps, type Plan } from '../plan/types.js';
import { OpusUuids } from '../uuids.js';
import { planPrimary } from './plan.js';

/** Whose primary engagement to recompute: people by CPR number and owners of employments, people by uuid, or everybody. */
export type PrimaryScope = { cprs: readonly string[]; employmentIds: readonly string[] } | { personUuids: readonly string[] } | { all: true };

export interface RecomputeOptions {
  municipalityName: string;
  /** `integrations.opus.eng_types_primary_order`. */
  primaryOrder?: readonly string[];
  onStage?: (stage: string) => void;
}

/** The plan of primary-only writes for the people in `scope`, against MO now. */
export async function planPrimaryFor(client: MoClient, scope: PrimaryScope, options: RecomputeOptions): Promise<{ plan: Plan; people: number }> {
  const stage = options.onStage ?? (() => {});
  const facetKeys = classFacetsUsed();
  const personEngagements = new Map<string, MoTemporal<EngagementSlice>[]>();
  const add = (list: MoTemporal<EngagementSlice>[]) => addGrouped(personEngagements, list, (e) => e.validities.map((v) => v.personUuid));
  const readEngagements = async () => {
    if ('all' in scope) {
      // One paged read of every engagement with its whole history: MO's engagements, not the people, decide.
      stage('reading MO: every engagement');
      add(await client.engagements.read({}, 'all'));
      return;
    }
    if ('personUuids' in scope) {
      stage(`reading MO: the engagements of ${scope.personUuids.length} people`);
      add(await inChunks([...scope.personUuids], (chunk) => client.engagements.read({ personUuids: chunk }, 'all')));
      return;
    }
    stage(`reading MO: the engagements of ${scope.cprs.length} people and ${scope.employmentIds.length} employments`);
    const [people, owned] = await Promise.all([
      inChunks([...scope.cprs], (cprs) => client.persons.byCprs(cprs, 'all')),
      inChunks([...scope.employmentIds], (keys) => client.engagements.read({ userKeys: keys }, 'all')),
    ]);
    const uuids = [...new Set([...people.map((p) => p.uuid), ...owned.flatMap((e) => e.validities.map((v) => v.personUuid))])];
    add(await inChunks(uuids, (chunk) => client.engagements.read({ personUuids: chunk }, 'all')));
  };
  // The catalog beside the engagements: on OS2MO each round of reads costs.
  stage('reading MO: facets and classes');
  const [facets, classLists, itSystems] = await Promise.all([
    client.facets.read(),
    Promise.all(facetKeys.map((f) => client.classes.byFacet(f))),
    client.itSystems.read(),
    readEngagements(),
  ]);
  const mo: MoState = {
    facets,
    classes: new Map(facetKeys.map((f, i) => [f, classLists[i]!])),
    itSystems,
    units: new Map(),
    unitAddresses: new Map(),
    unitAddressesRead: new Set(),
    persons: new Map(),
    engagements: new Map(),
    managers: new Map(),
    roleBindings: new Map(),
    personEngagements,
    personAddresses: new Map(),
    itUsers: new Map(),
    keysRead: noKeysRead(),
  };
  const today = new Date().toISOString().slice(0, 10);
  const uuids = new OpusUuids(options.municipalityName);
  const catalog = new Catalog(mo.facets, mo.classes, mo.itSystems, uuids, null);
  const ctx: PlanContext = { effective: today, uuids, catalog, ops: [], issues: [], unchanged: {}, creates: new Set() };
  stage(`computing the primary engagement of ${personEngagements.size} people`);
  planPrimary(ctx, mo, personEngagements.keys(), { order: options.primaryOrder ?? [] });
  const ops = orderOps([...catalog.plannedOps(), ...ctx.ops]);
  const massChange = { activeEngagements: 0, endingEngagements: 0, activeUnits: 0, endingUnits: 0, people: personEngagements.size, renamedPeople: 0, newClasses: 0 };
  return { plan: { dump: 'primary', effective: today, ops, unchanged: {}, issues: ctx.issues, massChange }, people: personEngagements.size };
}

/** Plans and writes the primary classes of the people in `scope` that differ from what they should be. */
export async function recomputePrimary(
  client: MoClient,
  scope: PrimaryScope,
  options: RecomputeOptions & ApplyOptions & { dryRun?: boolean },
): Promise<{ plan: Plan; people: number; report: ImportReport | null }> {
  const { plan, people } = await planPrimaryFor(client, scope, options);
  if (options.dryRun) return { plan, people, report: null };
  options.onStage?.(`applying ${plan.ops.length} primary writes`);
  return { plan, people, report: await applyPlan(client, plan, options) };
}
