// engagement.csv (spec §1.3): for each person valid today (MO's order), each of their engagements (MO's
// order) that is valid today or later, judged on its first such slice: the unit must be in organisation.csv
// and the type allowed. A later move or type change is not looked at, as in DIPEX.
import type { BrugerRow } from './brugerRows.js';
import { copenhagenMidnight } from './copenhagenTime.js';
import type { Cell, ExportContext } from './options.js';
import { DEFAULT_JOB_TITLE_FIELD, jobTitle } from './jobTitle.js';
import type { IndexedEngagement } from './snapshotIndex.js';

export const ENGAGEMENT_HEADER = [
  'EngagementId',
  'BrugerId',
  'AfdelingsId',
  'AktivStatus',
  'StillingskodeId',
  'Primær',
  'Engagementstype',
  'StartdatoEngagement',
] as const;

export interface EngagementResult {
  rows: Cell[][];
  /** Job function class uuids of the exported engagements: the classes stillingskode.csv lists. */
  usedJobFunctions: Set<string>;
}

/** Viborg also fills in bruger.csv's `Stilling` from the exported primary engagements, so it gets the rows. */
export function engagementRows(ctx: ExportContext, exportedUnits: ReadonlySet<string>, brugere: readonly BrugerRow[]): EngagementResult {
  const { index, options, allowedTypes } = ctx;
  const brugerById = new Map(brugere.map((b) => [b.brugerId, b]));
  const rows: Cell[][] = [];
  const usedJobFunctions = new Set<string>();
  const rsdStart = new Map<string, string>(); // one time zone look-up per distinct day
  for (const personUuid of index.personsToday.keys()) {
    for (const eng of index.engagementsByPerson.get(personUuid) ?? []) {
      const first = eng.first;
      if (!exportedUnits.has(first.orgUnitUuid)) continue;
      // A missing type is simply not an allowed one (DIPEX crashed on UUID(None): spec §7.16).
      if (first.engagementTypeUuid === null || !allowedTypes.has(first.engagementTypeUuid)) continue;
      const active = first.from === null || first.from <= options.today;
      const startdato = options.variant === 'Viborg' ? (active ? '' : first.from!) : originalStart(eng, rsdStart);
      const typeName = index.classFor(first.engagementTypeUuid, 'engagement', eng.uuid, 'engagement_type_uuid').name;
      if (first.jobFunctionUuid !== null) usedJobFunctions.add(first.jobFunctionUuid);
      // Both variants write is_primary of the exported slice. DIPEX wrote 0 for every RSD row (spec §7.1).
      const primary = first.isPrimary;
      if (primary && options.variant === 'Viborg') {
        const bruger = brugerById.get(personUuid);
        if (bruger) bruger.stilling = viborgStilling(ctx, eng);
      }
      rows.push([
        eng.uuid,
        personUuid,
        first.orgUnitUuid,
        '1', // always 1 since February 2020, at the customer's request (spec §7.4)
        first.jobFunctionUuid ?? '',
        primary ? '1' : '0',
        typeName,
        startdato,
      ]);
    }
  }
  return { rows, usedJobFunctions };
}

/**
 * Viborg `Stilling`: job_title_field (default extension_3, the job-function-configurator's title) when set,
 * else the job function's name; the last exported primary engagement of the person wins. No job function, or
 * one that is not a class valid today, gives "" (DIPEX crashed on `lc.classes[…]`: spec §7.16).
 */
function viborgStilling(ctx: ExportContext, eng: IndexedEngagement): string {
  return jobTitle(ctx, eng.uuid, eng.first, ctx.options.jobTitleField ?? DEFAULT_JOB_TITLE_FIELD.Viborg, true) ?? '';
}

/**
 * RSD `StartdatoEngagement`: the earliest `from` over the engagement's whole history, as MO's raw DateTime
 * (spec §1.3, §7.9). An open start has no date to give: "".
 */
function originalStart(eng: IndexedEngagement, cache: Map<string, string>): string {
  const from = eng.slices[0]!.from; // slices are in time order
  if (from === null) return '';
  let text = cache.get(from);
  if (text === undefined) {
    text = copenhagenMidnight(from);
    cache.set(from, text);
  }
  return text;
}
