// MO's clock: instants as epoch milliseconds (±Infinity for open ends), dates meaning midnight
// Europe/Copenhagen, and DateTimes answered as ISO text with the Copenhagen offset
// ('2024-01-01T00:00:00+01:00'), as OS2MO does.

import { isDay } from '../mo/time.js';
import { fromCopenhagenWallTime, offsetMs, wallClockOf } from '../util/copenhagenClock.js';

/** An instant in epoch ms; -Infinity / Infinity are the open ends of a validity. */
export type Instant = number;

// The offset may carry seconds: that is how MO (and formatDateTime) write Copenhagen's local mean time before 1894.
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2}(?::\d{2})?)?)?$/;

const midnightCache = new Map<string, Instant>();

/** 'YYYY-MM-DD' → midnight Europe/Copenhagen. Throws on a date that does not exist. */
export function copenhagenMidnight(day: string): Instant {
  const cached = midnightCache.get(day);
  if (cached !== undefined) return cached;
  if (!isDay(day)) throw new TypeError(`not a date: ${JSON.stringify(day)}`);
  const instant = fromCopenhagenWallTime(Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10)));
  if (midnightCache.size > 50_000) midnightCache.clear();
  midnightCache.set(day, instant);
  return instant;
}

/**
 * A DateTime as MO accepts it: a date ('2024-01-01' = midnight Copenhagen), or ISO date-time with an offset
 * or 'Z'; without an offset it is Copenhagen wall time.
 */
export function parseDateTime(text: string): Instant {
  if (text.length === 10) return copenhagenMidnight(text);
  const m = DATE_TIME_RE.exec(text);
  if (!m || !isDay(text.slice(0, 10))) throw new TypeError(`not a DateTime: ${JSON.stringify(text)}`);
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) throw new TypeError(`not a DateTime: ${JSON.stringify(text)}`);
  const ms = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
  const zone = m[8];
  if (!zone) return fromCopenhagenWallTime(Number(m[1]), Number(m[2]), Number(m[3]), hour, minute, second, ms);
  const date = new Date(0);
  date.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  date.setUTCHours(hour, minute, second, ms);
  const offset = zone === 'Z' ? 0 : offsetMs(zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`);
  return date.getTime() - offset;
}

/** The Copenhagen calendar date of an instant, 'YYYY-MM-DD'. */
export function copenhagenDay(instant: Instant): string {
  const w = wallClockOf(instant);
  return `${w.year}-${w.month}-${w.day}`;
}

/** MO truncates validity dates to the day ("many code paths call .date()"): midnight of the instant's day. */
export function startOfCopenhagenDay(instant: Instant): Instant {
  if (!Number.isFinite(instant)) return instant;
  return copenhagenMidnight(copenhagenDay(instant));
}

const formatCache = new Map<Instant, string>();

/** '2024-01-01T00:00:00+01:00' (milliseconds only when not zero). */
export function formatDateTime(instant: Instant): string {
  const cached = formatCache.get(instant);
  if (cached !== undefined) return cached;
  const w = wallClockOf(instant);
  const ms = ((instant % 1000) + 1000) % 1000;
  const fraction = ms ? `.${String(ms).padStart(3, '0')}` : '';
  const text = `${w.year}-${w.month}-${w.day}T${w.hour}:${w.minute}:${w.second}${fraction}${w.offset}`;
  if (formatCache.size > 50_000) formatCache.clear();
  formatCache.set(instant, text);
  return text;
}

/** Instant ↔ PostgreSQL timestamptz text (ISO; '±infinity' for open ends). */
export function toSqlTimestamp(instant: Instant): string {
  if (instant === Infinity) return 'infinity';
  if (instant === -Infinity) return '-infinity';
  return new Date(instant).toISOString();
}

const sqlParseCache = new Map<string, Instant>();

/** PostgreSQL timestamptz output ('2023-12-31 23:00:00+00', 'infinity') → instant; many rows share a value. */
export function parseSqlTimestamp(text: string): Instant {
  const cached = sqlParseCache.get(text);
  if (cached !== undefined) return cached;
  let instant: Instant;
  if (text === 'infinity') instant = Infinity;
  else if (text === '-infinity') instant = -Infinity;
  else {
    const iso = text.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00').replace(/([+-]\d{2}):?(\d{2}):(\d{2})$/, '$1:$2');
    instant = Date.parse(iso);
    if (Number.isNaN(instant)) throw new TypeError(`unexpected timestamptz from PostgreSQL: ${text}`);
  }
  if (sqlParseCache.size > 50_000) sqlParseCache.clear();
  sqlParseCache.set(text, instant);
  return instant;
}

/** A [start, end) window of instants. */
export interface Window {
  start: Instant;
  end: Instant;
}

/**
 * MO's date window (os2mo-api.md §2, mora/graphapi/resolvers.py get_date_interval): both omitted →
 * [now, now+1ms); only the start → that instant; an explicit null is an open end. `undefined` means "not
 * given", `null` "given as null". A null start without an end, and a start after the end, are OS2MO's errors.
 */
export function dateWindow(start: Instant | null | undefined, end: Instant | null | undefined, now: Instant): Window {
  const from = start === undefined ? now : start === null ? -Infinity : start;
  if (end === undefined) {
    if (from === -Infinity) throw new Error('Cannot infer UNSET to_date from interval starting at -infinity');
    return { start: from, end: from + 1 };
  }
  const to = end === null ? Infinity : end;
  if (Number.isFinite(from) && Number.isFinite(to) && from > to) {
    throw new Error(`from_date ${pythonDateTime(from)} must be less than or equal to to_date ${pythonDateTime(to)}`);
  }
  return { start: from, end: to };
}

/** Python's str() of a Copenhagen datetime, as OS2MO's messages quote one: '2024-01-01 00:00:00+01:00'. */
export function pythonDateTime(instant: Instant): string {
  return formatDateTime(instant)
    .replace('T', ' ')
    .replace(/\.(\d{3})(?=[+-])/, '.$1000');
}
