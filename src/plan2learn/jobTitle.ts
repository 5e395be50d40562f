// Where bruger.csv's `Stilling` comes from: exporters.plan2learn.job_title_field names an engagement field,
// `extension_1` … `extension_10` or `job_function` (the name of the engagement's job function class). Which
// engagement is read stays the variant's rule (brugerRows.ts for RSD, engagementRows.ts for Viborg).
//
// The defaults are what DIPEX does today (spec §1.1): RSD reads extension_1; Viborg reads extension_3 and
// falls back to the job function's name when it is empty. The seed's "extension_2" is the MO documentation's,
// true until DIPEX commit 10dedce5 (2023-08) moved Viborg's title to extension_3, where the
// job-function-configurator writes it.
import type { ExportContext, Plan2LearnVariant } from './options.js';
import type { EngagementSlice } from './snapshot.js';

export const JOB_TITLE_FIELDS = [...Array.from({ length: 10 }, (_, i) => `extension_${i + 1}` as const), 'job_function'] as const;
export type JobTitleField = (typeof JOB_TITLE_FIELDS)[number];

export const DEFAULT_JOB_TITLE_FIELD: Record<Plan2LearnVariant, JobTitleField> = { RSD: 'extension_1', Viborg: 'extension_3' };

/**
 * The title `field` gives for the engagement `slice`; null when the field is empty. With `fallback`, an
 * empty extension gives the job function's name instead (Viborg, as DIPEX). A job function that is not a
 * class valid today gives null and a note (DIPEX crashed on it: spec §7.16).
 */
export function jobTitle(ctx: ExportContext, engagementUuid: string, slice: EngagementSlice, field: JobTitleField, fallback: boolean): string | null {
  if (field !== 'job_function') {
    const value = slice.extensions[Number(field.slice('extension_'.length)) - 1] ?? null;
    if (value || !fallback) return value;
  }
  if (slice.jobFunctionUuid === null) return null;
  const jobFunction = ctx.index.classes.get(slice.jobFunctionUuid);
  if (!jobFunction) {
    ctx.notes.push(`engagement ${engagementUuid}: job function ${slice.jobFunctionUuid} is not a class valid on ${ctx.options.today}; ${ctx.options.variant} Stilling of person ${slice.personUuid} is empty`);
    return null;
  }
  return jobFunction.name;
}
