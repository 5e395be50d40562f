// Re-importing one employment for the Temporal control workflow: the request and result it carries in its
// history, around the import's own one-employment re-import (src/sync/reimport.ts, spec §7.1), which the CLI's
// `moflow opus reimport --direct` runs too.
import type { MoClient } from '../mo/index.js';
import type { DumpSource } from '../sources/types.js';
import type { ImportFailure } from '../sync/apply.js';
import type { ImportSettings } from '../sync/importDump.js';
import { reimportEmployment } from '../sync/reimport.js';
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

export async function reimportEmployee(
  client: MoClient,
  source: DumpSource,
  settings: ImportSettings,
  request: ReimportRequest,
  options: { today?: string; onStage?: (stage: string) => void } = {},
): Promise<ReimportResult> {
  const report = await reimportEmployment(client, source, request.employmentId, { days: request.days, ...options }, settings);
  return {
    employmentId: report.employmentId,
    days: report.days,
    imported: report.imported.map(({ dump, writes }) => ({ dump, writes })),
    counts: report.counts,
    failures: report.failures,
  };
}
