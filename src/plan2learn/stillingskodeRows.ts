// stillingskode.csv (spec §1.4): the classes of facet engagement_job_function valid today, in MO's order,
// that at least one exported engagement uses. `Stillingskode#` is the uuid again, as DIPEX writes it.
import type { Cell, ExportContext } from './options.js';

export const STILLINGSKODE_HEADER = ['StillingskodeID', 'AktivStatus', 'Stillingskode', 'Stillingskode#'] as const;

const JOB_FUNCTION_FACET = 'engagement_job_function';

export function stillingskodeRows(ctx: ExportContext, usedJobFunctions: ReadonlySet<string>): Cell[][] {
  const { index, notes } = ctx;
  const rows: Cell[][] = [];
  const listed = new Set<string>();
  for (const cls of index.classes.values()) {
    if (!usedJobFunctions.has(cls.uuid)) continue;
    if (index.facetUserKeys.get(cls.facetUuid) !== JOB_FUNCTION_FACET) continue;
    listed.add(cls.uuid);
    rows.push([cls.uuid, '1', cls.name, cls.uuid]);
  }
  for (const uuid of usedJobFunctions) {
    // DIPEX leaves these dangling too; say so, since Plan2Learn cannot resolve the StillingskodeId.
    if (!listed.has(uuid)) notes.push(`job function ${uuid} is used by an exported engagement but is not a class of ${JOB_FUNCTION_FACET} valid today: not in stillingskode.csv`);
  }
  return rows;
}
