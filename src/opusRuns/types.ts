// What the steps of one dump's import hand each other and the workflow: names, hashes, counts and a few
// example lines; never records, plans or CPR numbers (they would land in Temporal's history).
import type { ImportFailure, Outcome } from '../sync/apply.js';
import type { MassChange } from '../sync/plan/types.js';
import type { CachedDump } from './dumpCache.js';

/** The dumps one import reads, as fetched into the local cache. */
export interface FetchedDumps {
  dump: CachedDump;
  previous: CachedDump | null;
  attempt: number;
}

export interface ValidationResult {
  units: number;
  employments: number;
  leaves: number;
  rejected: number;
  /** The first rejected records' diagnostics (file, line, OPUS id, why). */
  diagnostics: string[];
  attempt: number;
}

/** The plan is written in two steps: the catalog and units first, then people, engagements and unit endings. */
export type ImportStep = 'units' | 'employees';
/** The steps that write, as reports name them: the two plan steps, then the primary engagement recomputed. */
export type RunStep = ImportStep | 'primary';

export type OutcomeCounts = Record<string, Partial<Record<Outcome, number>>>;

export interface StepResult {
  step: RunStep;
  /** Writes this step planned (after a resume: what was left). */
  planned: number;
  /** Per MO object kind and outcome, of this step's writes. */
  counts: OutcomeCounts;
  /** Objects the plan found already right in MO, per kind. */
  unchanged: Record<string, number>;
  failures: ImportFailure[];
  failureCount: number;
  issues: string[];
  issueCount: number;
  massChange: MassChange;
  /**
   * The plan compared every employment with MO (--full, or a unit that enters MO's view or widens: what
   * lies in it may have to change though OPUS did not change it). The employees step must then do the same.
   */
  comparedAll?: boolean;
  /**
   * OPUS units whose employments the plan compared with MO besides the changed ones: units that widen (an
   * engagement clipped to the old validity may now reach further). The employees step must do the same.
   */
  comparedUnits?: string[];
  /** The units step kept its plan on its worker for the employees step (src/opusRuns/keptOnWorker.ts): its token. */
  keptPlan?: string;
  /** The employees step kept the people whose engagements it wrote, for the primary step: its token. */
  keptPeople?: string;
  /** The primary step: how many people's primary engagement it checked. */
  people?: number;
  /** This step wrote from the units step's kept plan instead of reading MO and planning again. */
  planReused?: boolean;
  durationMs: number;
  /** Of durationMs, the time spent writing: the rest read MO (and the dump) and planned. */
  writeMs?: number;
  attempt: number;
  /** When this attempt picked up after a crashed one: how far that one had come by its last heartbeat. */
  resumedAfter: StepProgress | null;
}

/** An activity's heartbeat detail: where it is, so a retry knows where the last attempt stopped. */
export interface StepProgress {
  attempt: number;
  stage: string;
  done: number;
  total: number;
  /** When the heartbeat was sent (ms since the epoch; absent from workers before it). */
  at?: number;
}

export type RunStatus = 'imported' | 'skipped';

/** The result of one dump's import workflow; its summary is also the run's memo. */
export interface ImportRunReport {
  dump: string;
  /** The dump's timestamp, YYYY-MM-DDTHH:MM:SS (KMD's local time). */
  timestamp: string;
  previous: string | null;
  status: RunStatus;
  /** Why it was skipped, and by whom. */
  skipped?: { reason: string; by: string };
  sha256: string | null;
  validation: ValidationResult | null;
  counts: OutcomeCounts;
  totals: Partial<Record<Outcome, number>>;
  failures: ImportFailure[];
  failureCount: number;
  issues: string[];
  issueCount: number;
  /** Who approved a plan the mass-change guard held back. */
  approvedBy: string | null;
  steps: { step: RunStep; durationMs: number; writeMs?: number; resumedAfter: StepProgress | null; planReused?: boolean; people?: number }[];
  /** Write steps that picked up after a crashed attempt (from its last heartbeat). */
  resumes: number;
  /** Activity attempts beyond the first, over all steps (crashes, MO down, network). */
  retries: number;
  durationMs: number;
  /** The full report (every failure and issue) on the worker that recorded it. */
  reportFile: string | null;
}
