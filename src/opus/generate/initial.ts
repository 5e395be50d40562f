// The state of the municipality on the first dump: a unit tree, people, employments, managers, roles
// and some leave stubs (and a few units closed just before), all from one seeded random stream.
import { addDays, addYears, daysBetween } from './calendar.js';
import { ChangeLog } from './changeLog.js';
import { managerPosition, newEmployment, newPerson, newUnit, randomFunction } from './factories.js';
import { activate, setManager, type Employment, type Person, type Unit, type World } from './model.js';
import { MUNICIPALITIES, PROFILES } from './names.js';
import { randomFor, type Random } from './prng.js';
import { closeUnit } from './unitChanges.js';

export interface WorldOptions {
  units: number;
  employees: number;
  seed: number;
  startDate: string;
  faults: boolean;
}

export function createWorld(options: WorldOptions): World {
  const rng = randomFor(options.seed, 'world');
  const world: World = {
    client: '813',
    municipality: rng.pick(MUNICIPALITIES),
    cvr: String(rng.between(1, 9)) + rng.digits(7),
    faults: options.faults,
    units: [],
    employments: [],
    active: [],
    cprs: new Set(),
    nextUnitId: 1,
    nextEmploymentId: 10_000 + rng.int(5_000),
  };
  buildTree(world, rng, Math.max(1, options.units), options.startDate);
  populate(world, rng, options.employees, options.startDate);
  return world;
}

/** A date in [from, to], both included (`to` wins when the range is empty). */
export function dateBetween(rng: Random, from: string, to: string): string {
  const span = daysBetween(from, to);
  return span <= 0 ? to : addDays(from, rng.int(span + 1));
}

/** How many units each level of the tree gets: root, directorates, centres, departments, institutions, teams. */
function levelSizes(total: number): number[] {
  const sizes = [1];
  let left = total - 1;
  const directorates = Math.min(left, Math.max(2, Math.min(8, Math.round(Math.sqrt(total) / 2.2))));
  sizes.push(directorates);
  left -= directorates;
  const below = left;
  for (const share of [0.15, 0.3, 0.42]) {
    const n = Math.min(left, Math.max(1, Math.round(below * share)));
    sizes.push(n);
    left -= n;
  }
  sizes.push(left);
  return sizes.filter((n) => n > 0);
}

/**
 * Builds the tree level by level (each unit under a random unit one level up), then numbers it depth
 * first so a parent always has a lower id than its children, and a subtree's ids lie close together.
 */
function buildTree(world: World, rng: Random, total: number, startDate: string): void {
  interface Node {
    depth: number;
    children: Node[];
  }
  const root: Node = { depth: 0, children: [] };
  let previous = [root];
  for (const size of levelSizes(total).slice(1)) {
    const level: Node[] = [];
    for (let i = 0; i < size; i++) {
      // Directorates are spread evenly; below that, parents are drawn at random.
      const parent = previous.length === 1 ? previous[0]! : previous[rng.int(previous.length)]!;
      const node: Node = { depth: parent.depth + 1, children: [] };
      parent.children.push(node);
      level.push(node);
    }
    previous = level;
  }

  const longAgo = addYears(startDate, -5);
  const create = (node: Node, parent: Unit | null, profile: number, index: number): void => {
    const start = node.depth === 0 || rng.chance(0.4) ? '1900-01-01' : dateBetween(rng, '1995-01-01', addDays(startDate, -30));
    const lastChanged = dateBetween(rng, start > longAgo ? start : longAgo, addDays(startDate, -1));
    const unit = newUnit(world, rng, parent, profile, start, lastChanged, index);
    world.units.push(unit);
    node.children.forEach((child, i) => create(child, unit, node.depth === 0 ? i % PROFILES.length : profile, i));
  };
  // The administration profile (the last) for the root: it employs the municipal director and staff.
  create(root, null, PROFILES.length - 1, 0);
}

/** Relative head count by depth: few people at the top, most in institutions. */
const DEPTH_WEIGHT = [1, 2, 4, 8, 12, 6];

function populate(world: World, rng: Random, employees: number, startDate: string): void {
  const cumulative: number[] = [];
  let sum = 0;
  for (const unit of world.units) {
    sum += (DEPTH_WEIGHT[unit.depth] ?? 6) * (0.3 + 1.4 * rng.next());
    cumulative.push(sum);
  }
  const pickUnit = (): Unit => {
    const x = rng.next() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return world.units[lo]!;
  };

  const yesterday = addDays(startDate, -1);
  const recently = addYears(startDate, -3);
  const lastWeeks = addDays(startDate, -10);
  const people: Person[] = [];
  const employ = (): Employment => {
    let person: Person | null = null;
    let earliest = '1985-01-01';
    // About one employment in thirteen belongs to someone who already has one (max three each),
    // and started after the first.
    if (people.length > 0 && rng.chance(0.08)) {
      const other = rng.pick(people);
      const first = other.jobs[0];
      if (first && other.jobs.length < 3) {
        person = other;
        earliest = first.entryDate;
      }
    }
    if (!person) {
      const made = newPerson(world, rng, startDate);
      person = made.person;
      if (made.adult > earliest) earliest = made.adult;
      people.push(person);
    }
    const entryDate = dateBetween(rng, earliest, yesterday);
    const lastChanged = dateBetween(rng, entryDate > recently ? entryDate : recently, yesterday);
    const e = newEmployment(world, rng, person, pickUnit(), entryDate, lastChanged);
    world.employments.push(e);
    return e;
  };

  for (let i = 0; i < employees; i++) {
    // Leave stubs of employments that ended before the first dump are interleaved by number.
    if (rng.chance(0.015)) employ().state = 'left';
    const e = employ();
    activate(world, e);
    const r = rng.next();
    if (r < 0.02) e.leaveDate = addDays(startDate, rng.between(1, 120));
    // A few ended just before the first dump; OPUS sends their leave stubs a day or two later.
    else if (r < 0.022) e.leaveDate = dateBetween(rng, e.entryDate > lastWeeks ? e.entryDate : lastWeeks, yesterday);
    const roles = rng.next();
    if (roles < 0.07) e.functions.push(randomFunction(rng, dateBetween(rng, e.entryDate, yesterday), startDate));
    if (roles < 0.01) e.functions.push(randomFunction(rng, dateBetween(rng, e.entryDate, yesterday), startDate));
  }

  appointManagers(world, rng);
  // Both forms of address protection are rare; a data set of some size shows each at least once.
  if (world.active.length >= 200) {
    for (const form of [1, 2] as const) {
      if (!world.active.some((e) => e.person.protection === form)) rng.pick(world.active).person.protection = form;
    }
  }
  // The first dump already holds a few units closed days ago and about to vanish.
  for (let i = Math.max(world.units.length >= 10 ? 1 : 0, Math.round(world.units.length / 100)); i > 0; i--) {
    const day = addDays(startDate, -rng.between(1, 3));
    const log = new ChangeLog(day);
    const closed = closeUnit(world, rng, day, Infinity, log);
    log.settle();
    if (closed && closed.vanishOn <= startDate) closed.vanishOn = addDays(startDate, 1);
  }
  if (world.faults) spoil(world, rng);
}

/** Roughly one manager per staffed unit, drawn uniformly from its staff (reservoir sampling). */
function appointManagers(world: World, rng: Random): void {
  const seen = new Map<Unit, number>();
  const chosen = new Map<Unit, Employment>();
  for (const e of world.active) {
    const n = (seen.get(e.unit) ?? 0) + 1;
    seen.set(e.unit, n);
    if (rng.int(n) === 0) chosen.set(e.unit, e);
  }
  for (const unit of world.units) {
    const e = chosen.get(unit);
    if (!e || (unit.depth > 1 && rng.chance(0.1))) continue;
    setManager(e, true);
    e.position = managerPosition(unit.depth);
  }
}

/** With `faults`: a few records (one per 20,000, at least one) without entryDate or without position. */
function spoil(world: World, rng: Random): void {
  if (world.active.length === 0) return;
  const n = Math.max(1, Math.floor(world.active.length / 20_000));
  for (let i = 0; i < n; i++) {
    rng.pick(world.active).entryDate = '';
    rng.pick(world.active).position = -1;
  }
}
