// The mass-change guard: a dump that would end a large share of OPUS's engagements or units at once, rename
// a large share of its people or bring many new classes is more likely a broken export (a truncated file, a
// file in the wrong encoding whose every æ, ø and å turns into mojibake) than a real change, so such a plan
// waits for a person's approval.
import type { MassChange } from './types.js';

export interface GuardOptions {
  /** Largest share of active engagements or units a plan may end without approval (`integrations.opus.mass_change.max_share`). */
  maxShare: number;
  /** Endings (and renames) below this count never trip the guard, so small organisations can change. */
  minCount: number;
  /** Largest share of the people a plan looks at that it may rename without approval (`integrations.opus.mass_change.max_name_share`). */
  maxNameShare: number;
  /** Most new classes a plan may create without approval (`integrations.opus.mass_change.max_new_classes`); a first import is exempt. */
  maxNewClasses: number;
}

const percent = (part: number, whole: number) => Math.round((part / Math.max(whole, 1)) * 100);

/** Why the plan needs approval, or null when it does not. */
export function massChangeRefusal(m: MassChange, options: GuardOptions): string | null {
  const reasons: string[] = [];
  const check = (ending: number, active: number, what: string) => {
    if (ending >= options.minCount && ending > options.maxShare * active) {
      reasons.push(`it would end ${ending} of ${active} active ${what} (${percent(ending, active)} %, more than ${Math.round(options.maxShare * 100)} %)`);
    }
  };
  check(m.endingEngagements, m.activeEngagements, 'engagements');
  check(m.endingUnits, m.activeUnits, 'units');
  const renamed = m.renamedPeople ?? 0;
  const people = m.people ?? 0;
  if (renamed >= options.minCount && renamed > options.maxNameShare * people) {
    reasons.push(`it would rename ${renamed} of ${people} people (${percent(renamed, people)} %, more than ${Math.round(options.maxNameShare * 100)} %)`);
  }
  // The first import (MO holds no OPUS unit yet) creates every class it needs; later dumps bring a few.
  const classes = m.newClasses ?? 0;
  if (m.activeUnits > 0 && classes > options.maxNewClasses) {
    reasons.push(`it would create ${classes} new classes (more than ${options.maxNewClasses})`);
  }
  return reasons.length === 0 ? null : `the plan is held back by the mass-change guard: ${reasons.join(' and ')}`;
}
