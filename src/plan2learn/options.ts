// What one export run needs besides the snapshot. `today` is passed in, never read from the clock, so a run
// is reproducible and a test can pin it.
import type { JobTitleField } from './jobTitle.js';
import type { Day } from './snapshot.js';
import type { SnapshotIndex } from './snapshotIndex.js';

export type Plan2LearnVariant = 'RSD' | 'Viborg';

export interface Plan2LearnOptions {
  variant: Plan2LearnVariant;
  /** The day the export describes: "current" is valid on it, "future" starts after it. */
  today: Day;
  rootUnitUuid: string;
  /** Engagement type class uuids that are exported (never empty: the settings refuse it). */
  allowedEngagementTypes: readonly string[];
  /** Phone address type uuids, best first; only these types are exported. */
  phonePriority: readonly string[];
  /** E-mail address type uuids, best first; other types are a last resort. */
  emailPriority: readonly string[];
  /** Org unit level class NAMES whose units are left out of organisation.csv (their children are not). */
  tooDeepLevels: readonly string[];
  /** bruger.csv's `Stilling` (exporters.plan2learn.job_title_field); default per variant (jobTitle.ts). */
  jobTitleField?: JobTitleField;
}

/** Shared by the builders of the five files. */
export interface ExportContext {
  index: SnapshotIndex;
  options: Plan2LearnOptions;
  allowedTypes: ReadonlySet<string>;
  /** Things worth a log line (never a CPR): skipped persons, unresolved addresses, several managers. */
  notes: string[];
}

/** A CSV field: null is written as an empty quoted field, like DIPEX's None. */
export type Cell = string | null;
