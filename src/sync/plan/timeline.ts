// The one rule behind every OPUS-owned object: compare the timeline OPUS wants with the validity slices MO
// holds, and plan the fewest writes that make them agree. Because the comparison is with MO's actual state
// (not with the previous dump), planning is convergent: after the writes, planning again finds nothing, and
// after a crash half-way it finds exactly the rest.
//
// A dump says how things are *from its date on* (OPUS gives no effective dates for changes), so MO's
// history before the dump date is kept. Objects whose start comes from OPUS (units, engagements, managers)
// are "anchored": when OPUS moves the start, the period before the dump date moves with it.
import { addDays, type Day } from '../../mo/time.js';

/** MO's active periods of one object, oldest first, each with the values the import compares. */
export interface MoPeriod<V> {
  from: Day | null;
  to: Day | null;
  values: V;
}

/** What OPUS wants: active on [from, to) with `values`. */
export interface Wanted<V> {
  from: Day;
  to: Day | null;
  values: V;
}

export type TimelineWrite =
  | { action: 'create'; from: Day; to: Day | null; reason: string }
  | { action: 'update'; from: Day; to: Day | null; reason: string }
  | { action: 'terminate'; from?: Day; to: Day; reason: string };

export interface TimelineOptions<V> {
  /** The dump date: values apply from here on; MO's history before it is kept. */
  effective: Day;
  /** The start comes from OPUS (entryDate, startDate) and may move. */
  anchored: boolean;
  equal: (mo: V, wanted: V) => boolean;
  /** Names the first difference, for the plan's reasons. */
  describe?: (mo: V, wanted: V) => string;
}

/** a < b, where null is the open end (infinity). */
const before = (a: Day | null, b: Day | null): boolean => a !== null && (b === null || a < b);
const maxDay = (a: Day, b: Day): Day => (a > b ? a : b);

/**
 * Writes that make MO's periods match `wanted` (or, when `wanted` is null, make the object inactive from
 * the effective date on). `mo` holds the active periods only; an empty list means MO has no such object.
 */
export function planTimeline<V>(mo: MoPeriod<V>[], wanted: Wanted<V> | null, options: TimelineOptions<V>): TimelineWrite[] {
  const x = options.effective;
  if (mo.length === 0) {
    if (!wanted || (wanted.to !== null && wanted.to <= wanted.from)) return [];
    return [{ action: 'create', from: wanted.from, to: wanted.to, reason: 'new in OPUS' }];
  }
  const moStart = mo[0]!.from;
  const moEnd = mo.at(-1)!.to;

  if (!wanted) {
    // Inactive from the effective date on: nothing to do if MO ends by then.
    if (moEnd !== null && moEnd <= x) return [];
    const to = moStart !== null && moStart > x ? moStart : x;
    return [{ action: 'terminate', to, reason: 'gone from OPUS' }];
  }

  const writes: TimelineWrite[] = [];
  if (options.anchored) {
    if (moStart !== null && moStart < wanted.from) {
      // OPUS moved the start later: the period before it was never real.
      writes.push({ action: 'terminate', from: moStart, to: wanted.from, reason: `start moved to ${wanted.from}` });
    } else if (moStart !== null && wanted.from < moStart) {
      // OPUS moved the start earlier: fill the period up to MO's old start (or the effective date).
      const fillTo = moStart < x ? moStart : maxDay(x, wanted.from);
      if (wanted.from < fillTo) {
        writes.push({ action: 'update', from: wanted.from, to: wanted.to !== null && wanted.to < fillTo ? wanted.to : fillTo, reason: `start moved to ${wanted.from}` });
      }
    }
  }

  // From the effective date (or the wanted start, if later) to the wanted end, MO must hold exactly the
  // wanted values without gaps.
  const from = maxDay(x, wanted.from);
  if (wanted.to === null || from < wanted.to) {
    const problem = coverageProblem(mo, wanted.values, from, wanted.to, options);
    if (problem) writes.push({ action: 'update', from, to: wanted.to, reason: problem });
  }

  // After the wanted end, MO must hold nothing.
  if (wanted.to !== null && before(wanted.to, moEnd)) {
    writes.push({ action: 'terminate', to: wanted.to, reason: `ends ${addDays(wanted.to, -1)}` });
  }
  return writes;
}

/** Why MO's periods do not hold `values` on all of [from, to), or null when they do. */
function coverageProblem<V>(mo: MoPeriod<V>[], values: V, from: Day, to: Day | null, options: TimelineOptions<V>): string | null {
  let covered: Day = from;
  for (const period of mo) {
    if (period.to !== null && period.to <= covered) continue; // ends before the region
    if (to !== null && period.from !== null && period.from >= to) break; // starts after the region
    if (period.from !== null && period.from > covered) return `not active from ${covered}`;
    if (!options.equal(period.values, values)) {
      return options.describe ? options.describe(period.values, values) : 'changed in OPUS';
    }
    if (period.to === null) return null;
    covered = period.to;
    if (to !== null && covered >= to) return null;
  }
  return `not active from ${covered}`;
}
