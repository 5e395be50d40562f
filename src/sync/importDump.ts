// One dump's import, end to end: read the dump (and the previous one) from the source, read MO's state of
// what it touches, plan, check the mass-change guard, apply. Used by the CLI and by the Temporal activities.
import type { OpusImportOptions } from '../config/opus.js';
import type { MoClient } from '../mo/index.js';
import { readDump } from '../opus/reader.js';
import type { DumpEntry } from '../opus/records.js';
import { DumpSourceError, type DumpSource } from '../sources/types.js';
import { applyPlan, type ApplyOptions, type ImportReport } from './apply.js';
import { classFacetsUsed } from './mapping/classes.js';
import { addUnitAddresses, addUnitContents, extendMoState, readMoState, readUnitContents, type MoState } from './moState.js';
import { unitsToContain } from './plan/containment.js';
import { massChangeRefusal, type GuardOptions } from './plan/guard.js';
import { opusUnitsInMo, planImport, type PlanOptions } from './plan/index.js';
import type { Plan } from './plan/types.js';
import type { DigestCache } from './digestCache.js';
import { enrichmentsOf, personSeamsOf, type Enrichments } from './enrich/enrichments.js';
import { employmentIdsOf, noDar, prepareImport, type ImportInput, type PostalResolver, type PrepareOptions, type PreviousDump } from './prepare.js';

export interface DumpRef {
  /** The dump to import. */
  name: string;
  /** The dump imported before it; null for the first import (everything is compared with MO). */
  previous: string | null;
}

export interface ImportSettings extends PrepareOptions {
  plan: PlanOptions;
  guard: GuardOptions;
  postal?: PostalResolver;
  /** Where dump digests are kept between runs; without it the previous dump is always read again. */
  digests?: DigestCache;
  /** AD and the CPR mapping, read once for all the dumps these settings import. */
  enrichments?: Enrichments;
  /** Keeps a prepared dump between the steps of a run (src/opusRuns/parsedDumps.ts); without it each plan reads the dump again. */
  prepared?: PreparedInputs;
}

/** A keeper of prepared inputs: `prepare` (which shows it every record of the dump) runs only when it has none for `scope`. */
export interface PreparedInputs {
  get(scope: string, prepare: (see: (entry: DumpEntry) => void) => Promise<ImportInput>): Promise<ImportInput>;
}

/** Which records a prepared input holds: every one, the changed ones, or those plus the employments of some units. */
export function preparedScope(settings: Pick<PrepareOptions, 'full' | 'alsoUnits'>): string {
  if (settings.full) return 'all';
  return settings.alsoUnits?.length ? `changed+units:${[...settings.alsoUnits].sort().join(',')}` : 'changed';
}

export class MassChangeRefused extends Error {
  constructor(
    message: string,
    readonly plan: Plan,
  ) {
    super(message);
    this.name = 'MassChangeRefused';
  }
}

export async function planDump(
  client: MoClient,
  source: DumpSource,
  ref: DumpRef,
  settings: ImportSettings,
  onProgress?: (what: string) => void,
  /** MO's state as a narrower plan of the same dump read it: only what this plan needs beyond it is read. */
  known?: MoState,
): Promise<{ plan: Plan; input: ImportInput; comparedAll: boolean; comparedUnits: string[] }> {
  const { input, previous } = await prepareDump(source, ref, settings, onProgress);
  const unitUuids = input.unitAddressesToCompare ? [...input.unitAddressesToCompare] : input.units.units.map((u) => u.uuid);
  const { plan, mo } = await planWithState(client, input, settings, { unitUuids, onProgress, ...(known ? { known } : {}) });
  const outside = previous && !settings.full ? unitsChangedOutsideOpus(plan, input) : [];
  const compared = settings.alsoUnits ?? [];
  const widened = previous && !settings.full ? (plan.widenedUnits ?? []).filter((id) => !compared.includes(id)) : [];
  const list = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}`;
  if (outside.length > 0) {
    // A unit enters or leaves MO's view though OPUS did not change it: the filter settings changed, or
    // someone edited MO. Its employments did not change either, so only a full comparison finds them.
    onProgress?.(`units ${list(outside)} change in MO without a change in OPUS (a changed filter?); comparing every employment with MO`);
    return planDump(client, source, ref, { ...settings, full: true }, onProgress, mo);
  }
  if (widened.length > 0) {
    // An engagement is clipped to its unit's validity; an unchanged employment in a unit that now starts
    // earlier or ends later would keep the old clip: compare those units' employments with MO too. (A child
    // clipped to a widening parent widens as well, so it is in the list itself.) Not every employment: on
    // OS2MO, reading all of a municipality's people takes minutes.
    onProgress?.(`units ${list(widened)} start earlier or end later than in MO; comparing their employments with MO`);
    return planDump(client, source, ref, { ...settings, alsoUnits: [...compared, ...widened] }, onProgress, mo);
  }
  return { plan, input, comparedAll: settings.full === true, comparedUnits: settings.full ? [] : [...compared] };
}

/**
 * Reads the dump (and the previous one, or its digest) into the planner's input, or takes it from
 * `settings.prepared`; `previous` says whether the previous dump was found.
 */
export async function prepareDump(
  source: DumpSource,
  ref: DumpRef,
  settings: ImportSettings,
  onProgress?: (what: string) => void,
): Promise<{ input: ImportInput; previous: boolean }> {
  const listing = await source.list();
  const dump = listing.dumps.find((d) => d.name === ref.name);
  if (!dump) throw new DumpSourceError(`the dump ${ref.name} is not in ${source.description}`);
  const previousDump = ref.previous === null ? undefined : listing.dumps.find((d) => d.name === ref.previous);
  if (ref.previous !== null && !previousDump) {
    if (!settings.full) throw new DumpSourceError(`the previously imported dump ${ref.previous} is no longer in ${source.description}; import with --full to compare every record with MO`);
    onProgress?.(`the previously imported dump ${ref.previous} is no longer in ${source.description}: employments cancelled since then cannot be recognised`);
  }
  const prepare = async (see?: (entry: DumpEntry) => void): Promise<ImportInput> => {
    const entries = readDump(await source.open(dump.name), { file: dump.name });
    const current = see ? seeing(entries, see) : entries;
    let previous: PreviousDump | null = null;
    onProgress?.(`reading ${dump.name}`);
    // Even a full comparison reads the previous dump (or its digest): only it tells which employments vanished.
    if (previousDump) {
      const digest = settings.digests?.load(previousDump) ?? null;
      onProgress?.(digest ? `comparing with ${previousDump.name} (its digest, kept when it was imported)` : `comparing with ${previousDump.name}`);
      previous = digest ? { dump: previousDump, digest } : { dump: previousDump, entries: readDump(await source.open(previousDump.name), { file: previousDump.name }) };
    }
    return prepareImport(dump, current, previous, settings, settings.postal ?? noDar);
  };
  const input = settings.prepared ? await settings.prepared.get(preparedScope(settings), prepare) : await prepare();
  settings.digests?.save(dump, input.digest);
  return { input, previous: previousDump !== undefined };
}

async function* seeing<T>(entries: AsyncIterable<T>, see: (entry: T) => void): AsyncGenerator<T> {
  for await (const entry of entries) {
    see(entry);
    yield entry;
  }
}

/**
 * Reads MO's state of what the input touches (the addresses of `unitUuids`) and plans the input against it;
 * `keep` restricts the plan to some writes (see PlanOptions).
 */
export async function planAgainstMo(
  client: MoClient,
  input: ImportInput,
  settings: ImportSettings,
  options: { unitUuids: string[]; keep?: PlanOptions['keep']; onProgress?: ((what: string) => void) | undefined },
): Promise<Plan> {
  return (await planWithState(client, input, settings, options)).plan;
}

/** planAgainstMo, with the state it read (or extended: `known`), for a wider plan of the same dump. */
async function planWithState(
  client: MoClient,
  input: ImportInput,
  settings: ImportSettings,
  options: { unitUuids: string[]; keep?: PlanOptions['keep']; known?: MoState; onProgress?: ((what: string) => void) | undefined },
): Promise<{ plan: Plan; mo: MoState }> {
  const { onProgress, known } = options;
  const reading = (what: string) => onProgress?.(`reading MO: ${what}`);
  const query = {
    facets: classFacetsUsed(),
    unitUuids: options.unitUuids,
    cprs: input.persons.map((p) => p.cpr),
    employmentIds: employmentIdsOf(input),
  };
  if (known) reading('only what the narrower plan did not read');
  const mo = known ?? (await readMoState(client, query, reading));
  if (known) await extendMoState(client, known, query, reading);
  // What lies in the units the plan may narrow: it must be ended first (plan/containment.ts). A plan kept to
  // some writes (a re-import) narrows no unit.
  const contain = options.keep ? [] : unitsToContain(input, mo.units, opusUnitsInMo(input.uuids, mo), settings.plan.endGoneUnits);
  if (contain.length === 0) delete mo.unitContents;
  else if (!sameMembers(mo.unitContents?.unitUuids ?? [], contain)) addUnitContents(mo, await readUnitContents(client, contain, reading));
  // AD and the CPR mapping are read only when a dump has people to plan, and then once per set of settings
  // (under Temporal, once per activity: see enrich/enrichments.ts).
  const seams = input.persons.length > 0 ? await personSeamsOf(settings.enrichments, onProgress) : undefined;
  const plan = () => planImport(input, mo, { ...settings.plan, ...(seams ? { seams } : {}), ...(options.keep ? { keep: options.keep } : {}) });
  const first = plan();
  // A unit the plan writes though the dump wants its addresses as before (MO was edited, say): its addresses
  // are clipped to it, so they are read and the plan made again. Planning is pure and takes milliseconds.
  const unread = unitsWrittenUnread(first, mo, input);
  if (unread.length === 0) return { plan: first, mo };
  reading(`the addresses of ${unread.length} unit(s) the plan writes`);
  await addUnitAddresses(client, mo, unread);
  return { plan: plan(), mo };
}

const sameMembers = (a: string[], b: string[]) => a.length === b.length && new Set([...a, ...b]).size === a.length;

/** Units of the dump, already in MO, that the plan writes and whose addresses were not read. */
function unitsWrittenUnread(plan: Plan, mo: MoState, input: ImportInput): string[] {
  const wanted = new Set(input.units.units.map((u) => u.uuid));
  const written = plan.ops.flatMap((o) => (o.op.kind === 'orgUnit' && o.op.action !== 'create' ? [o.op.input.uuid] : []));
  return [...new Set(written)].filter((uuid) => wanted.has(uuid) && mo.units.has(uuid) && !mo.unitAddressesRead.has(uuid));
}

/**
 * OPUS ids of units the plan writes although the dump did not change them since the previous one. A unit
 * under an ancestor that did change is not among them: it follows the ancestor's validity (it is clipped to
 * it), and the plan takes care of what that touches: what lies in a part that goes is ended
 * (plan/containment.ts), and the employments of a unit that widens are compared (planDump).
 */
function unitsChangedOutsideOpus(plan: Plan, input: ImportInput): string[] {
  const changedInOpus = new Set([...input.comparison.orgUnits.new, ...input.comparison.orgUnits.changed, ...input.comparison.orgUnits.gone]);
  const parentOf = new Map(input.units.units.map((u) => [u.uuid, u.parentUuid]));
  const idOf = new Map(input.units.units.map((u) => [u.uuid, u.opusId]));
  const ancestorChanged = (opusId: string) => {
    const seen = new Set<string>();
    for (let u = parentOf.get(input.uuids.unit(opusId)); u && !seen.has(u); u = parentOf.get(u)) {
      seen.add(u);
      if (changedInOpus.has(idOf.get(u) ?? '')) return true;
    }
    return false;
  };
  const ids = plan.ops.flatMap((o) =>
    o.op.kind === 'orgUnit' && o.subject.opusId !== null && !changedInOpus.has(o.subject.opusId) && !ancestorChanged(o.subject.opusId)
      ? [o.subject.opusId]
      : [],
  );
  return [...new Set(ids)];
}

/** Plans and applies a dump. A plan the mass-change guard holds back throws unless approved. */
export async function importDump(
  client: MoClient,
  source: DumpSource,
  ref: DumpRef,
  settings: ImportSettings & { approveMassChange?: boolean },
  options: ApplyOptions & { onStep?: (what: string) => void } = {},
): Promise<{ plan: Plan; report: ImportReport }> {
  const { plan } = await planDump(client, source, ref, settings, options.onStep);
  const refusal = massChangeRefusal(plan.massChange, settings.guard);
  if (refusal && !settings.approveMassChange) throw new MassChangeRefused(refusal, plan);
  options.onStep?.(`applying ${plan.ops.length} writes`);
  return { plan, report: await applyPlan(client, plan, options) };
}

/** The import's settings from moflow's typed OPUS options. */
export function importSettings(options: OpusImportOptions, extra: { full?: boolean; postal?: PostalResolver; digests?: DigestCache } = {}): ImportSettings {
  return {
    ...options,
    full: extra.full ?? false,
    plan: {
      endGoneUnits: options.endGoneUnits,
      cancelled: options.cancelledEmployments,
      ...(options.primaryOrder ? { primaryOrder: options.primaryOrder } : {}),
    },
    enrichments: enrichmentsOf(options),
    guard: options.massChange,
    ...(extra.postal ? { postal: extra.postal } : {}),
    ...(extra.digests ? { digests: extra.digests } : {}),
  };
}
