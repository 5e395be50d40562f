// Times as people read them: Copenhagen wall time with its zone (CET or CEST), so nobody takes them for the
// log lines' UTC ("…Z"). Used by `moflow opus status`, `opus dumps` and `npm start`'s summary.

const copenhagen = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen', dateStyle: 'short', timeStyle: 'long' });

/** "2024-01-05 23:40:12 CET"; "?" when there is no time. */
export const stamp = (d: Date | undefined): string => (d ? copenhagen.format(d) : '?');

/** A dump's timestamp (OPUS writes Copenhagen wall time, without a zone) with its zone: "2024-01-05 22:40:12 CET". */
export function dumpTime(timestamp: string): string {
  // The zone of that day; near the switch to summer time the hour may be off, the day never.
  const zone = stamp(new Date(`${timestamp}Z`)).split(' ').at(-1);
  return `${timestamp.replace('T', ' ')} ${zone}`;
}
