// The generator's model of one municipality: units, people and their employments, held as compact
// objects between dumps. Each dump is a serialisation of this model on one day; evolve.ts changes it.
// The bookkeeping here (who is active, head counts, managers) is what keeps every dump consistent.
import { OPEN_END } from './calendar.js';
import type { Municipality } from './names.js';

export interface Place {
  street: string;
  zip: string;
  city: string;
}

export interface UnitNumbers {
  cvr: string;
  ean: string;
  se: string;
  p: string;
}

export interface Unit {
  readonly id: number;
  parent: Unit | null;
  /** Root = 0; a moved unit keeps its depth (it only moves under a unit one level up). */
  readonly depth: number;
  /** Index into PROFILES: what kind of work the unit's subtree does. */
  readonly profile: number;
  startDate: string;
  endDate: string;
  shortName: string;
  longName: string;
  place: Place | null;
  /** '' = no phoneNumber element. */
  phone: string;
  numbers: UnitNumbers | null;
  /** '' = no costCenter element. */
  costCenter: string;
  /** Whether orgType/orgTypeTxt are written (some real units lack them). */
  typed: boolean;
  lastChanged: string;
  /** Units in the dump (open or closing) whose parent this is. */
  children: number;
  /** Active employments placed here. */
  headcount: number;
  manager: Employment | null;
  /** For a closed unit: the first dump date it no longer appears in; '' otherwise. */
  vanishOn: string;
}

export interface Person {
  readonly cpr: string;
  readonly female: boolean;
  firstName: string;
  lastName: string;
  home: Place | null;
  /** 0 = visible address; 1 = `<address protected="true"/>`; 2 = an address element with children. */
  protection: 0 | 1 | 2;
  country: string;
  email: string;
  userId: string;
  /** The person's active employments. */
  jobs: Employment[];
}

/** A `<function>` element: a role held alongside the employment. */
export interface RoleFunction {
  art: string;
  /** '' = no roleText element. */
  role: string;
  startDate: string;
  endDate: string;
}

export interface Employment {
  readonly id: number;
  readonly person: Person;
  /** 'left' is written as a leave stub; 'cancelled' is dropped from the model after the day's changes. */
  state: 'active' | 'left' | 'cancelled';
  unit: Unit;
  /** '' only in records made faulty on purpose (`faults`). */
  entryDate: string;
  /** '' = none. */
  leaveDate: string;
  workPhone: string;
  /** Index into CONTRACTS. */
  contract: number;
  /** Index into ALL_POSITIONS; -1 only in records made faulty on purpose. */
  position: number;
  isManager: boolean;
  superiorLevel: string;
  subordinateLevel: string;
  payGrade: string;
  numerator: string;
  denominator: string;
  functions: RoleFunction[];
  lastChanged: string;
  /** Index in `World.active`, -1 when not active. */
  slot: number;
}

export interface World {
  readonly client: string;
  readonly municipality: Municipality;
  /** The municipality's own CVR number, shared by most units. */
  readonly cvr: string;
  readonly faults: boolean;
  /** Units in id order, including closed units that have not vanished yet. */
  units: Unit[];
  /** Employments and leave stubs in id order: the order they are written in. */
  employments: Employment[];
  /** Active employments in no particular order, for uniform random picks. */
  active: Employment[];
  /** Every CPR number handed out, so none is given to two people. */
  readonly cprs: Set<string>;
  nextUnitId: number;
  nextEmploymentId: number;
}

/** A unit employees may be placed in on `today`: started and not closed. */
export function isOpen(unit: Unit, today: string): boolean {
  return unit.endDate === OPEN_END && unit.startDate <= today;
}

export function activate(world: World, e: Employment): void {
  e.state = 'active';
  e.slot = world.active.length;
  world.active.push(e);
  e.person.jobs.push(e);
  e.unit.headcount++;
}

/** Ends an employment in the model (leave or cancellation); it stays in `employments` until compacted. */
export function deactivate(world: World, e: Employment, state: 'left' | 'cancelled'): void {
  if (e.state !== 'active') return;
  if (e.isManager) setManager(e, false);
  const last = world.active.pop()!;
  if (last !== e) {
    world.active[e.slot] = last;
    last.slot = e.slot;
  }
  e.slot = -1;
  e.state = state;
  e.unit.headcount--;
  const jobs = e.person.jobs;
  jobs.splice(jobs.indexOf(e), 1);
}

export function moveEmployment(e: Employment, to: Unit): void {
  if (e.isManager) setManager(e, false);
  e.unit.headcount--;
  e.unit = to;
  to.headcount++;
}

/** Manager levels by depth: `1`/`01` for the top of the municipality, one more per level down. */
export function managerLevels(depth: number): [superior: string, subordinate: string] {
  const level = Math.min(depth + 1, 6);
  return [String(level), String(level).padStart(2, '0')];
}

export function setManager(e: Employment, on: boolean): void {
  if (on) {
    if (e.unit.manager && e.unit.manager !== e) setManager(e.unit.manager, false);
    e.unit.manager = e;
    e.isManager = true;
    [e.superiorLevel, e.subordinateLevel] = managerLevels(e.unit.depth);
  } else {
    if (e.unit.manager === e) e.unit.manager = null;
    e.isManager = false;
    e.superiorLevel = '0';
    e.subordinateLevel = '00';
  }
}

/** Drops cancelled employments and vanished units, after a day's changes. */
export function compact(world: World, today: string): void {
  world.employments = world.employments.filter((e) => e.state !== 'cancelled');
  const vanishing = world.units.filter((u) => u.vanishOn !== '' && u.vanishOn <= today);
  if (vanishing.length === 0) return;
  for (const unit of vanishing) if (unit.parent) unit.parent.children--;
  world.units = world.units.filter((u) => !(u.vanishOn !== '' && u.vanishOn <= today));
}
