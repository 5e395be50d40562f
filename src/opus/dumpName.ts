// OPUS dump file names: `ZLPE<YYYYmmddHHMMSS>_delta.xml`, and the date-only `ZLPE<YYYYmmdd>_delta.xml`
// seen in the fixtures. The timestamp is KMD's local time; it is kept as a naive ISO string
// (`2019-09-02T22:42:24`) so ordering is plain string ordering and no time zone sneaks in.

const DUMP_NAME = /^ZLPE(\d{8}|\d{14})_delta\.xml$/;

export interface DumpName {
  name: string;
  /** Naive local timestamp, `YYYY-MM-DDTHH:MM:SS`. */
  timestamp: string;
  /** The dump date `YYYY-MM-DD`: the effective date of the changes it brings. */
  date: string;
}

export type DumpNameResult = { ok: true; dump: DumpName } | { ok: false; reason: string };

export function parseDumpName(name: string): DumpNameResult {
  const m = DUMP_NAME.exec(name);
  if (!m) {
    return { ok: false, reason: 'name does not match ZLPE<YYYYmmddHHMMSS>_delta.xml or ZLPE<YYYYmmdd>_delta.xml' };
  }
  const digits = m[1]!;
  const [y, mo, d, h, mi, s] = [
    digits.slice(0, 4),
    digits.slice(4, 6),
    digits.slice(6, 8),
    digits.slice(8, 10) || '00',
    digits.slice(10, 12) || '00',
    digits.slice(12, 14) || '00',
  ];
  const date = `${y}-${mo}-${d}`;
  if (!isCalendarDate(date)) return { ok: false, reason: `${date} is not a calendar date` };
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return { ok: false, reason: `${h}:${mi}:${s} is not a time of day` };
  }
  return { ok: true, dump: { name, timestamp: `${date}T${h}:${mi}:${s}`, date } };
}

/** True for a valid `YYYY-MM-DD` (proleptic Gregorian, years 0001–9999). On the parse hot path: no regex. */
export function isCalendarDate(value: string): boolean {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const y = digits(value, 0, 4);
  const mo = digits(value, 5, 7);
  const d = digits(value, 8, 10);
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

/** The number written by the decimal digits in value[from, to), or -1 if any is not a digit. */
function digits(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The stable id of a dump used in workflow ids and reports: its timestamp without separators. */
export function dumpKey(dump: Pick<DumpName, 'timestamp'>): string {
  return dump.timestamp.replace(/[-:T]/g, '');
}
