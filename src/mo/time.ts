// The one place where MO's time model meets moflow's. moflow works in plain dates ('YYYY-MM-DD', midnight
// Europe/Copenhagen); MO (GraphQL v29+) answers with DateTimes at Copenhagen midnight such as
// '2020-01-01T00:00:00+01:00' and validities that are half-open: `to` is EXCLUSIVE, null is open.
// OPUS, like most HR systems, gives inclusive end dates ("last working day"), with 9999-12-31 for open.

import { offsetMs, wallClockOf } from '../util/copenhagenClock.js';

/** A calendar date 'YYYY-MM-DD', meaning midnight Europe/Copenhagen. */
export type Day = string;

/** A validity in days: [from, to), null for an open end (from: null = since always). */
export interface DayRange {
  from: Day | null;
  to: Day | null;
}

/** OPUS's "no end". */
export const OPUS_OPEN_END = '9999-12-31';

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date 'YYYY-MM-DD' (no 2023-02-29). */
export function isDay(value: string): boolean {
  const m = DAY_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const lastOfMonth = new Date(0);
  lastOfMonth.setUTCFullYear(y, mo, 0);
  return d <= lastOfMonth.getUTCDate();
}

export function assertDay(value: string, what: string): Day {
  if (!isDay(value)) throw new TypeError(`${what} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

/** Calendar arithmetic on dates (no time zone involved). */
export function addDays(day: Day, days: number): Day {
  const m = DAY_RE.exec(day);
  if (!m) throw new TypeError(`not a date YYYY-MM-DD: ${JSON.stringify(day)}`);
  // setUTCFullYear, not Date.UTC, which maps years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days);
  return date.toISOString().slice(0, 10);
}

/**
 * OPUS inclusive end date → MO's exclusive `to`: the last day D becomes D+1; empty, null and
 * 9999-12-31 are open (null).
 */
export function opusEndToMoTo(end: string | null | undefined): Day | null {
  if (end === null || end === undefined) return null;
  const trimmed = end.trim();
  if (trimmed === '' || trimmed === OPUS_OPEN_END) return null;
  return addDays(assertDay(trimmed, 'an OPUS end date'), 1);
}

/** MO's exclusive `to` → the last day it is valid (inclusive), null when open. */
export function moToToInclusiveEnd(to: Day | null): Day | null {
  return to === null ? null : addDays(to, -1);
}

/** Date and whether it is exactly midnight, of an instant on the Copenhagen wall clock. */
function copenhagenWallClock(instant: Date): { day: Day; midnight: boolean } {
  const w = wallClockOf(instant.getTime());
  const midnight = w.hour === '00' && w.minute === '00' && w.second === '00' && instant.getUTCMilliseconds() === 0;
  return { day: `${w.year}-${w.month}-${w.day}`, midnight };
}

/** Today's date in Copenhagen. */
export function copenhagenToday(now: Date = new Date()): Day {
  return copenhagenWallClock(now).day;
}

/** '…T00:00:00', optional zero fraction, and an offset of +01:00 or +02:00. */
const MIDNIGHT_TAIL = /^T00:00:00(?:\.0+)?\+0([12]):00$/;

/** Days of the last Sundays of March and October (EU summer time since 1996), per year. */
const summerTime = new Map<number, readonly [number, number]>();

/**
 * Whether local midnight of this date is summer time (+02:00) in Copenhagen, for 1996–2099 where the EU
 * rule holds: summer time starts at 02:00 on the last Sunday of March (that midnight is still +01:00) and
 * ends at 03:00 on the last Sunday of October (that midnight is +02:00). null outside those years.
 */
function isSummerMidnight(day: string): boolean | null {
  const year = Number(day.slice(0, 4));
  if (year < 1996 || year > 2099) return null;
  const month = Number(day.slice(5, 7));
  if (month < 3 || month > 10) return false;
  if (month > 3 && month < 10) return true;
  let sundays = summerTime.get(year);
  if (!sundays) {
    const lastSunday = (m: number) => 31 - new Date(Date.UTC(year, m - 1, 31)).getUTCDay();
    sundays = [lastSunday(3), lastSunday(10)];
    summerTime.set(year, sundays);
  }
  const date = Number(day.slice(8, 10));
  return month === 3 ? date > sundays[0] : date <= sundays[1];
}

/**
 * A MO DateTime → a date. The hot path (MO's Copenhagen-midnight strings with the right offset for the
 * date, or a date-only string) is a slice; anything else is placed on the Copenhagen wall clock. v29+
 * validities are exact to the second, so a bound that is not midnight is rounded to whole days: 'floor'
 * for `from` (the day it starts in), 'ceil' for an exclusive `to` (a day valid for part of it counts).
 */
export function dayFromMo(value: string | null | undefined, rounding: 'floor' | 'ceil' = 'floor'): Day | null {
  if (value === null || value === undefined) return null;
  if (value.length === 10) return assertDay(value, 'a MO date');
  const tail = MIDNIGHT_TAIL.exec(value.slice(10));
  if (tail) {
    const day = value.slice(0, 10);
    const summer = isSummerMidnight(day);
    if (summer !== null && summer === (tail[1] === '2')) return day;
  }
  const key = rounding === 'floor' ? value : `${value}+`;
  let day = slowPath.get(key);
  if (day === undefined) {
    const instant = parseInstant(value);
    if (Number.isNaN(instant.getTime())) throw new TypeError(`not a MO DateTime: ${JSON.stringify(value)}`);
    const wall = copenhagenWallClock(instant);
    day = wall.midnight || rounding === 'floor' ? wall.day : addDays(wall.day, 1);
    if (slowPath.size >= 100_000) slowPath.clear();
    slowPath.set(key, day);
  }
  return day;
}

/**
 * An ISO instant, including offsets with seconds, which `Date` refuses: MO (Python's zoneinfo) writes
 * Copenhagen's local mean time before 1894 as `+00:53:28`, and persons are valid from birth.
 */
function parseInstant(value: string): Date {
  const m = OFFSET_WITH_SECONDS.exec(value);
  return m ? new Date(Date.parse(`${m[1]}Z`) - offsetMs(m[2]!)) : new Date(value);
}
const OFFSET_WITH_SECONDS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([+-]\d{2}:\d{2}:\d{2})$/;

/**
 * Answers of the wall-clock path, which costs microseconds (Intl): birth dates before 1996 (persons are
 * valid from birth) repeat a lot across 100,000 people.
 */
const slowPath = new Map<string, Day>();

/** MO `validity { from to }` → days, `to` still exclusive. */
export function validityFromMo(validity: { from: string | null; to: string | null }): DayRange {
  return { from: dayFromMo(validity.from, 'floor'), to: dayFromMo(validity.to, 'ceil') };
}
