// One employment again (DIPEX's `--update-single-user <employment no> --days N`, spec §7.1): the dumps of the
// last N days are read oldest first, and in each one where the employment's record is new or changed (or its
// leaveDate passed, or it vanished) the employment and its person are planned against MO as of that dump's
// date and written — only theirs: never a unit, nor another employment. Because each plan compares with MO as
// it is, the result is what the full import sequence gives the employment, whether it was missed, wrongly
// imported, deleted by hand or terminated. A dry run returns the plans (each against MO as it is now).
import { addDays, copenhagenToday, moToToInclusiveEnd, OPUS_OPEN_END, type Day, type MoClient } from '../mo/index.js';
import { readDump } from '../opus/reader.js';
import type { DumpEntry, Employment, LeaveStub, OrgUnit } from '../opus/records.js';
import type { DumpFile, DumpSource } from '../sources/types.js';
import { applyPlan, type ImportFailure, type Outcome } from './apply.js';
import type { ImportIssue } from './desired/types.js';
import { planAgainstMo, type ImportSettings } from './importDump.js';
import type { Plan, PlanOp } from './plan/types.js';
import { noDar, prepareImport } from './prepare.js';
import { OpusUuids } from './uuids.js';

export const DEFAULT_REIMPORT_DAYS = 1000;

export interface ReimportOptions {
  /** How far back to look (DIPEX's wrappers: 1000). */
  days?: number;
  /** Plan, do not write. */
  dryRun?: boolean;
  /** "Today" for the window; default today in Copenhagen. */
  today?: Day;
  onStage?: (stage: string) => void;
}

export interface ReimportStep {
  dump: string;
  /** Why this dump was replayed: the record is new, changed, a leave stub, its leaveDate passed, or it vanished. */
  why: string;
  /** Writes planned (and, unless a dry run, applied). */
  writes: number;
}

export interface ReimportReport {
  employmentId: string;
  days: number;
  since: Day;
  dryRun: boolean;
  /** Dumps in the window that were read. */
  dumpsRead: number;
  /** The dumps replayed, oldest first. */
  imported: ReimportStep[];
  counts: Record<string, Partial<Record<Outcome, number>>>;
  failures: ImportFailure[];
  issues: ImportIssue[];
  /** A dry run's plans, one per replayed dump. */
  plans: Plan[];
}

/** Nothing to re-import: no dumps in the window, or the employment is in none of them. Not worth retrying. */
export class ReimportNotPossible extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReimportNotPossible';
  }
}

type Record_ = Employment | LeaveStub;

export async function reimportEmployment(
  client: MoClient,
  source: DumpSource,
  employmentId: string,
  options: ReimportOptions,
  settings: ImportSettings,
): Promise<ReimportReport> {
  const id = employmentId.trim();
  const days = options.days ?? DEFAULT_REIMPORT_DAYS;
  const since = addDays(options.today ?? copenhagenToday(), -days);
  const dumps = (await source.list()).dumps.filter((d) => d.date >= since);
  if (dumps.length === 0) throw new ReimportNotPossible(`${source.description} holds no dumps from the last ${days} days (since ${since})`);

  const report: ReimportReport = { employmentId: id, days, since, dryRun: options.dryRun ?? false, dumpsRead: 0, imported: [], counts: {}, failures: [], issues: [], plans: [] };
  let last: { fingerprint: string; record: Record_ } | null = null;
  let lastDate: Day | null = null;
  let cpr: string | null = null;
  let seen = false;
  for (const dump of dumps) {
    options.onStage?.(`reading ${dump.name} for employment ${id}`);
    let scan = await scanDump(source, dump, id, cpr);
    report.dumpsRead++;
    if (scan.record?.kind === 'employment' && scan.record.cpr !== cpr) {
      cpr = scan.record.cpr;
      scan = await scanDump(source, dump, id, cpr); // the person's other records, now that the CPR is known
    }
    const why = reasonToReplay(scan.record, last, lastDate, dump.date);
    lastDate = dump.date;
    if (scan.record) seen = true;
    last = scan.record ? { fingerprint: fingerprintOf(scan.record), record: scan.record } : null;
    if (why === null) continue;

    options.onStage?.(`re-importing employment ${id} from ${dump.name} (${why})`);
    const plan = await planStep(client, dump, scan, id, why === 'vanished from the dump', settings);
    report.issues.push(...plan.issues.filter((i) => i.opusId === id || i.opusId === null || i.kind === 'person'));
    if (report.dryRun) {
      report.plans.push(plan);
      report.imported.push({ dump: dump.name, why, writes: plan.ops.length });
      continue;
    }
    const applied = await applyPlan(client, { ...plan, unchanged: {} });
    report.imported.push({ dump: dump.name, why, writes: plan.ops.length });
    for (const [kind, row] of Object.entries(applied.counts)) {
      const into = (report.counts[kind] ??= {});
      for (const [outcome, n] of Object.entries(row) as [Outcome, number][]) into[outcome] = (into[outcome] ?? 0) + n;
    }
    report.failures.push(...applied.failures);
  }
  if (!seen) throw new ReimportNotPossible(`employment ${id} is in none of the ${dumps.length} dump(s) from the last ${days} days (since ${since})`);
  return report;
}

/** Why a dump must be replayed for the employment, or null when nothing about it changed since the last one. */
function reasonToReplay(record: Record_ | null, last: { fingerprint: string; record: Record_ } | null, lastDate: Day | null, date: Day): string | null {
  if (!record) return last && last.record.kind === 'employment' ? 'vanished from the dump' : null;
  if (!last) return record.kind === 'leave' ? 'leave stub' : 'the record is new in the window';
  if (fingerprintOf(record) !== last.fingerprint) return record.kind === 'leave' ? 'leave stub' : 'the record changed';
  // Its person's data no longer comes from it once it has ended (as the nightly import sees it).
  if (record.kind === 'employment' && record.leaveDate !== null && lastDate !== null && record.leaveDate >= lastDate && record.leaveDate < date) return 'its leaveDate passed';
  return null;
}

const fingerprintOf = (record: Record_): string => JSON.stringify({ ...record, source: null, lastChanged: null });

interface Scan {
  record: Record_ | null;
  /** Every unit (their postal addresses left out: units are not written) and the person's records. */
  entries: DumpEntry[];
}

/** One pass over a dump: its units, the employment's record, and the records of the person with `cpr`. */
async function scanDump(source: DumpSource, dump: DumpFile, id: string, cpr: string | null): Promise<Scan> {
  let record: Record_ | null = null;
  const entries: DumpEntry[] = [];
  for await (const entry of readDump(await source.open(dump.name), { file: dump.name })) {
    if (entry.kind === 'orgUnit') entries.push({ ...entry, street: null, zipCode: null });
    else if (entry.kind === 'rejected') continue;
    else if (entry.id === id) {
      record = entry;
      entries.push(entry);
    } else if (entry.kind === 'employment' && cpr !== null && entry.cpr === cpr) entries.push(entry);
  }
  return { record, entries };
}

/** The plan of one replayed dump: everything of the person's records, kept to the employment and its person. */
async function planStep(client: MoClient, dump: DumpFile, scan: Scan, id: string, vanished: boolean, settings: ImportSettings): Promise<Plan> {
  const units = await unitsAsInMo(client, scan, new OpusUuids(settings.municipalityName));
  async function* entries() {
    for (const entry of scan.entries) yield entry.kind === 'orgUnit' ? (units.get(entry.id) ?? entry) : entry;
  }
  const input = await prepareImport(dump, entries(), null, { ...settings, full: true }, settings.postal ?? noDar);
  if (vanished) input.gone = [id];
  return planAgainstMo(client, input, settings, { unitUuids: [], keep: keeps(id) });
}

/**
 * The writes of a one-employment re-import: the employment's own, and its person's when this employment is
 * the one that speaks for the person (else an older dump would take the person's name and addresses back in
 * time); a missing person is created whichever employment speaks for them.
 */
function keeps(id: string): (op: PlanOp) => boolean {
  return (op) =>
    op.subject.opusId === id ? op.subject.kind === 'employment' || op.subject.kind === 'person' : op.subject.kind === 'person' && op.op.kind === 'person' && op.op.action === 'create';
}

/**
 * The employment's unit and its ancestors with the validity MO gives them now. A re-import writes no unit, so
 * the employment (engagement, manager role, rolebindings) is kept within its unit as MO has it, not as an
 * older dump had it: after a later dump narrowed the unit (moved under a younger parent), the older dump's
 * validity would put the engagement outside its unit, which OS2MO refuses ("Date range exceeds validity range
 * of associated org unit") — and the full import sequence ended that part anyway. Units MO lacks keep the dump's.
 */
async function unitsAsInMo(client: MoClient, scan: Scan, uuids: OpusUuids): Promise<Map<string, OrgUnit>> {
  const byId = new Map<string, OrgUnit>();
  for (const entry of scan.entries) if (entry.kind === 'orgUnit') byId.set(entry.id, entry);
  const chain: OrgUnit[] = [];
  const id = scan.record?.kind === 'employment' ? scan.record.orgUnit : null;
  for (let unit = id === null ? undefined : byId.get(id); unit && !chain.includes(unit); unit = unit.parentOrgUnit === null ? undefined : byId.get(unit.parentOrgUnit)) {
    chain.push(unit);
  }
  const out = new Map<string, OrgUnit>();
  if (chain.length === 0) return out;
  const inMo = new Map((await client.orgUnits.read({ uuids: chain.map((u) => uuids.unit(u.id)) }, 'all')).map((u) => [u.uuid, u]));
  for (const unit of chain) {
    const from = inMo.get(uuids.unit(unit.id))?.validities[0]?.from;
    if (!from) continue;
    const to = inMo.get(uuids.unit(unit.id))!.validities.at(-1)!.to;
    out.set(unit.id, { ...unit, startDate: from, endDate: moToToInclusiveEnd(to) ?? OPUS_OPEN_END });
  }
  return out;
}
