// One day of change in the unit tree: new units, closures, renames, new addresses or phones, and units
// moved under another parent. Only a small leaf unit is closed, after its staff have moved elsewhere;
// it then stays in the dumps with its endDate for a few days before it vanishes.
import { addDays, daysBetween } from './calendar.js';
import type { ChangeLog } from './changeLog.js';
import { another, newUnit, phoneNumber, randomPlace, unitName } from './factories.js';
import { isOpen, moveEmployment, type Unit, type World } from './model.js';
import { abbreviate } from './names.js';
import type { Random } from './prng.js';

/** Expected events per day, as a share of units. */
const RATES = { create: 0.003, close: 0.003, rename: 0.002, contact: 0.002, reparent: 0.001 };

export function evolveUnits(world: World, rng: Random, today: string, log: ChangeLog): void {
  const times = (rate: number, atLeastOnce = false) => {
    const n = rng.round(world.units.length * rate * (0.5 + rng.next()));
    return atLeastOnce ? Math.max(1, n) : n;
  };
  // New units and closures happen every day, and renames, new addresses and moves in turn, so that
  // even a small tree exercises every kind of unit change within three days.
  const turn = daysBetween('2000-01-01', today) % 3;
  // Only small units (≤ 0.2% of all staff) close, so that a closure's moves stay within the day's ~1%.
  const small = Math.max(2, Math.round(world.active.length * 0.002));
  for (let i = times(RATES.create, true); i > 0; i--) createUnit(world, rng, today);
  for (let i = times(RATES.close, true); i > 0; i--) closeUnit(world, rng, today, small, log);
  for (let i = times(RATES.rename, turn === 0); i > 0; i--) renameUnit(world, rng, today, log);
  for (let i = times(RATES.contact, turn === 1); i > 0; i--) recontactUnit(world, rng, today, log);
  for (let i = times(RATES.reparent, turn === 2); i > 0; i--) reparentUnit(world, rng, today, log);
}

function openUnits(world: World, today: string, wanted: (u: Unit) => boolean): Unit[] {
  return world.units.filter((u) => isOpen(u, today) && wanted(u));
}

/** Open units that existed before today: a unit made today is simply new, not also changed. */
function olderUnits(world: World, today: string, wanted: (u: Unit) => boolean): Unit[] {
  return openUnits(world, today, (u) => u.startDate < today && wanted(u));
}

/** A new unit under an open unit; some are announced ahead with a future startDate. */
function createUnit(world: World, rng: Random, today: string): void {
  const parents = openUnits(world, today, (u) => u.depth >= 1 && u.depth <= 4);
  if (parents.length === 0) return;
  const parent = rng.pick(parents);
  const start = rng.chance(0.8) ? today : addDays(today, rng.between(7, 30));
  world.units.push(newUnit(world, rng, parent, parent.profile, start, today));
}

/**
 * Closes a leaf unit with at most `maxStaff` people, moving them to a sibling (or the parent) first.
 * Never a unit opened today, which would appear already closed.
 */
export function closeUnit(world: World, rng: Random, today: string, maxStaff: number, log: ChangeLog): Unit | null {
  const leaves = olderUnits(world, today, (u) => u.depth >= 2 && u.children === 0 && u.headcount <= maxStaff);
  if (leaves.length === 0) return null;
  const empty = leaves.filter((u) => u.headcount === 0);
  const unit = rng.pick(empty.length > 0 && rng.chance(0.7) ? empty : leaves);
  if (unit.headcount > 0) {
    const siblings = openUnits(world, today, (u) => u.parent === unit.parent && u !== unit);
    const target = siblings.length > 0 ? rng.pick(siblings) : unit.parent!;
    for (const e of world.employments) {
      if (e.state === 'active' && e.unit === unit) {
        log.employment(e);
        moveEmployment(e, target);
      }
    }
  }
  log.unit(unit);
  unit.endDate = today;
  unit.vanishOn = addDays(today, rng.between(1, 6));
  return unit;
}

function renameUnit(world: World, rng: Random, today: string, log: ChangeLog): void {
  const units = olderUnits(world, today, (u) => u.depth >= 1);
  if (units.length === 0) return;
  const unit = rng.pick(units);
  log.unit(unit);
  unit.longName = another(unit.longName, () => unitName(world, rng, unit.depth, unit.profile, rng.int(10)));
  unit.shortName = abbreviate(unit.longName);
}

/** A unit moves to a new address or gets a new phone number. */
function recontactUnit(world: World, rng: Random, today: string, log: ChangeLog): void {
  const units = olderUnits(world, today, () => true);
  if (units.length === 0) return;
  const unit = rng.pick(units);
  log.unit(unit);
  if (rng.chance(0.5)) unit.place = randomPlace(world, rng);
  else unit.phone = another(unit.phone, () => phoneNumber(rng));
}

/** A unit moves under another unit one level up, so depths (and names by depth) stay true. */
function reparentUnit(world: World, rng: Random, today: string, log: ChangeLog): void {
  const units = olderUnits(world, today, (u) => u.depth >= 2);
  if (units.length === 0) return;
  const unit = rng.pick(units);
  const parents = openUnits(world, today, (u) => u.depth === unit.depth - 1 && u !== unit.parent);
  if (parents.length === 0) return;
  const parent = rng.pick(parents);
  log.unit(unit);
  unit.parent!.children--;
  parent.children++;
  unit.parent = parent;
}
