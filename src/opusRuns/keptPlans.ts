// The units step's plan, kept on the worker for the employees step of the same run. A plan reads MO's state
// of everything the dump touches, and on OS2MO that read is half a nightly delta's time; the employees step
// would read the same again only to find the units step's writes. It may take the plan when MO holds what the
// plan expected: the units step wrote all of its part (no failure, nothing skipped) and the employees step is
// on its first attempt (a retry plans again, for it cannot know what its lost attempt wrote). Another worker,
// or this one restarted, has no kept plan and plans again: slower, not wrong. The plan never leaves the worker;
// Temporal carries only its token.
import { randomUUID } from 'node:crypto';
import type { Plan } from '../sync/plan/types.js';

export interface KeptPlan {
  plan: Plan;
  comparedAll: boolean;
  comparedUnits: string[];
}

/** Runs at once on one worker are rare (the sync imports dumps one by one). */
const LIMIT = 2;

export class KeptPlans {
  private readonly plans = new Map<string, KeptPlan>();

  constructor(private readonly limit = LIMIT) {}

  /** Keeps a plan and returns its token (for the next step's input). */
  keep(plan: KeptPlan): string {
    const token = randomUUID();
    this.plans.set(token, plan);
    while (this.plans.size > this.limit) this.plans.delete(this.plans.keys().next().value!);
    return token;
  }

  /** The kept plan, once: a second take (a retry) finds nothing and plans again. */
  take(token: string | undefined): KeptPlan | null {
    if (token === undefined) return null;
    const plan = this.plans.get(token) ?? null;
    this.plans.delete(token);
    return plan;
  }
}
