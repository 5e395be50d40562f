// The Copenhagen wall clock, the one reading of Europe/Copenhagen time that MO's dates rest on: the local
// MO formats and parses DateTimes with it, the MO client turns odd DateTimes into days with it.

const wallClock = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
});

export interface WallClock {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  /** '+01:00' */
  offset: string;
}

export function wallClockOf(instant: number): WallClock {
  const parts: Record<string, string> = {};
  for (const part of wallClock.formatToParts(instant)) parts[part.type] = part.value;
  const zone = parts.timeZoneName ?? 'GMT';
  return {
    year: parts.year ?? '',
    month: parts.month ?? '',
    day: parts.day ?? '',
    hour: parts.hour ?? '',
    minute: parts.minute ?? '',
    second: parts.second ?? '',
    offset: zone === 'GMT' ? '+00:00' : zone.slice(3),
  };
}

/** '+01:00' (or '+00:50:20', local mean time before 1894) → milliseconds. */
export function offsetMs(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * ((Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6) || 0)) * 60 + Number(offset.slice(7, 9) || 0)) * 1000;
}

/** Copenhagen wall time (no offset) → epoch ms. DST switches happen at 01:00 UTC, never near midnight; a time in the spring gap moves on an hour. */
export function fromCopenhagenWallTime(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  const asUtc = date.getTime();
  const first = asUtc - offsetMs(wallClockOf(asUtc).offset);
  return asUtc - offsetMs(wallClockOf(first).offset);
}
