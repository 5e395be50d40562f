// Validity slices over plain dates: `[from, to)`, null open. 'YYYY-MM-DD' strings compare correctly as
// strings, so no Date objects are needed.
import { SnapshotError, type SnapshotObjectKind } from './errors.js';
import type { Day, Validity } from './snapshot.js';

const DAY_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function isDayText(value: unknown): value is Day {
  return typeof value === 'string' && DAY_RE.test(value);
}

/** Valid on `day`. */
export function covers(v: Validity, day: Day): boolean {
  return (v.from === null || v.from <= day) && (v.to === null || day < v.to);
}

/** Overlaps `[day, ∞)`: valid on `day` or later ("current and known future"). */
export function reaches(v: Validity, day: Day): boolean {
  return v.to === null || day < v.to;
}

/** Sort key of a start: an open start sorts first, as DIPEX's cache turned it into 0001-01-01. */
export function startKey(v: Validity): string {
  return v.from ?? '0001-01-01';
}

export function describe(v: Validity): string {
  return `[${v.from ?? '-∞'}, ${v.to ?? '∞'})`;
}

/**
 * The object's slices in time order, after checking that each validity is a well-formed, non-empty range and
 * that no two overlap (MO never returns overlapping slices; if it did, "the slice valid today" would be
 * ambiguous).
 */
export function orderedSlices<S extends Validity>(kind: SnapshotObjectKind, uuid: string, slices: readonly S[]): readonly S[] {
  if (!Array.isArray(slices)) throw new SnapshotError(kind, uuid, 'has no validities list');
  let sorted = true;
  for (let i = 0; i < slices.length; i++) {
    const v = slices[i]!;
    if ((v.from !== null && !isDayText(v.from)) || (v.to !== null && !isDayText(v.to))) {
      throw new SnapshotError(kind, uuid, `has a validity whose from/to are not dates YYYY-MM-DD or null: from=${JSON.stringify(v.from)} to=${JSON.stringify(v.to)}`);
    }
    if (v.from !== null && v.to !== null && v.from >= v.to) {
      throw new SnapshotError(kind, uuid, `has an empty validity ${describe(v)} (to is exclusive)`);
    }
    if (i > 0 && startKey(slices[i - 1]!) > startKey(v)) sorted = false;
  }
  const ordered = sorted ? slices : [...slices].sort((a, b) => (startKey(a) < startKey(b) ? -1 : startKey(a) > startKey(b) ? 1 : 0));
  for (let i = 1; i < ordered.length; i++) {
    const prev = ordered[i - 1]!;
    const cur = ordered[i]!;
    if (prev.to === null || cur.from === null || cur.from < prev.to) {
      throw new SnapshotError(kind, uuid, `has overlapping validities ${describe(prev)} and ${describe(cur)}`);
    }
  }
  return ordered;
}

/** The slice valid on `day`, if any. */
export function sliceAt<S extends Validity>(slices: readonly S[], day: Day): S | undefined {
  for (const s of slices) if (covers(s, day)) return s;
  return undefined;
}

/** The first slice valid on `day` or later — the current one, else the first future one. `slices` ordered. */
export function firstSliceFrom<S extends Validity>(slices: readonly S[], day: Day): S | undefined {
  for (const s of slices) if (reaches(s, day)) return s;
  return undefined;
}
