// RSD's StartdatoEngagement is MO's raw `validity.from`: a DateTime at midnight Europe/Copenhagen written by
// Python's isoformat, e.g. "2000-06-29T00:00:00+02:00" (spec §1.3, §7.9). The snapshot keeps plain dates, so
// the offset is put back here from the time zone rules (Node ships full ICU).
import type { Day } from './snapshot.js';

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Copenhagen', timeZoneName: 'longOffset' });

/**
 * `2000-06-29` → `2000-06-29T00:00:00+02:00`. Denmark changes clocks at 01:00 UTC, so the offset in force at
 * 00:00 UTC on a day is the offset of local midnight of that day.
 */
export function copenhagenMidnight(day: Day): string {
  const instant = new Date(0);
  instant.setUTCFullYear(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
  const name = offsetFormat.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  // "GMT+02:00", or "GMT" for a zero offset.
  const offset = name === 'GMT' ? '+00:00' : name.slice(3);
  return `${day}T00:00:00${offset}`;
}
