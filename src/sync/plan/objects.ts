// Shared steps of the per-kind planners: MO objects as timeline periods, choosing which MO object an OPUS
// object is, and the plan context every planner gets.
import type { Day, MoTemporal, SliceBase } from '../../mo/index.js';
import type { ImportIssue } from '../desired/types.js';
import type { OpusUuids } from '../uuids.js';
import type { Catalog } from './catalog.js';
import type { MoPeriod } from './timeline.js';
import type { PlanOp } from './types.js';

export interface PlanContext {
  /** The dump date: changes take effect from here. */
  effective: Day;
  uuids: OpusUuids;
  catalog: Catalog;
  ops: PlanOp[];
  issues: ImportIssue[];
  unchanged: Record<string, number>;
  /** uuids of objects this plan creates (persons, units): writes referring to them need them. */
  creates: Set<string>;
}

export function countUnchanged(ctx: PlanContext, kind: string): void {
  ctx.unchanged[kind] = (ctx.unchanged[kind] ?? 0) + 1;
}

/** The uuids among `refs` that this plan creates. */
export function needsOf(ctx: PlanContext, ...refs: (string | null | undefined)[]): string[] {
  return refs.filter((r): r is string => typeof r === 'string' && (ctx.creates.has(r) || ctx.catalog.isPlanned(r)));
}

/** An MO object's slices as periods with the compared values; consecutive equal slices merge. */
export function periodsOf<S extends SliceBase, V>(object: MoTemporal<S> | undefined, values: (slice: S) => V, equal: (a: V, b: V) => boolean): MoPeriod<V>[] {
  if (!object) return [];
  const out: MoPeriod<V>[] = [];
  for (const slice of object.validities) {
    const v = values(slice);
    const last = out.at(-1);
    if (last && last.to !== null && last.to === slice.from && equal(last.values, v)) last.to = slice.to;
    else out.push({ from: slice.from, to: slice.to, values: v });
  }
  return out;
}

/**
 * Which of MO's candidates is the OPUS object: the one with moflow's deterministic uuid, else the one
 * active last (e.g. created by DIPEX). Several candidates without the deterministic uuid are reported.
 */
export function pickObject<S extends SliceBase>(
  candidates: MoTemporal<S>[] | undefined,
  deterministic: string,
  onAmbiguous: (count: number) => void,
): MoTemporal<S> | undefined {
  if (!candidates || candidates.length === 0) return undefined;
  const own = candidates.find((c) => c.uuid === deterministic);
  if (own) return own;
  if (candidates.length > 1) onAmbiguous(candidates.length);
  return [...candidates].sort((a, b) => lastEnd(b).localeCompare(lastEnd(a)))[0];
}

function lastEnd(object: MoTemporal<SliceBase>): string {
  const to = object.validities.at(-1)?.to;
  return to === undefined ? '' : (to ?? '9999-99-99');
}

export const sameStrings = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
