// What one step of a run keeps on the worker for the next, so the next need not read MO again:
// - the units step's plan, for the employees step. A plan reads MO's state of everything the dump touches, and
//   on OS2MO that read is half a nightly delta's time; the employees step would read the same again only to
//   find the units step's writes. It may take the plan when MO holds what the plan expected: the units step
//   wrote all of its part (no failure, nothing skipped) and the employees step is on its first attempt (a retry
//   plans again, for it cannot know what its lost attempt wrote);
// - the people whose engagements the employees step wrote, for the primary step (see primaryStep.ts).
// Another worker, or this one restarted, has nothing kept and reads MO: slower, not wrong. What is kept never
// leaves the worker; Temporal carries only its token.
import { randomUUID } from 'node:crypto';
import type { Plan } from '../sync/plan/types.js';

export interface KeptPlan {
  plan: Plan;
  comparedAll: boolean;
  comparedUnits: string[];
}

/** Runs at once on one worker are rare (the sync imports dumps one by one). */
const LIMIT = 2;

export class KeptOnWorker<T> {
  private readonly kept = new Map<string, T>();

  constructor(private readonly limit = LIMIT) {}

  /** Keeps a value and returns its token (for the next step's input). */
  keep(value: T): string {
    const token = randomUUID();
    this.kept.set(token, value);
    while (this.kept.size > this.limit) this.kept.delete(this.kept.keys().next().value!);
    return token;
  }

  /** The kept value, once: a second take (a retry) finds nothing and reads MO again. */
  take(token: string | undefined): T | null {
    if (token === undefined) return null;
    const value = this.kept.get(token) ?? null;
    this.kept.delete(token);
    return value;
  }
}
