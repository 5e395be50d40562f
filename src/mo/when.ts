// Which time window a read looks at (os2mo-api.md §2 "Date filters"). The same window goes to the
// collection filter (which objects) and to `validities(start, end)` / `current(at)` (which versions),
// since MO does not carry filter dates into nested fields.
import { assertDay, copenhagenToday, type Day } from './time.js';

/**
 * - `'current'`: what is valid now (MO's default), one slice per object;
 * - `{ at: day }`: what is valid on that day;
 * - `{ from, to }`: every slice overlapping [from, to) (null = open on that side);
 * - `'future'`: valid today or later; `'history'`: valid before today; `'all'`: every slice ever.
 */
export type MoWhen = 'current' | 'future' | 'history' | 'all' | { at: Day } | { from: Day | null; to: Day | null };

export interface WindowVariables {
  /** Spread into the collection filter; absent keys mean MO's "now" default, null means open. */
  filterDates: { from_date?: Day | null; to_date?: Day | null };
  /** Variables for `validities(start: $start, end: $end)` / `current(at: $at)`; absent = MO default. */
  start?: Day | null;
  end?: Day | null;
  at?: Day;
}

export function windowVariables(when: MoWhen = 'current', today: () => Day = copenhagenToday): WindowVariables {
  if (when === 'current') return { filterDates: {} };
  if (typeof when === 'object' && 'at' in when) {
    const at = assertDay(when.at, 'at');
    return { filterDates: { from_date: at }, start: at, at };
  }
  const { from, to } =
    when === 'future' ? { from: today(), to: null } : when === 'history' ? { from: null, to: today() } : when === 'all' ? { from: null, to: null } : when;
  if (from !== null) assertDay(from, 'from');
  if (to !== null) assertDay(to, 'to');
  return { filterDates: { from_date: from, to_date: to }, start: from, end: to };
}

export function describeWhen(when: MoWhen): string {
  return typeof when === 'string' ? when : 'at' in when ? `at ${when.at}` : `[${when.from ?? '-∞'}, ${when.to ?? '∞'})`;
}
