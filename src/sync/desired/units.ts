// OPUS units → the units MO should hold (spec §3.3 with moflow's decisions): DIPEX's uuids, parents before
// children whatever the file order, the filtered subtree computed on the dump's full tree, unit end dates
// honoured, each unit kept within its parent's validity (OS2MO refuses a unit outside it), and a broken tree
// (unknown parent, cycle, a unit wholly outside its parent's validity) blocking only the affected subtree.
import { addDays, OPUS_OPEN_END, opusEndToMoTo, type Day } from '../../mo/time.js';
import type { OrgUnit } from '../../opus/records.js';
import { UNIT_ADDRESS, unitTypeClass } from '../mapping/classes.js';
import type { OpusUuids } from '../uuids.js';
import type { AddressWish, DesiredAddress, DesiredUnit, ImportIssue } from './types.js';

export interface UnitContext {
  uuids: OpusUuids;
  /** OPUS ids whose whole subtree is not imported. */
  filterIds: ReadonlySet<string>;
  unitUserKey: '@id' | 'shortName';
  /** The postal address of a unit, looked up in DAR (pre-resolved by the caller). */
  postalAddress: (street: string, zipCode: string) => AddressWish;
  /** Units the reader rejected (their own issue says why): in the dump, though not among `records`. */
  rejectedIds?: ReadonlySet<string>;
}

/**
 * [from, to) kept within its unit's validity (MO refuses an object outside it); left as it is when the unit is
 * not known. The result is empty (to <= from) when the two do not overlap.
 */
export function withinUnit(from: Day, to: Day | null, unit: { from: Day; to: Day | null } | undefined): { from: Day; to: Day | null } {
  return {
    from: unit && unit.from > from ? unit.from : from,
    to: unit?.to != null && (to === null || unit.to < to) ? unit.to : to,
  };
}

export interface UnitsWanted {
  /** Importable units, parents before children. */
  units: DesiredUnit[];
  /** Units of the dump inside a filtered subtree: MO must not hold them. */
  filtered: Set<string>;
  /** Units of the dump the import cannot place (unknown parent, cycle), and their subtrees: left alone. */
  blocked: Set<string>;
  issues: ImportIssue[];
}

/** DIPEX's default start for a unit without one (spec §1.3). */
const DEFAULT_START = '1900-01-01';

export function desiredUnits(records: readonly OrgUnit[], ctx: UnitContext): UnitsWanted {
  const byId = new Map(records.map((u) => [u.id, u]));
  const issues: ImportIssue[] = [];
  const placed = new Map<string, { state: 'ok' | 'filtered' | 'blocked'; depth: number }>();

  for (const unit of records) {
    // Walk up until a unit already placed, the top, a missing parent or a cycle; then place the chain
    // from the top down, so each unit is walked once and each problem reported once.
    const chain: string[] = [];
    const onChain = new Set<string>();
    let top: { state: 'ok' | 'filtered' | 'blocked'; depth: number } = { state: 'ok', depth: -1 };
    for (let id: string | null = unit.id; id !== null; ) {
      const known = placed.get(id);
      if (known) {
        top = known;
        break;
      }
      const current = byId.get(id);
      if (!current) {
        const child = chain.at(-1)!;
        const message = ctx.rejectedIds?.has(id)
          ? `the parent unit ${id} of unit ${child} was rejected (its own issue says why); unit ${child} and its subtree are left as MO has them`
          : `the parent unit ${id} of unit ${child} is not in the dump; unit ${child} and its subtree are not imported`;
        issues.push({ opusId: child, kind: 'orgUnit', message, source: byId.get(child)!.source });
        top = { state: 'blocked', depth: -1 };
        break;
      }
      if (onChain.has(id)) {
        issues.push({ opusId: id, kind: 'orgUnit', message: `unit ${id} is its own ancestor (a parent cycle); the units of the cycle and their subtrees are not imported`, source: current.source });
        top = { state: 'blocked', depth: -1 };
        break;
      }
      chain.push(id);
      onChain.add(id);
      id = current.parentOrgUnit;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const id = chain[i]!;
      const state = top.state === 'blocked' ? 'blocked' : top.state === 'filtered' || ctx.filterIds.has(id) ? 'filtered' : 'ok';
      top = { state, depth: top.depth + 1 };
      placed.set(id, top);
    }
  }

  const units: DesiredUnit[] = [];
  const filtered = new Set<string>();
  const blocked = new Set<string>();
  const wanted = new Map<string, DesiredUnit>();
  const ordered = [...records].sort((a, b) => placed.get(a.id)!.depth - placed.get(b.id)!.depth);
  for (const unit of ordered) {
    const { state } = placed.get(unit.id)!;
    if (state === 'filtered') filtered.add(unit.id);
    else if (state === 'blocked') blocked.add(unit.id);
    else {
      // Parents come first, so the parent's validity is already clipped to its own parent's.
      const parent = unit.parentOrgUnit === null ? null : wanted.get(unit.parentOrgUnit);
      if (parent === undefined) {
        blocked.add(unit.id); // its parent lies wholly outside the grandparent (reported there)
        continue;
      }
      const desired = withinParent(desiredUnit(unit, ctx, issues), parent, issues);
      if (desired === null) blocked.add(unit.id);
      else {
        units.push(desired);
        wanted.set(unit.id, desired);
      }
    }
  }
  return { units, filtered, blocked, issues };
}

/** An OPUS end date (inclusive) for messages: MO's exclusive `to` less a day. */
const endText = (to: Day | null): string => (to === null ? 'open' : addDays(to, -1));

/**
 * The unit kept within its parent's validity, as engagements are kept within their unit's (withinUnit): OS2MO
 * refuses a unit that starts before or ends after its parent ("Date range exceeds validity range of associated
 * org unit"). The parent is already clipped, so the rule holds down the whole tree. Every clip is reported with
 * the unit, OPUS's date and MO's; a unit wholly outside its parent's validity cannot be placed and is blocked
 * (null), with its subtree.
 */
function withinParent(unit: DesiredUnit, parent: DesiredUnit | null, issues: ImportIssue[]): DesiredUnit | null {
  if (parent === null) return unit;
  const { from, to } = withinUnit(unit.from, unit.to, parent);
  const issue = (message: string) => issues.push({ opusId: unit.opusId, kind: 'orgUnit', message, source: unit.source });
  const where = `its parent unit ${parent.opusId} (valid ${parent.from} to ${endText(parent.to)} in MO)`;
  if (to !== null && to <= from) {
    issue(`unit ${unit.opusId} (${unit.from} to ${endText(unit.to)} in OPUS) lies wholly outside the validity of ${where}; unit ${unit.opusId} and its subtree are not imported`);
    return null;
  }
  if (from !== unit.from) issue(`unit ${unit.opusId} starts ${unit.from} in OPUS, before ${where}; it starts ${from} in MO`);
  if (to !== unit.to) issue(`unit ${unit.opusId} ends ${endText(unit.to)} in OPUS, after ${where}; it ends ${endText(to)} in MO`);
  return from === unit.from && to === unit.to ? unit : { ...unit, from, to };
}

function desiredUnit(unit: OrgUnit, ctx: UnitContext, issues: ImportIssue[]): DesiredUnit {
  const issue = (message: string) => issues.push({ opusId: unit.id, kind: 'orgUnit', message, source: unit.source });
  let userKey = unit.id;
  if (ctx.unitUserKey === 'shortName') {
    if (unit.shortName) userKey = unit.shortName;
    else issue(`unit ${unit.id} has no shortName for its user_key (integrations.opus.unit_user_key); its id is used`);
  }
  const name = unit.longName ?? unit.shortName ?? unit.id;
  if (!unit.longName) issue(`unit ${unit.id} has no longName; "${name}" is used as its name`);
  const from: Day = unit.startDate ?? DEFAULT_START;
  const to = unit.endDate === null || unit.endDate === OPUS_OPEN_END ? null : opusEndToMoTo(unit.endDate);
  return {
    opusId: unit.id,
    uuid: ctx.uuids.unit(unit.id),
    parentUuid: unit.parentOrgUnit === null ? null : ctx.uuids.unit(unit.parentOrgUnit),
    userKey,
    name,
    unitType: unitTypeClass(unit.orgType, unit.orgTypeTxt),
    from,
    to,
    addresses: unitAddresses(unit, ctx),
    source: unit.source,
  };
}

function unitAddresses(unit: OrgUnit, ctx: UnitContext): DesiredAddress[] {
  const plain = (value: string | null): AddressWish =>
    value === null ? { kind: 'none', why: 'not in OPUS' } : { kind: 'value', value, visibility: null };
  const postal: AddressWish =
    unit.street && unit.zipCode ? ctx.postalAddress(unit.street, unit.zipCode) : { kind: 'none', why: 'no street and zip code in OPUS' };
  return [
    { type: UNIT_ADDRESS.se, wish: plain(unit.seNr) },
    { type: UNIT_ADDRESS.cvr, wish: plain(unit.cvrNr) },
    { type: UNIT_ADDRESS.ean, wish: plain(unit.eanNr) },
    { type: UNIT_ADDRESS.pNumber, wish: plain(unit.pNr) },
    // Unit phone numbers are taken as they are (DIPEX applies parse_phone to employees only).
    { type: UNIT_ADDRESS.phone, wish: plain(unit.phoneNumber) },
    { type: UNIT_ADDRESS.postal, wish: postal },
  ];
}
