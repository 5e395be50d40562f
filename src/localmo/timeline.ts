// The valid-time history of one object as ordered, non-overlapping slices [from, to). An inactive slice is a
// terminated period: MO keeps the attributes (LoRa flips `gyldighed` only), so a later update over it
// re-activates the period with those attributes. Pure functions; storage lives in store.ts.
import type { Data } from './kinds.js';
import type { Instant } from './time.js';

export interface Slice {
  from: Instant;
  to: Instant;
  active: boolean;
  data: Data;
}

/** The active slice containing `at`, or null. */
export function activeSliceAt(slices: readonly Slice[], at: Instant): Slice | null {
  for (const slice of slices) if (slice.active && slice.from <= at && at < slice.to) return slice;
  return null;
}

/** Active slices overlapping [start, end). */
export function activeSlicesIn(slices: readonly Slice[], start: Instant, end: Instant): Slice[] {
  return slices.filter((s) => s.active && s.from < end && s.to > start);
}

/**
 * Writes [from, to) with `patch` applied to the attributes in force there: slices are split at the window's
 * edges, parts inside become active with patched data, and uncovered parts of the window take the patched
 * attributes of the nearest slice (MO's edit marks the whole edited period active).
 */
export function applyUpdate(slices: readonly Slice[], from: Instant, to: Instant, patch: (data: Data) => Data): Slice[] {
  const sorted = [...slices].sort((a, b) => a.from - b.from);
  const out: Slice[] = [];
  for (const s of sorted) {
    if (s.from < from) out.push({ ...s, to: Math.min(s.to, from) });
    const start = Math.max(s.from, from);
    const end = Math.min(s.to, to);
    if (start < end) out.push({ from: start, to: end, active: true, data: patch(s.data) });
    if (s.to > to) out.push({ ...s, from: Math.max(s.from, to) });
  }
  // Fill the gaps of the window that no slice covered.
  let cursor = from;
  const inWindow = sorted.filter((s) => s.from < to && s.to > from);
  for (const s of [...inWindow, null]) {
    const gapEnd = s ? Math.max(s.from, from) : to;
    if (cursor < gapEnd) out.push({ from: cursor, to: gapEnd, active: true, data: patch(nearestData(sorted, cursor)) });
    if (s) cursor = Math.max(cursor, Math.min(s.to, to));
  }
  return normalise(out);
}

/** Marks [from, to) inactive; `from: null` terminates from `to` onwards. */
export function applyTerminate(slices: readonly Slice[], from: Instant | null, to: Instant): Slice[] {
  const [start, end] = from === null ? [to, Infinity] : [from, to];
  const out: Slice[] = [];
  for (const s of [...slices].sort((a, b) => a.from - b.from)) {
    if (s.to <= start || s.from >= end) {
      out.push(s);
      continue;
    }
    if (s.from < start) out.push({ ...s, to: start });
    out.push({ ...s, from: Math.max(s.from, start), to: Math.min(s.to, end), active: false });
    if (s.to > end) out.push({ ...s, from: end });
  }
  return normalise(out);
}

/** The attributes in force at `at`, else of the closest slice before it, else of the first one after. */
function nearestData(sorted: readonly Slice[], at: Instant): Data {
  let before: Slice | null = null;
  for (const s of sorted) {
    if (s.from <= at) before = s;
    else return (before ?? s).data;
  }
  return before?.data ?? {};
}

/** Sorted, empty slices dropped, neighbours with equal state merged. */
export function normalise(slices: readonly Slice[]): Slice[] {
  const out: Slice[] = [];
  for (const s of [...slices].sort((a, b) => a.from - b.from)) {
    if (!(s.from < s.to)) continue;
    const last = out[out.length - 1];
    if (last && last.to === s.from && last.active === s.active && sameData(last.data, s.data)) last.to = s.to;
    else out.push({ ...s });
  }
  return out;
}

export function sameData(a: Data, b: Data): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => k in b && JSON.stringify(a[k]) === JSON.stringify(b[k]));
}
