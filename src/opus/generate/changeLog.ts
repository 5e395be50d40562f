// Which records a day really changed. Events note a record before they touch it; at the end of the day
// exactly the records whose written form differs from the morning's get the day as `lastChanged`, and
// the others keep theirs. So a change undone the same day (a manager appointed and relieved, a protected
// person moving house, a new number that happens to equal the old) never shows as a change.
import type { Employment, Person, Unit } from './model.js';
import { employmentXml, unitXml } from './xml.js';

const employmentContent = (e: Employment) => employmentXml(e, '', '');
const unitContent = (u: Unit) => unitXml(u, '', '');

export class ChangeLog {
  private readonly employments = new Map<Employment, string>();
  private readonly units = new Map<Unit, string>();

  constructor(private readonly today: string) {}

  /** Call before changing `e`. */
  employment(e: Employment): void {
    if (!this.employments.has(e)) this.employments.set(e, employmentContent(e));
  }

  /** Call before changing a person: every active employment shows the person's details. */
  person(p: Person): void {
    for (const e of p.jobs) this.employment(e);
  }

  /** Call before changing `u`. */
  unit(u: Unit): void {
    if (!this.units.has(u)) this.units.set(u, unitContent(u));
  }

  /** Dates the records that differ from the morning's. Leave stubs and cancelled records carry no date. */
  settle(): void {
    for (const [e, before] of this.employments) {
      if (e.state === 'active' && employmentContent(e) !== before) e.lastChanged = this.today;
    }
    for (const [u, before] of this.units) if (unitContent(u) !== before) u.lastChanged = this.today;
  }
}
