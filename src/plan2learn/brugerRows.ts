// bruger.csv (spec §1.1): one row per person with an allowed-type engagement slice (valid today or later) in
// any unit of the tree — too-deep units included — at the first such unit in pre-order, deduplicated by CPR.
import { chosenEmail, chosenPhone } from './addressChoice.js';
import { DEFAULT_JOB_TITLE_FIELD, jobTitle } from './jobTitle.js';
import type { Cell, ExportContext } from './options.js';
import type { EngagementSlice } from './snapshot.js';

export const BRUGER_HEADER = ['BrugerId', 'CPR', 'Navn', 'E-mail', 'Mobil', 'Stilling'] as const;

export interface BrugerRow {
  brugerId: string;
  cpr: string | null;
  navn: string;
  email: string | null;
  mobil: string | null;
  /** RSD sets it here; Viborg sets it from the person's exported primary engagement (engagementRows). */
  stilling: string | null;
}

export function brugerCells(row: BrugerRow): Cell[] {
  return [row.brugerId, row.cpr, row.navn, row.email ?? '', row.mobil ?? '', row.stilling];
}

export function brugerRows(ctx: ExportContext, unitsInPreOrder: readonly string[]): BrugerRow[] {
  const { index, options, allowedTypes, notes } = ctx;
  const rows: BrugerRow[] = [];
  const seen = new Set<string>();
  const notValidToday = new Set<string>();
  for (const unit of unitsInPreOrder) {
    for (const { slice } of index.futureEngagementSlicesByUnit.get(unit) ?? []) {
      if (slice.engagementTypeUuid === null || !allowedTypes.has(slice.engagementTypeUuid)) continue;
      const personUuid = slice.personUuid;
      const person = index.personsToday.get(personUuid);
      if (!person) {
        // DIPEX: "{uuid} not found" — the person object is not valid today (spec §1.1, §7.8).
        if (!notValidToday.has(personUuid)) notes.push(`person ${personUuid} has an exported engagement type but is not valid on ${options.today}: not in bruger.csv`);
        notValidToday.add(personUuid);
        continue;
      }
      // DIPEX deduplicates by CPR. Persons without a CPR are told apart by uuid instead of all collapsing
      // into the first of them (spec §7.6).
      const cpr = person.cprNumber === null || person.cprNumber === '' ? null : person.cprNumber;
      const key = cpr === null ? `uuid:${personUuid}` : `cpr:${cpr}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({
        brugerId: personUuid,
        cpr,
        navn: fullName(person.givenName, person.surname),
        email: chosenEmail(index, personUuid, options.emailPriority),
        mobil: chosenPhone(index, personUuid, options.phonePriority),
        stilling: options.variant === 'RSD' ? rsdStilling(ctx, personUuid) : null,
      });
    }
  }
  return rows;
}

/** MO's `name`: given name and surname, either of which may be empty. */
function fullName(givenName: string, surname: string): string {
  return [givenName, surname].filter((p) => p !== '').join(' ');
}

/**
 * RSD: job_title_field (default extension_1) of the person's engagement valid today (any type, any unit)
 * with the smallest `user_key[3:]` as a string — DIPEX's rule, which assumes a "XY-" prefix (spec §7.10).
 * Ties: the first.
 */
function rsdStilling(ctx: ExportContext, personUuid: string): string | null {
  let best: { key: string; uuid: string; slice: EngagementSlice } | undefined;
  for (const { uuid, slice } of ctx.index.engagementsTodayByPerson.get(personUuid) ?? []) {
    const key = slice.userKey.slice(3);
    if (best === undefined || key < best.key) best = { key, uuid, slice };
  }
  if (best === undefined) return null;
  return jobTitle(ctx, best.uuid, best.slice, ctx.options.jobTitleField ?? DEFAULT_JOB_TITLE_FIELD.RSD, false);
}
