// The Plan2Learn export: a MO snapshot in, the five CSV files' bytes out. Pure — no clock, no I/O — so the
// same snapshot and options always give the same bytes. Files are built in DIPEX's order (spec §0), since
// later files depend on earlier ones: bruger → organisation → engagement (fills Viborg's Stilling) →
// stillingskode → leder.
import { BRUGER_HEADER, brugerCells, brugerRows } from './brugerRows.js';
import { renderCsv } from './csvFormat.js';
import { ENGAGEMENT_HEADER, engagementRows } from './engagementRows.js';
import { LEDER_HEADER_RSD, LEDER_HEADER_VIBORG, lederRows } from './lederRows.js';
import type { ExportContext, Plan2LearnOptions, Plan2LearnVariant } from './options.js';
import { ORGANISATION_HEADER, organisationRows } from './organisationRows.js';
import type { Day, MoSnapshot } from './snapshot.js';
import { SnapshotIndex } from './snapshotIndex.js';
import { STILLINGSKODE_HEADER, stillingskodeRows } from './stillingskodeRows.js';
import { isDayText } from './timeline.js';
import { unitsInPreOrder } from './unitTree.js';

/** The names DIPEX's ship_files gives the files on the Plan2Learn server. */
export const PLAN2LEARN_FILE_NAMES = ['bruger.csv', 'organisation.csv', 'engagement.csv', 'stillingskode.csv', 'leder.csv'] as const;
export type Plan2LearnFileName = (typeof PLAN2LEARN_FILE_NAMES)[number];

export interface Plan2LearnFile {
  name: Plan2LearnFileName;
  /** Data rows, not counting the header. */
  rows: number;
  content: Buffer;
}

export interface Plan2LearnExport {
  variant: Plan2LearnVariant;
  today: Day;
  /** In PLAN2LEARN_FILE_NAMES order. */
  files: Plan2LearnFile[];
  /** Worth logging (no CPR numbers): persons left out, unresolved addresses, several managers in a unit. */
  notes: string[];
}

export function exportPlan2Learn(snapshot: MoSnapshot, options: Plan2LearnOptions): Plan2LearnExport {
  if (!isDayText(options.today)) throw new TypeError(`today must be a date YYYY-MM-DD, got ${JSON.stringify(options.today)}`);
  if (options.variant !== 'RSD' && options.variant !== 'Viborg') throw new TypeError(`variant must be "RSD" or "Viborg", got ${JSON.stringify(options.variant)}`);
  if (options.allowedEngagementTypes.length === 0) {
    // The settings refuse this too; DIPEX silently wrote files without users or engagements.
    throw new RangeError('allowedEngagementTypes is empty: the export would contain no users and no engagements');
  }
  const index = new SnapshotIndex(snapshot, options.today);
  const ctx: ExportContext = { index, options, allowedTypes: new Set(options.allowedEngagementTypes), notes: [] };

  const units = unitsInPreOrder(index, options.rootUnitUuid);
  const brugere = brugerRows(ctx, units);
  const organisation = organisationRows(ctx, units);
  const engagements = engagementRows(ctx, organisation.exportedUnits, brugere);
  const stillingskoder = stillingskodeRows(ctx, engagements.usedJobFunctions);
  const ledere = lederRows(ctx, units, organisation.exportedUnits);

  const file = (name: Plan2LearnFileName, header: readonly string[], rows: (string | null)[][]): Plan2LearnFile => ({
    name,
    rows: rows.length,
    content: renderCsv(header, rows),
  });
  return {
    variant: options.variant,
    today: options.today,
    files: [
      file('bruger.csv', BRUGER_HEADER, brugere.map(brugerCells)),
      file('organisation.csv', ORGANISATION_HEADER, organisation.rows),
      file('engagement.csv', ENGAGEMENT_HEADER, engagements.rows),
      file('stillingskode.csv', STILLINGSKODE_HEADER, stillingskoder),
      file('leder.csv', options.variant === 'RSD' ? LEDER_HEADER_RSD : LEDER_HEADER_VIBORG, ledere),
    ],
    notes: ctx.notes,
  };
}
