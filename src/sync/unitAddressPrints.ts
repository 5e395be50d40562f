// Which units' addresses a nightly delta compares with MO. On OS2MO, reading every unit's addresses costs
// about 12 s a night with 1,000 units, most of a delta; yet a unit's addresses change only when what the dump
// wants of them changes: its OPUS record, the DAR answer for its street, the settings, or the unit's
// validity (addresses are clipped to it). A print of exactly that, kept in the dump's digest, tells tonight
// which units to compare. A unit whose look-up DAR did not answer gets no print, so it is compared again the
// next night, when DAR may answer. Units the plan writes anyway have their addresses read then (importDump.ts).
import { createHash } from 'node:crypto';
import type { DesiredUnit } from './desired/types.js';

/** The print of what the dump wants of a unit's addresses; '' when a wish waits for DAR (never equal). */
export function unitAddressPrint(unit: DesiredUnit): string {
  if (unit.addresses.some((a) => a.wish.kind === 'keep' && a.wish.retry === true)) return '';
  const wanted = unit.addresses.map((a) => [a.type, a.wish.kind === 'value' ? [a.wish.value, a.wish.visibility] : a.wish.kind]);
  return createHash('sha256').update(JSON.stringify([unit.from, unit.to, wanted])).digest('base64url').slice(0, 22);
}

/** Tonight's prints, by unit uuid. */
export function unitAddressPrints(units: readonly DesiredUnit[]): Map<string, string> {
  return new Map(units.map((u) => [u.uuid, unitAddressPrint(u)]));
}

/** The units (uuids) whose print differs from the previous dump's, or that the previous dump lacked. */
export function unitsWithChangedAddresses(tonight: ReadonlyMap<string, string>, previous: ReadonlyMap<string, string>): Set<string> {
  const changed = new Set<string>();
  for (const [uuid, print] of tonight) if (print === '' || previous.get(uuid) !== print) changed.add(uuid);
  return changed;
}
