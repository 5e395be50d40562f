// Making new people, units and employments with plausible Danish content. Used both for the initial
// state and for the daily hires and new units, so a new record looks like an old one.
import { addDays, addYears, OPEN_END } from './calendar.js';
import {
  ALL_POSITIONS,
  CONTRACT_WEIGHTS,
  FEMALE_FIRST_NAMES,
  FUNCTIONS,
  INSTITUTION_NAMES,
  LAST_NAMES,
  MALE_FIRST_NAMES,
  MANAGER_POSITIONS,
  OTHER_TOWNS,
  POSITIONS,
  PROFILES,
  STREETS,
  TEAMS,
  abbreviate,
  emailSlug,
} from './names.js';
import type { Random } from './prng.js';
import type { Employment, Person, Place, RoleFunction, Unit, World } from './model.js';

/** A street address in the municipality (or, for `commuter`s, often elsewhere). */
export function randomPlace(world: World, rng: Random, commuter = false): Place {
  const [zip, city] = commuter && rng.chance(0.25) ? rng.pick(OTHER_TOWNS) : rng.pick(world.municipality.towns);
  let street = `${rng.pick(STREETS)} ${rng.between(1, 150)}`;
  if (rng.chance(0.05)) street += rng.pick(['A', 'B', 'C']);
  if (commuter && rng.chance(0.2)) street += `, ${rng.between(1, 5)}. ${rng.pick(['tv', 'th', 'mf'])}`;
  return { street, zip, city };
}

/** A Danish phone number: 8 digits, not starting with 0 or 1. */
export function phoneNumber(rng: Random): string {
  return String(rng.between(2, 9)) + rng.digits(7);
}

/**
 * `workPhone` as OPUS holds it: mostly 8 digits, often empty, and a few of the other lengths DIPEX's
 * `parse_phone` handles (4/5-digit extensions, 9 and 11 characters with spaces).
 */
export function workPhone(rng: Random): string {
  const r = rng.next();
  if (r < 0.18) return '';
  if (r < 0.96) return phoneNumber(rng);
  const n = phoneNumber(rng);
  return rng.pick([n.slice(0, 4), n.slice(0, 5), `${n.slice(0, 4)} ${n.slice(4)}`, n.replace(/(\d\d)(?=\d)/g, '$1 ')]);
}

function firstName(rng: Random, female: boolean): string {
  return rng.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
}

export function lastName(rng: Random): string {
  return rng.chance(0.08) ? `${rng.pick(LAST_NAMES)} ${rng.pick(LAST_NAMES)}` : rng.pick(LAST_NAMES);
}

/**
 * A made-up (random) but well-formed CPR number for someone aged 18–66 on `onDate`: DDMMYY, a 7th digit
 * that agrees with the birth century, and a last digit that is even for women, odd for men.
 */
function newCpr(world: World, rng: Random, female: boolean, onDate: string): { cpr: string; birth: string } {
  for (;;) {
    const birth = addDays(addYears(onDate, -rng.between(18, 66)), -rng.int(365));
    const year = Number(birth.slice(0, 4));
    const century =
      year < 2000 ? rng.pick(year >= 1937 ? [0, 1, 2, 3, 4, 9] : [0, 1, 2, 3]) : rng.pick(year <= 2036 ? [4, 9, 5, 6, 7, 8] : [5, 6, 7, 8]);
    const last = 2 * rng.int(5) + (female ? 0 : 1);
    const cpr = `${birth.slice(8, 10)}${birth.slice(5, 7)}${birth.slice(2, 4)}${century}${rng.digits(2)}${last}`;
    if (!world.cprs.has(cpr)) {
      world.cprs.add(cpr);
      return { cpr, birth };
    }
  }
}

export function emailFor(world: World, rng: Random, first: string, last: string): string {
  const local = `${emailSlug(first.split(/[ -]/)[0] ?? first)}.${emailSlug(last)}`;
  return `${local}${rng.chance(0.3) ? rng.between(2, 99) : ''}@${emailSlug(world.municipality.name)}.dk`;
}

export function userIdFor(rng: Random, first: string, last: string): string {
  const letters = (emailSlug(first).slice(0, 2) + emailSlug(last).slice(0, 2)).toUpperCase().padEnd(4, 'X');
  return `${letters}${rng.digits(4)}`;
}

export interface NewPerson {
  person: Person;
  /** The date the person turns 18: no employment starts before it. */
  adult: string;
}

export function newPerson(world: World, rng: Random, onDate: string): NewPerson {
  const female = rng.chance(0.7);
  const { cpr, birth } = newCpr(world, rng, female, onDate);
  const first = firstName(rng, female);
  const last = lastName(rng);
  const r = rng.next();
  const person: Person = {
    cpr,
    female,
    firstName: first,
    lastName: last,
    home: rng.chance(0.97) ? randomPlace(world, rng, true) : null,
    // A few per mille of people have address protection, in either of the forms OPUS writes.
    protection: r < 0.002 ? 1 : r < 0.003 ? 2 : 0,
    country: rng.chance(0.98) ? 'DK' : rng.pick(['SE', 'DE', '']),
    email: rng.chance(0.85) ? emailFor(world, rng, first, last) : '',
    userId: rng.chance(0.9) ? userIdFor(rng, first, last) : '',
    jobs: [],
  };
  return { person, adult: addYears(birth, 18) };
}

/** A unit's name by its depth: "X Kommune", directorates, centres, departments, institutions, teams. */
export function unitName(world: World, rng: Random, depth: number, profile: number, index = 0): string {
  const p = PROFILES[profile]!;
  switch (depth) {
    case 0:
      return `${world.municipality.name} Kommune`;
    case 1:
      return p.directorates[Math.floor(index / PROFILES.length) % p.directorates.length]!;
    case 2:
      return rng.pick(p.centers);
    case 3:
      return rng.pick(p.departments);
    case 4: {
      const name = rng.pick(INSTITUTION_NAMES);
      const kind = rng.pick(p.institutionKinds);
      return rng.chance(0.04) ? `${kind} "${name}"` : `${name} ${kind}`;
    }
    default:
      return rng.pick(TEAMS);
  }
}

export function newUnit(
  world: World,
  rng: Random,
  parent: Unit | null,
  profile: number,
  startDate: string,
  lastChanged: string,
  index = 0,
): Unit {
  const depth = parent ? parent.depth + 1 : 0;
  const longName = unitName(world, rng, depth, profile, index);
  const r = rng.next();
  const unit: Unit = {
    id: world.nextUnitId,
    parent,
    depth,
    profile,
    startDate,
    endDate: OPEN_END,
    shortName: depth === 0 ? `${longName.slice(0, 3).toUpperCase()}.K` : abbreviate(longName),
    longName,
    place: depth === 0 || rng.chance(0.85) ? randomPlace(world, rng) : null,
    phone: r < 0.9 ? phoneNumber(rng) : r < 0.95 ? phoneNumber(rng).slice(0, 7) : '',
    numbers:
      depth === 0 || rng.chance(0.85)
        ? {
            cvr: rng.chance(0.8) ? world.cvr : String(rng.between(1, 9)) + rng.digits(7),
            ean: `5798${rng.digits(9)}`,
            se: String(rng.between(1, 9)) + rng.digits(7),
            p: rng.chance(0.1) ? '0000000000' : `10${rng.digits(8)}`,
          }
        : null,
    costCenter: rng.chance(0.7) ? rng.digits(12) : '',
    typed: depth === 0 || rng.chance(0.92),
    lastChanged,
    children: 0,
    headcount: 0,
    manager: null,
    vanishOn: '',
  };
  world.nextUnitId += rng.between(1, 3);
  if (parent) parent.children++;
  return unit;
}

function pickContract(rng: Random): number {
  let r = rng.int(CONTRACT_WEIGHTS.reduce((a, b) => a + b, 0));
  for (let i = 0; i < CONTRACT_WEIGHTS.length; i++) {
    r -= CONTRACT_WEIGHTS[i]!;
    if (r < 0) return i;
  }
  return 0;
}

export function randomFunction(rng: Random, from: string, today: string): RoleFunction {
  const f = rng.pick(FUNCTIONS);
  const r = rng.next();
  return {
    art: f.art,
    role: f.roles.length > 0 && rng.chance(0.7) ? rng.pick(f.roles) : '',
    startDate: from,
    endDate: r < 0.8 ? OPEN_END : addDays(today, r < 0.95 ? rng.between(30, 700) : -rng.between(1, 60)),
  };
}

/** A new employment (not yet active: the caller activates it). Its id is the next employment number. */
export function newEmployment(
  world: World,
  rng: Random,
  person: Person,
  unit: Unit,
  entryDate: string,
  lastChanged: string,
): Employment {
  const positions = PROFILES[unit.profile]!.positions;
  const contract = pickContract(rng);
  const position = rng.pick(positions);
  const partTime = rng.chance(0.25);
  const e: Employment = {
    id: world.nextEmploymentId,
    person,
    state: 'active',
    unit,
    entryDate,
    leaveDate: '',
    workPhone: workPhone(rng),
    contract,
    position,
    isManager: false,
    superiorLevel: '0',
    subordinateLevel: '00',
    payGrade: '',
    // OPUS writes the fraction with a trailing blank, as in the fixtures.
    numerator: partTime ? `${rng.between(15, 36)} ` : '1 ',
    denominator: partTime ? '37 ' : '1 ',
    functions: [],
    lastChanged,
    slot: -1,
  };
  setPayGrade(e, rng);
  // Employment numbers rise with gaps, like OPUS's.
  world.nextEmploymentId += rng.chance(0.7) ? 1 : rng.between(2, 4);
  return e;
}

/** `payGradeText` ("lønramme") near the usual grade of the employment's title. */
export function setPayGrade(e: Employment, rng: Random): void {
  e.payGrade = `LR ${(ALL_POSITIONS[e.position]?.grade ?? 30) + rng.between(-1, 1)}`;
}

/** The index in ALL_POSITIONS of the manager title for a unit at `depth`. */
export function managerPosition(depth: number): number {
  return POSITIONS.length + Math.min(depth, MANAGER_POSITIONS.length - 1);
}

/** A new value unlike `old` (unless a few tries all come out the same, e.g. from a one-item list). */
export function another<T>(old: T, make: () => T): T {
  let value = make();
  for (let i = 0; i < 10 && value === old; i++) value = make();
  return value;
}
