// The mass-change guard: a dump that would end a large share of OPUS's engagements or units at once is
// more likely a broken export than a real reorganisation, so such a plan waits for a person's approval.
import type { MassChange } from './types.js';

export interface GuardOptions {
  /** Largest share of active engagements or units a plan may end without approval (`integrations.opus.mass_change.max_share`). */
  maxShare: number;
  /** Endings below this count never trip the guard, so small organisations can change. */
  minCount: number;
}

/** Why the plan needs approval, or null when it does not. */
export function massChangeRefusal(m: MassChange, options: GuardOptions): string | null {
  const reasons: string[] = [];
  const check = (ending: number, active: number, what: string) => {
    if (ending >= options.minCount && ending > options.maxShare * active) {
      reasons.push(`it would end ${ending} of ${active} active ${what} (${Math.round((ending / Math.max(active, 1)) * 100)} %, more than ${Math.round(options.maxShare * 100)} %)`);
    }
  };
  check(m.endingEngagements, m.activeEngagements, 'engagements');
  check(m.endingUnits, m.activeUnits, 'units');
  return reasons.length === 0 ? null : `the plan is held back by the mass-change guard: ${reasons.join(' and ')}`;
}
