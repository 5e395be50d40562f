// One day of change in the municipality: about 1% of employments get a new or changed record or vanish,
// spread over every kind of change the importer must handle. Events note each record in the change log
// before changing it; the log then dates exactly the records that really changed (changeLog.ts).
import { addDays, daysBetween, OPEN_END } from './calendar.js';
import { ChangeLog } from './changeLog.js';
import {
  another,
  emailFor,
  lastName,
  managerPosition,
  newEmployment,
  newPerson,
  randomFunction,
  randomPlace,
  setPayGrade,
  userIdFor,
  workPhone,
} from './factories.js';
import { activate, compact, deactivate, isOpen, moveEmployment, setManager } from './model.js';
import type { Employment, Unit, World } from './model.js';
import { CONTRACTS, FEMALE_FIRST_NAMES, MALE_FIRST_NAMES, PROFILES } from './names.js';
import type { Random } from './prng.js';
import { evolveUnits } from './unitChanges.js';

/** Expected events per day, as a share of active employments. */
const RATES = {
  leave: 0.0008,
  announceLeave: 0.0008,
  cancel: 0.0003,
  hire: 0.002,
  move: 0.0014,
  retitle: 0.0008,
  contract: 0.0002,
  rename: 0.0003,
  managerOn: 0.0003,
  managerOff: 0.0003,
  managerLevel: 0.0002,
  phone: 0.0005,
  email: 0.0003,
  userId: 0.0002,
  address: 0.0008,
  role: 0.001,
};

/** Chance per day that an employment whose leaveDate has passed turns into a leave stub. */
const STUB_DELAY = 0.5;

/** Applies one day of change for the dump dated `today`. */
export function evolveDay(world: World, rng: Random, today: string): void {
  const log = new ChangeLog(today);
  new Day(world, rng, today, log).run();
  evolveUnits(world, rng, today, log);
  log.settle();
  compact(world, today);
}

class Day {
  private readonly n: number;
  /** Units that may receive employees today. */
  private readonly open: Unit[];
  private readonly hired = new Set<Employment>();

  constructor(
    private readonly world: World,
    private readonly rng: Random,
    private readonly today: string,
    private readonly log: ChangeLog,
  ) {
    this.n = world.active.length;
    this.open = world.units.filter((u) => isOpen(u, today));
  }

  run(): void {
    this.stubPassedLeaves();
    // Hires, leaves and cancellations happen at least once a day; every other kind at least every
    // third day, so that even a small data set exercises every kind of change within three dumps.
    this.repeat(RATES.hire, () => this.hire(), true);
    this.repeat(RATES.leave, () => this.leave(), true);
    this.repeat(RATES.cancel, () => this.cancel(), true);
    const others: [number, () => void][] = [
      [RATES.announceLeave, () => this.announceLeave()],
      [RATES.move, () => this.move()],
      [RATES.retitle, () => this.retitle()],
      [RATES.contract, () => this.changeContract()],
      [RATES.rename, () => this.rename()],
      [RATES.managerOn, () => this.managerOn()],
      [RATES.managerOff, () => this.managerOff()],
      [RATES.managerLevel, () => this.managerLevel()],
      [RATES.phone, () => this.phone()],
      [RATES.email, () => this.email()],
      [RATES.userId, () => this.userId()],
      [RATES.address, () => this.address()],
      [RATES.role, () => this.role()],
    ];
    const turn = daysBetween('2000-01-01', this.today) % 3;
    others.forEach(([rate, event], i) => this.repeat(rate, event, i % 3 === turn));
  }

  private repeat(rate: number, event: () => void, atLeastOnce = false): void {
    let times = this.rng.round(this.n * rate * (0.5 + this.rng.next()));
    if (atLeastOnce) times = Math.max(1, times);
    for (let i = 0; i < times; i++) event();
  }

  /**
   * A random active employment meeting `wanted`, or null when a few tries find none. Never one hired
   * today: it is new in today's dump, so a change to it would not show as one.
   */
  private pick(wanted: (e: Employment) => boolean = () => true): Employment | null {
    if (this.world.active.length === 0) return null;
    for (let i = 0; i < 40; i++) {
      const e = this.rng.pick(this.world.active);
      if (wanted(e) && !this.hired.has(e)) return e;
    }
    return null;
  }

  /** A unit for a hire or move: mostly where people already work, sometimes any open unit. */
  private targetUnit(not?: Unit): Unit | null {
    for (let i = 0; i < 20; i++) {
      const unit = this.rng.chance(0.75) || this.open.length === 0 ? this.pick()?.unit : this.rng.pick(this.open);
      if (unit && unit !== not && isOpen(unit, this.today)) return unit;
    }
    return null;
  }

  /** Employments whose leaveDate has passed become leave stubs, usually a day or two late. */
  private stubPassedLeaves(): void {
    for (const e of this.world.employments) {
      if (e.state === 'active' && e.leaveDate !== '' && e.leaveDate < this.today && this.rng.chance(STUB_DELAY)) {
        deactivate(this.world, e, 'left');
      }
    }
  }

  private hire(): void {
    const unit = this.targetUnit();
    if (!unit) return;
    let person = null;
    // Sometimes an existing employee takes a second (or third) job.
    if (this.rng.chance(0.12)) {
      const other = this.pick((e) => e.person.jobs.length < 3);
      if (other) person = other.person;
    }
    person ??= newPerson(this.world, this.rng, this.today).person;
    const entryDate = this.rng.chance(0.7) ? addDays(this.today, this.rng.between(0, 30)) : addDays(this.today, -this.rng.between(1, 14));
    const e = newEmployment(this.world, this.rng, person, unit, entryDate, this.today);
    if (this.rng.chance(0.05)) e.functions.push(randomFunction(this.rng, entryDate, this.today));
    this.world.employments.push(e);
    activate(this.world, e);
    this.hired.add(e);
  }

  private leave(): void {
    const e = this.pick();
    if (e) deactivate(this.world, e, 'left');
  }

  /** A cancelled employment vanishes from the next dump; usually a recent hire that did not happen. */
  private cancel(): void {
    let chosen: Employment | null = null;
    for (let i = 0; i < 3; i++) {
      const e = this.pick();
      if (e && (!chosen || e.id > chosen.id)) chosen = e;
    }
    if (chosen) deactivate(this.world, chosen, 'cancelled');
  }

  private announceLeave(): void {
    const e = this.pick((x) => x.leaveDate === '');
    if (!e) return;
    this.log.employment(e);
    // Never before the start of a job that has not begun yet.
    e.leaveDate = addDays(e.entryDate > this.today ? e.entryDate : this.today, this.rng.between(7, 90));
  }

  private move(): void {
    const e = this.pick();
    const to = e && this.targetUnit(e.unit);
    if (!e || !to) return;
    this.log.employment(e);
    moveEmployment(e, to);
    // A move between kinds of work often comes with a new title.
    if (this.rng.chance(0.3)) this.newTitle(e);
  }

  private newTitle(e: Employment): void {
    const positions = PROFILES[e.unit.profile]!.positions;
    e.position = another(e.position, () => this.rng.pick(positions));
    setPayGrade(e, this.rng);
  }

  private retitle(): void {
    const e = this.pick((x) => !x.isManager);
    if (!e) return;
    this.log.employment(e);
    this.newTitle(e);
  }

  /** E.g. a trainee (Elev) gets a monthly salary, a substitute (Vikar) a permanent contract. */
  private changeContract(): void {
    const e = this.pick();
    if (!e) return;
    this.log.employment(e);
    e.contract = (e.contract + 1 + this.rng.int(CONTRACTS.length - 1)) % CONTRACTS.length;
  }

  /** A new surname (marriage), or now and then a new first name; every job of the person changes. */
  private rename(): void {
    const person = this.pick()?.person;
    if (!person) return;
    this.log.person(person);
    const r = this.rng.next();
    if (r < 0.7) person.lastName = another(person.lastName, () => lastName(this.rng));
    else if (r < 0.85) person.lastName = another(person.lastName, () => `${person.lastName.split(' ')[0]} ${lastName(this.rng).split(' ')[0]}`);
    else person.firstName = another(person.firstName, () => this.rng.pick(person.female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES));
  }

  private managerOn(): void {
    const e = this.pick((x) => x.unit.manager === null);
    if (!e) return;
    this.log.employment(e);
    setManager(e, true);
    if (this.rng.chance(0.7)) e.position = managerPosition(e.unit.depth);
  }

  private managed(): Unit[] {
    return this.world.units.filter((u) => u.manager !== null);
  }

  private managerOff(): void {
    const units = this.managed();
    if (units.length === 0) return;
    const e = this.rng.pick(units).manager!;
    this.log.employment(e);
    setManager(e, false);
  }

  private managerLevel(): void {
    const units = this.managed();
    if (units.length === 0) return;
    const e = this.rng.pick(units).manager!;
    this.log.employment(e);
    const level = Number(e.superiorLevel) + (this.rng.chance(0.5) ? 1 : -1);
    const next = level < 1 ? 2 : level > 6 ? 5 : level;
    e.superiorLevel = String(next);
    e.subordinateLevel = String(next).padStart(2, '0');
  }

  private phone(): void {
    const e = this.pick();
    if (!e) return;
    this.log.employment(e);
    e.workPhone = another(e.workPhone, () => workPhone(this.rng));
  }

  /** A new e-mail address (now and then none); it is the person's, so every job of theirs changes. */
  private email(): void {
    const person = this.pick()?.person;
    if (!person) return;
    this.log.person(person);
    const drop = person.email !== '' && this.rng.chance(0.1);
    person.email = drop ? '' : another(person.email, () => emailFor(this.world, this.rng, person.firstName, person.lastName));
  }

  private userId(): void {
    const person = this.pick()?.person;
    if (!person) return;
    this.log.person(person);
    const drop = person.userId !== '' && this.rng.chance(0.1);
    person.userId = drop ? '' : another(person.userId, () => userIdFor(this.rng, person.firstName, person.lastName));
  }

  /** A person moves house, or gets or loses address protection. */
  private address(): void {
    const person = this.pick()?.person;
    if (!person) return;
    this.log.person(person);
    const r = this.rng.next();
    if (r < 0.04) person.protection = this.rng.chance(0.6) ? 1 : 2;
    else if (r < 0.07 && person.protection !== 0) person.protection = 0;
    else person.home = randomPlace(this.world, this.rng, true);
  }

  /** A role is added, removed, or gets a new end date. */
  private role(): void {
    const e = this.pick();
    if (!e) return;
    this.log.employment(e);
    const fn = e.functions.length > 0 && this.rng.chance(0.5) ? this.rng.pick(e.functions) : null;
    if (!fn) {
      const added = randomFunction(this.rng, this.today, this.today);
      if (added.endDate < this.today) added.endDate = OPEN_END;
      e.functions.push(added);
    } else if (this.rng.chance(0.4)) {
      e.functions.splice(e.functions.indexOf(fn), 1);
    } else {
      fn.endDate = fn.endDate === OPEN_END ? addDays(this.today, this.rng.between(0, 365)) : OPEN_END;
    }
  }
}
