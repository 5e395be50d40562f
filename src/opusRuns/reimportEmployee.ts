// Re-importing one employment (DIPEX's `--update-single-user <employment no> --days N`, spec §7.1): for each
// dump of the last N days, oldest first, in which the employment's record differs from the one before, the
// employment and its person are planned against MO as of that dump and written. Units are never written: an
// older dump would take them back in time.
//
// src/sync has no single-employment import, so this builds one from its parts: the dump is read with only the
// units and the records of the employment's person (all their employments, which decide the person's name and
// addresses), compared with MO record by record, and the plan is cut down to the catalog, the person and the
// one employment.
import { addDays, copenhagenToday, type MoClient } from '../mo/index.js';
import { readDump } from '../opus/reader.js';
import type { DumpEntry } from '../opus/records.js';
import type { DumpSource } from '../sources/types.js';
import { applyPlan, type ImportFailure } from '../sync/apply.js';
import type { ImportSettings } from '../sync/importDump.js';
import { classFacetsUsed } from '../sync/mapping/classes.js';
import { readMoState } from '../sync/moState.js';
import { planImport } from '../sync/plan/index.js';
import type { PlanOp } from '../sync/plan/types.js';
import { noDar, prepareImport } from '../sync/prepare.js';
import type { OutcomeCounts } from './types.js';

export interface ReimportRequest {
  employmentId: string;
  /** How far back to look, in days (DIPEX's wrappers defaulted to 1000). */
  days: number;
}

export interface ReimportResult {
  employmentId: string;
  days: number;
  /** The dumps the employment was imported from (its record changed in each). */
  imported: { dump: string; writes: number }[];
  counts: OutcomeCounts;
  failures: ImportFailure[];
}

/** Nothing to re-import: no dumps in the window, or the employment is in none of them. Not worth retrying. */
export class ReimportNotPossible extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReimportNotPossible';
  }
}

export async function reimportEmployee(
  client: MoClient,
  source: DumpSource,
  settings: ImportSettings,
  request: ReimportRequest,
  options: { today?: string; onStage?: (stage: string) => void } = {},
): Promise<ReimportResult> {
  const id = request.employmentId;
  const since = addDays(options.today ?? copenhagenToday(), -request.days);
  const dumps = (await source.list()).dumps.filter((d) => d.date >= since);
  if (dumps.length === 0) throw new ReimportNotPossible(`${source.description} holds no dumps from the last ${request.days} days (since ${since})`);

  const result: ReimportResult = { employmentId: id, days: request.days, imported: [], counts: {}, failures: [] };
  let last: string | null = null;
  let cpr: string | null = null;
  for (const dump of dumps) {
    // First pass: the employment's record (and its person's CPR) in this dump.
    let record: DumpEntry | undefined;
    for await (const entry of readDump(await source.open(dump.name), { file: dump.name })) {
      if (entry.kind !== 'orgUnit' && entry.kind !== 'rejected' && entry.id === id) record = entry;
    }
    if (!record) continue;
    if (record.kind === 'employment') cpr = record.cpr;
    const fingerprint = JSON.stringify({ ...record, source: null, lastChanged: null });
    if (fingerprint === last) continue;
    last = fingerprint;

    options.onStage?.(`re-importing employment ${id} from ${dump.name}`);
    const ofPerson = (entry: DumpEntry) =>
      entry.kind === 'orgUnit' || (entry.kind === 'employment' && entry.cpr === cpr) || (entry.kind === 'leave' && entry.id === id);
    const entries = filtered(readDump(await source.open(dump.name), { file: dump.name }), ofPerson);
    const input = await prepareImport(dump, entries, null, { ...settings, full: true }, settings.postal ?? noDar);
    const mo = await readMoState(client, {
      facets: classFacetsUsed(),
      unitUuids: [],
      cprs: input.persons.map((p) => p.cpr),
      employmentIds: input.wishes.map((w) => (w.kind === 'employment' ? w.employment.opusId : w.opusId)),
    });
    const plan = planImport(input, mo, settings.plan);
    const ops = plan.ops.filter(concerns(id));
    const report = await applyPlan(client, { ...plan, ops, unchanged: {} });
    result.imported.push({ dump: dump.name, writes: ops.length });
    for (const [kind, row] of Object.entries(report.counts)) {
      const into = (result.counts[kind] ??= {});
      for (const [outcome, n] of Object.entries(row)) into[outcome as keyof typeof into] = (into[outcome as keyof typeof into] ?? 0) + (n ?? 0);
    }
    result.failures.push(...report.failures);
  }
  if (last === null) {
    throw new ReimportNotPossible(`employment ${id} is in none of the ${dumps.length} dump(s) from the last ${request.days} days (since ${since})`);
  }
  return result;
}

/** The writes a one-employment re-import may do: classes it needs, the person, and that employment. */
function concerns(employmentId: string): (op: PlanOp) => boolean {
  return (op) =>
    op.subject.kind === 'person' ||
    op.subject.kind === 'class' ||
    op.subject.kind === 'facet' ||
    op.subject.kind === 'itSystem' ||
    (op.subject.kind === 'employment' && op.subject.opusId === employmentId);
}

async function* filtered(entries: AsyncIterable<DumpEntry>, keep: (entry: DumpEntry) => boolean): AsyncGenerator<DumpEntry> {
  for await (const entry of entries) if (keep(entry)) yield entry;
}
