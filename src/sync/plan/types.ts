// A plan: the ordered MO writes one dump needs, each with the OPUS object it serves and why.
import type { MoOperation } from '../../mo/index.js';
import type { ImportIssue } from '../desired/types.js';

/**
 * Writes happen phase by phase: what others refer to first (classes, units parents-first, persons), then
 * what refers to them, and the writes that narrow a unit (a later start, an end) last, children first: MO
 * refuses to narrow a unit while children or details lie in the part that goes, and `endings` ends those.
 * IT users end after the other endings (`accountEndings`): MO refuses to end an IT user whose rolebindings
 * are still active (V_TERMINATE_ITUSER_WITH_ROLEBINDINGS), and rolebindings end among the endings.
 */
export const PHASES = ['catalog', 'units', 'persons', 'engagements', 'details', 'endings', 'accountEndings', 'unitEndings'] as const;
export type Phase = (typeof PHASES)[number];

/** Stable sort by phase: within a phase, the planners' order (units parents first) is kept. */
export function orderOps<T extends PlanOp>(ops: readonly T[]): T[] {
  const rank = new Map(PHASES.map((p, i) => [p, i]));
  return ops.map((op, i) => ({ op, i })).sort((a, b) => rank.get(a.op.phase)! - rank.get(b.op.phase)! || a.i - b.i).map((x) => x.op);
}

export interface PlanSubject {
  kind: 'facet' | 'class' | 'itSystem' | 'unit' | 'person' | 'employment';
  /** The OPUS unit or employment id; for a person, the employment that speaks for them. */
  opusId: string | null;
  /** For people and logs: never a CPR number. */
  label: string;
}

export interface PlanOp {
  op: MoOperation;
  phase: Phase;
  subject: PlanSubject;
  reason: string;
  /** uuids this write refers to that other writes of the plan create: if one of those fails, this is skipped. */
  needs: string[];
}

export interface Plan {
  dump: string;
  effective: string;
  ops: PlanOp[];
  /** Objects OPUS describes that the plan found already right in MO, per kind. */
  unchanged: Record<string, number>;
  /** What the import could not do and why (bad data, unknown units, values MO would refuse). */
  issues: ImportIssue[];
  /** The mass-change guard's measure; see guard.ts. */
  massChange: MassChange;
  /**
   * OPUS ids of units whose validity the plan widens (an earlier start, a later end): what was clipped to the
   * old validity may now reach further, so an incremental plan compares every employment (importDump.ts).
   */
  widenedUnits?: string[];
  /**
   * The people (uuids) owning an engagement the plan writes, its primary-class writes included: after the
   * writes, the primary step checks theirs again (src/opusRuns/primaryStep.ts).
   */
  engagedPeople?: string[];
}

export interface MassChange {
  activeEngagements: number;
  endingEngagements: number;
  activeUnits: number;
  endingUnits: number;
  /** People the plan looked at in MO, and how many of them it renames (absent in plans made before they were counted). */
  people?: number;
  renamedPeople?: number;
  /** Classes the plan creates (job functions, engagement types, …). */
  newClasses?: number;
}
